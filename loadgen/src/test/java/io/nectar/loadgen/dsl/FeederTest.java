package io.nectar.loadgen.dsl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeederTest {

    @TempDir
    Path dir;

    @Test
    void readsJsonlAndRenamesAField() throws Exception {
        Path f = dir.resolve("q.jsonl");
        Files.writeString(f, "{\"text_a\":\"怎么更改花呗手机号码\",\"label\":1}\n\n{\"text_a\":\"花呗冻结\",\"label\":0}\n{\"label\":2}\n", StandardCharsets.UTF_8);
        Feeder feeder = Feeders.jsonl(f).rename("text_a", "text").require("text").circular().build();
        assertEquals(2, feeder.size(), "the record without text is dropped");
        assertEquals("怎么更改花呗手机号码", feeder.next().get("text"));
        assertEquals("花呗冻结", feeder.next().get("text"));
        assertEquals("怎么更改花呗手机号码", feeder.next().get("text"), "circular wraps around");
    }

    @Test
    void readsCsvWithQuotes() throws Exception {
        Path f = dir.resolve("q.csv");
        Files.writeString(f, "text,lang\n\"Hello, do you ship \"\"abroad\"\"?\",en\n包邮吗,zh\n", StandardCharsets.UTF_8);
        Feeder feeder = Feeders.file(f).require("text").build();
        assertEquals(2, feeder.size());
        assertEquals(Map.of("text", "Hello, do you ship \"abroad\"?", "lang", "en"), feeder.records().get(0));
    }

    @Test
    void badInputFailsWithTheFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"text\":\"ok\"}\nnot json\n");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Feeders.jsonl(f).build());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(UncheckedIOException.class, () -> Feeders.jsonl(dir.resolve("missing.jsonl")).build());
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "{\"other\":1}\n");
        assertThrows(IllegalArgumentException.class, () -> Feeders.jsonl(empty).require("text").build());
    }

    @Test
    void zipfPicksAFewQuestionsMostOfTheTime() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            records.add(Map.of("text", "q" + i));
        }
        Feeder zipf = Feeders.of("q", records).zipf(1.0).seed(5).build();
        double harmonic = 0;
        for (int k = 1; k <= 1000; k++) {
            harmonic += 1.0 / k;
        }
        assertEquals(1 / harmonic, zipf.probability(0), 1e-12);
        assertEquals(0.5 / harmonic, zipf.probability(1), 1e-12);
        SplittableRandom random = new SplittableRandom(1);
        int n = 200_000;
        int[] counts = new int[1000];
        for (int i = 0; i < n; i++) {
            counts[zipf.nextIndex(random)]++;
        }
        // rank 1 expected 200,000 / H(1000) ≈ 26,680; binomial sd ≈ 153; allow 5 sd
        assertEquals(n / harmonic, counts[0], 5 * Math.sqrt(n / harmonic));
        int top10 = 0;
        for (int k = 0; k < 10; k++) {
            top10 += counts[k];
        }
        assertTrue(top10 > 0.35 * n, "the 10 most popular of 1,000 questions are over a third of the asks: " + top10);
        // the popular questions are a seeded shuffle, not the file's first lines
        assertTrue(!"q0".equals(zipf.records().get(0).get("text")) || !"q1".equals(zipf.records().get(1).get("text")));
        assertEquals(zipf.records(), Feeders.of("q", records).zipf(1.0).seed(5).build().records(), "same seed, same ranks");
    }

    @Test
    void uniformCoversEveryRecord() {
        List<Map<String, Object>> records = List.of(Map.of("text", "a"), Map.of("text", "b"), Map.of("text", "c"));
        Feeder uniform = Feeders.of("q", records).uniform().build();
        SplittableRandom random = new SplittableRandom(2);
        int[] counts = new int[3];
        for (int i = 0; i < 30_000; i++) {
            counts[uniform.nextIndex(random)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 5 * Math.sqrt(30_000 * (1 / 3.0) * (2 / 3.0)));
        }
    }

    @Test
    void bundledDemoQuestionsCoverBothLanguages() {
        Feeder demo = Feeders.demoQuestions().require("text").build();
        Set<Object> langs = new HashSet<>();
        demo.records().forEach(r -> langs.add(r.get("lang")));
        assertEquals(Set.of("zh", "en"), langs);
        assertTrue(demo.size() >= 40);
    }
}
