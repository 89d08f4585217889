package io.nectar.nlu.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nectar.nlu.Language;
import io.nectar.nlu.LanguageIdentifier;
import io.nectar.nlu.TextNormalizer;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModel;
import io.nectar.nlu.intent.IntentModelInfo;
import io.nectar.nlu.intent.IntentResult;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * {@code ops/nlu-eval --train FILE --test FILE}: trains intent models on one JSONL file and evaluates them on
 * another, through the same path a gateway serves (micro-batching encoder executor, then the saved ONNX
 * head loaded back through ONNX Runtime). Examples are grouped by language ({@code "lang"}, else
 * {@code --lang}); each language gets its own model, on its configured encoders plus lexical features, or
 * lexical features alone when it has no encoder. Prints a report; the last line is one JSON object.
 */
public final class NluEval {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NluEval() {
    }

    public static void main(String[] args) throws Exception {
        EvalConfig cfg;
        try {
            cfg = EvalConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nlu-eval: " + e.getMessage());
            System.err.println(EvalConfig.USAGE);
            System.exit(2);
            return;
        }
        if (cfg == null) {
            System.out.println(EvalConfig.USAGE);
            return;
        }
        ObjectNode result = run(cfg, System.out);
        System.out.println(JSON.writeValueAsString(result));
        System.exit(0);
    }

    static ObjectNode run(EvalConfig cfg, PrintStream out) throws Exception {
        List<IntentExample> train = IntentExample.readJsonl(cfg.train);
        List<IntentExample> test = IntentExample.readJsonl(cfg.test);
        if (cfg.splitPercent > 0) {
            // one file, split deterministically by a hash of the text (identical texts fall on the same side)
            List<IntentExample> all = train;
            train = new ArrayList<>();
            test = new ArrayList<>();
            for (IntentExample e : all) {
                (bucket(e.text()) < cfg.splitPercent ? test : train).add(e);
            }
        }
        Map<String, List<IntentExample>> trainByLang = byLang(train, cfg.defaultLang);
        Map<String, List<IntentExample>> testByLang = byLang(test, cfg.defaultLang);
        out.printf("train %s: %d examples; test %s: %d examples; languages %s%n", cfg.train, train.size(),
                cfg.splitPercent > 0 ? cfg.train + " (" + cfg.splitPercent + "% split)" : cfg.test, test.size(),
                testByLang.keySet());

        Set<String> needed = new TreeSet<>();
        for (String lang : testByLang.keySet()) {
            needed.addAll(cfg.encodersFor(lang));
        }
        List<SentenceEncoder> encoders = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String name : needed) {
            encoders.add(SentenceEncoder.load(cfg.spec(name), 1));
        }
        out.printf("encoders %s loaded in %.1f s%n", needed, (System.nanoTime() - t0) / 1e9);
        int workers = cfg.workers;
        EncoderExecutor.Options execOptions = new EncoderExecutor.Options(workers, 4096, 32, 2000, 0);
        Path modelRoot = Files.createTempDirectory("nectar-nlu-eval");
        LanguageIdentifier langId = new LanguageIdentifier(languagesOf(testByLang.keySet()), Language.EN);

