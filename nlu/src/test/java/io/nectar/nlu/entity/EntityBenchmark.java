package io.nectar.nlu.entity;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nectar.nlu.Language;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Date/time extraction against the xSID validation split (public, en and zh, parallel): of the
 * utterances whose gold slots include a {@code datetime}, how many get a DATE entity overlapping it
 * (recall), and how many DATE entities fall outside every gold datetime span (false alarms). Then the
 * extractor's speed on all utterances, one thread.
 * <p>
 * Run: {@code ops/bench-entities} (reads xsid from the datasets {@link io.nectar.nlu.Datasets} finds).
 * Prints its figures; asserts nothing.
 */
public final class EntityBenchmark {

    private EntityBenchmark() {
    }

    record Utterance(String lang, String text, List<int[]> gold) {
    }

    public static void main(String[] args) throws Exception {
        String root = io.nectar.nlu.Datasets.root().toString();
        Path file = Path.of(root, "xsid", "validation.jsonl");
        List<Utterance> all = read(file);
        EntityExtractor x = new EntityExtractor(Gazetteer.EMPTY);
        LocalDate today = LocalDate.of(2026, 11, 25);
        System.out.println("xSID validation, " + file);
        for (String lang : List.of("en", "zh")) {
            int withGold = 0, found = 0, predicted = 0, falseAlarms = 0;
            List<String> missed = new ArrayList<>();
            for (Utterance u : all) {
                if (!u.lang().equals(lang)) {
                    continue;
                }
                List<Entity> dates = x.extract(u.text(), Language.fromCode(lang), today).all(EntityType.DATE);
                predicted += dates.size();
                for (Entity e : dates) {
                    if (u.gold().stream().noneMatch(g -> e.start() < g[1] && g[0] < e.end())) {
                        falseAlarms++;
                    }
                }
                if (!u.gold().isEmpty()) {
                    withGold++;
                    boolean hit = dates.stream().anyMatch(e -> u.gold().stream().anyMatch(g -> e.start() < g[1] && g[0] < e.end()));
                    if (hit) {
                        found++;
                    } else if (missed.size() < 8) {
                        int[] g = u.gold().get(0);
                        missed.add(u.text().substring(g[0], g[1]));
                    }
                }
            }
            System.out.printf(Locale.ROOT, "  %s: utterances with a datetime slot %d, found %d (recall %.1f%%); DATE entities %d, outside any gold span %d (%.1f%%)%n",
                    lang, withGold, found, 100.0 * found / Math.max(1, withGold), predicted, falseAlarms,
                    100.0 * falseAlarms / Math.max(1, predicted));
            System.out.println("     e.g. missed: " + missed);
        }
        // speed: every utterance, both languages, after a warm-up
        List<String> texts = all.stream().map(Utterance::text).toList();
        for (int i = 0; i < 20; i++) {
            for (String t : texts) {
                x.extract(t, Language.ZH, today);
            }
        }
        long[] nanos = new long[texts.size() * 20];
        int n = 0;
        for (int r = 0; r < 20; r++) {
            for (String t : texts) {
                long t0 = System.nanoTime();
                x.extract(t, Language.ZH, today);
                nanos[n++] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "  speed, %d extractions on one thread: p50 %.1f µs, p99 %.1f µs, mean %.1f µs%n", nanos.length,
                nanos[nanos.length / 2] / 1000.0, nanos[(int) (nanos.length * 0.99)] / 1000.0,
                Arrays.stream(nanos).average().orElse(0) / 1000.0);
    }

    static List<Utterance> read(Path file) throws Exception {
        List<Utterance> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject j = JsonParser.parseString(line).getAsJsonObject();
                String lang = j.get("lang").getAsString();
                if (!lang.equals("en") && !lang.equals("zh")) {
                    continue;
                }
                String text = j.get("text").getAsString();
                List<int[]> gold = new ArrayList<>();
                int cursor = 0;
                int[] open = null;
                JsonArray tokens = j.getAsJsonArray("tokens");
                JsonArray bio = j.getAsJsonArray("bio");
                for (int i = 0; i < tokens.size(); i++) {
                    String tok = tokens.get(i).getAsString();
                    int at = text.indexOf(tok, cursor);
                    if (at < 0) {
                        open = null;
                        continue;
                    }
                    cursor = at + tok.length();
                    String tag = bio.get(i).getAsString();
                    if (tag.equals("B-datetime")) {
                        open = new int[]{at, cursor};
                        gold.add(open);
                    } else if (tag.equals("I-datetime") && open != null) {
                        open[1] = cursor;
                    } else {
                        open = null;
                    }
                }
                out.add(new Utterance(lang, text, gold));
            }
        }
        return out;
    }
}
