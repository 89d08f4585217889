package io.nectar.gateway.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nectar.gateway.dialogue.Lexicon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How often the dialogue's control word lists fire on questions that are none of them ({@code ops/lexicon-check}):
 * labelled questions from public datasets (customer-service and assistant questions)
 * through {@link Lexicon#isCancel}, {@link Lexicon#isComplaint} and {@link Lexicon#isHumanRequest}, with
 * examples, so a change to a word list shows what it starts or stops catching (docs/decisions.md 14).
 * <pre>
 *   LexiconCheck [--examples N] FILE.jsonl...     reads "text", "text_a" and "text_b" of every line
 * </pre>
 */
public final class LexiconCheck {

    private LexiconCheck() {
    }

    public static void main(String[] args) throws IOException {
        int examples = 10;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--examples") && i + 1 < args.length) {
                examples = Integer.parseInt(args[++i]);
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: LexiconCheck [--examples N] FILE.jsonl...");
            System.exit(2);
        }
        Set<String> texts = read(files);
        Map<String, Predicate<String>> lists = new LinkedHashMap<>();
        lists.put("cancel", Lexicon::isCancel);
        lists.put("complaint", Lexicon::isComplaint);
        lists.put("human request", Lexicon::isHumanRequest);
        System.out.printf("%d distinct questions from %s%n", texts.size(), files);
        for (Map.Entry<String, Predicate<String>> e : lists.entrySet()) {
            List<String> hits = texts.stream().filter(e.getValue()).toList();
            System.out.printf("%s: %d%n", e.getKey(), hits.size());
            hits.stream().limit(examples).forEach(t -> System.out.println("    " + t));
        }
    }

    static Set<String> read(List<Path> files) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> texts = new LinkedHashSet<>();
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o = json.readTree(line);
                for (String field : List.of("text", "text_a", "text_b")) {
                    if (o.hasNonNull(field)) {
                        texts.add(o.get(field).asText());
                    }
                }
            }
        }
        return texts;
    }
}