        Scores.Counts total = new Scores.Counts();
        double trainSeconds = 0;
        long classifyNanos = 0;
        int classified = 0;
        ObjectNode perLang = JSON.createObjectNode();
        try (EncoderExecutor executor = encoders.isEmpty() ? null : new EncoderExecutor(encoders, execOptions)) {
            for (Map.Entry<String, List<IntentExample>> entry : testByLang.entrySet()) {
                String lang = entry.getKey();
                List<IntentExample> langTrain = trainByLang.getOrDefault(lang, List.of());
                if (langTrain.isEmpty()) {
                    out.printf("[%s] no training examples: skipped%n", lang);
                    continue;
                }
                List<String> encNames = cfg.encodersFor(lang);
                long ts = System.nanoTime();
                float[][] vectors = VectorCache.encodeAll(executor, encNames, langTrain, cfg.vectorCache);
                double encodeSeconds = (System.nanoTime() - ts) / 1e9;
                List<IntentModelInfo.EncoderRef> refs = new ArrayList<>();
                for (String name : encNames) {
                    refs.add(new IntentModelInfo.EncoderRef(name, executor.encoder(name).dimension()));
                }
                IntentTrainer.Options options = cfg.trainerOptions();
                TrainedIntentModel trained = IntentTrainer.train(langTrain, refs, vectors, options, cfg.lexicalWeights(lang));
                double seconds = (System.nanoTime() - ts) / 1e9;
                trainSeconds += seconds;
                IntentModelInfo info = trained.info();
                out.printf("[%s] trained on %d examples, %d labels, encoders %s, %d lexical features: %.1f s "
                                + "(encoding %.1f s, fitting %.1f s); head %.1f MB%n", lang, langTrain.size(),
                        info.labels().size(), encNames.isEmpty() ? "none (lexical only)" : encNames,
                        info.lexicalFeatures(), seconds, encodeSeconds, info.metrics().trainSeconds(),
                        trained.weightBytes() / 1e6);
                out.printf("[%s] held-out folds: accuracy %.4f, in-scope %.4f, oos recall %.4f; temperature %.3f, "
                                + "threshold %.4f, lexical weight %.2f%n", lang, info.metrics().accuracy(), info.metrics().inScopeAccuracy(),
                        info.metrics().oosRecall(), info.temperature(), info.threshold(), trained.lexicalWeight());
                Path dir = modelRoot.resolve(lang);
                trained.save(dir);
                Set<String> seen = new HashSet<>();
                for (IntentExample e : langTrain) {
                    seen.add(TextNormalizer.normalize(e.text()));
                }
                try (IntentModel model = IntentModel.load(dir)) {
                    List<IntentExample> langTest = entry.getValue();
                    long cs = System.nanoTime();
                    List<IntentResult> results = classifyAll(executor, model, encNames, langTest, cfg.concurrency);
                    long nanos = System.nanoTime() - cs;
                    classifyNanos += nanos;
                    classified += langTest.size();
                    boolean testHasOos = langTest.stream().anyMatch(IntentExample::outOfScope);
                    Scores.Counts c = new Scores.Counts();
                    Scores.Counts other = new Scores.Counts();
                    Scores.Counts dedup = new Scores.Counts();
                    int langIdRight = 0;
                    int rejected = 0;
                    for (int i = 0; i < langTest.size(); i++) {
                        IntentExample e = langTest.get(i);
                        IntentResult r = results.get(i);
                        // With out-of-scope questions in the test set the model's decision counts; without them
                        // there is nothing to reject, so the top intent counts (and the rejections are reported).
                        String decided = r.decision();
                        String top = r.intent();
                        String predicted = testHasOos ? decided : top;
                        if (r.outOfScope()) {
                            rejected++;
                        }
                        c.add(e.intent(), predicted);
                        other.add(e.intent(), testHasOos ? top : decided);
                        total.add(e.intent(), predicted);
                        if (!seen.contains(TextNormalizer.normalize(e.text()))) {
                            dedup.add(e.intent(), predicted);
                        }
                        if (langId.detect(e.text()).code().equals(lang)) {
                            langIdRight++;
                        }
                    }
                    ObjectNode node = c.toJson();
                    if (testHasOos) {
                        node.put("in_scope_accuracy_without_rejection", round(other.inScopeAccuracy()));
                    } else {
                        node.put("accuracy_with_rejection", round(other.accuracy()));
                    }
                    node.put("rejected_share", round((double) rejected / langTest.size()));
                    node.put("dedup_accuracy", round(dedup.accuracy()));
                    node.put("dedup_examples", dedup.n);
                    node.put("train_seconds", round(seconds));
                    node.put("per_second", round(langTest.size() / (nanos / 1e9)));
                    node.put("lang_id_accuracy", round((double) langIdRight / langTest.size()));
                    node.put("encoders", String.join(",", encNames));
                    node.put("threshold", round(info.threshold()));
                    perLang.set(lang, node);
                    if (testHasOos) {
                        out.printf("[%s] without rejection (top intent): in-scope accuracy %.4f%n", lang, other.inScopeAccuracy());
                        out.printf("[%s] %s%n", lang, Scores.sweep(langTest, results));
                    } else {
                        out.printf("[%s] no out-of-scope questions in the test set: scored on the top intent; with the "
                                + "threshold, %.1f%% would go to the fallback and accuracy would be %.4f%n", lang,
                                100.0 * rejected / langTest.size(), other.accuracy());
                    }
                    out.printf("[%s] test %d: accuracy %.4f, macro-F1 %.4f, in-scope accuracy %.4f, oos precision %s, "
                                    + "oos recall %s; de-duplicated (%d): %.4f; language ID %.4f; %.0f classified/s%n",
                            lang, langTest.size(), c.accuracy(), c.macroF1(), c.inScopeAccuracy(), fmt(c.oosPrecision()),
                            fmt(c.oosRecall()), dedup.n, dedup.accuracy(), (double) langIdRight / langTest.size(),
                            langTest.size() / (nanos / 1e9));
                }
            }
        } finally {
            for (SentenceEncoder e : encoders) {
                e.close();
            }
            deleteTree(modelRoot);
        }
        ObjectNode result = total.toJson();
        result.put("train_seconds", round(trainSeconds));
        result.put("per_second", round(classified / (classifyNanos / 1e9)));
        result.set("per_language", perLang);
        out.printf("overall: accuracy %.4f, macro-F1 %.4f, in-scope accuracy %.4f, oos precision %s, oos recall %s, "
                        + "training %.1f s, %.0f classified/s (%d workers, %d in flight)%n", total.accuracy(), total.macroF1(),
                total.inScopeAccuracy(), fmt(total.oosPrecision()), fmt(total.oosRecall()), trainSeconds,
                classified / (classifyNanos / 1e9), workers, cfg.concurrency);
        return result;
    }

    private static Set<Language> languagesOf(Set<String> codes) {
        Set<Language> out = new HashSet<>();
        for (String c : codes) {
            Language l = Language.fromCode(c);
            if (l != null) {
                out.add(l);
            }
        }
        out.add(Language.EN);
        return out;
    }

    /**
     * Classifies every text as a gateway would: each text is encoded by the executor (as concurrent requests,
     * at most {@code concurrency} in flight), then the ONNX head runs on a small pool.
     */
    private static List<IntentResult> classifyAll(EncoderExecutor executor, IntentModel model, List<String> encNames,
                                                  List<IntentExample> examples, int concurrency) throws Exception {
        List<CompletableFuture<IntentResult>> futures = new ArrayList<>(examples.size());
        Semaphore inFlight = new Semaphore(concurrency);
        ExecutorService heads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "nlu-intent-head");
            t.setDaemon(true);
            return t;
        });
        try {
            for (IntentExample e : examples) {
                inFlight.acquire();
                String text = e.text();
                List<CompletableFuture<float[]>> parts = new ArrayList<>();
                for (String name : encNames) {
                    parts.add(executor.encode(name, text));
                }
                CompletableFuture<IntentResult> f = CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]))
                        .thenApplyAsync(ignored -> {
                            Map<String, float[]> vectors = new HashMap<>();
                            for (int k = 0; k < encNames.size(); k++) {
                                vectors.put(encNames.get(k), parts.get(k).join());
                            }
                            return model.classify(vectors, text);
                        }, heads);
                f.whenComplete((r, err) -> inFlight.release());
                futures.add(f);
            }
            List<IntentResult> out = new ArrayList<>(futures.size());
            for (CompletableFuture<IntentResult> f : futures) {
                out.add(f.join());
            }
            return out;
        } finally {
            heads.shutdownNow();
        }
    }

    private static Map<String, List<IntentExample>> byLang(List<IntentExample> examples, String defaultLang) {
        Map<String, List<IntentExample>> out = new TreeMap<>();
        for (IntentExample e : examples) {
            out.computeIfAbsent(e.lang() == null ? defaultLang : e.lang(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    private static int bucket(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(java.nio.ByteBuffer.wrap(d).getLong(), 100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10000) / 10000.0;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
