package io.nectar.nlu.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nectar.nlu.Language;
import io.nectar.nlu.LanguageIdentifier;
import io.nectar.nlu.TextNormalizer;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.Pooling;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModel;
import io.nectar.nlu.intent.IntentModelInfo;
import io.nectar.nlu.intent.IntentResult;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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
        Config cfg;
        try {
            cfg = Config.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("nlu-eval: " + e.getMessage());
            System.err.println(Config.USAGE);
            System.exit(2);
            return;
        }
        if (cfg == null) {
            System.out.println(Config.USAGE);
            return;
        }
        ObjectNode result = run(cfg, System.out);
        System.out.println(JSON.writeValueAsString(result));
        System.exit(0);
    }

    static ObjectNode run(Config cfg, PrintStream out) throws Exception {
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
                float[][] vectors = encodeAll(executor, encNames, langTrain, cfg.vectorCache);
                double encodeSeconds = (System.nanoTime() - ts) / 1e9;
                List<IntentModelInfo.EncoderRef> refs = new ArrayList<>();
                for (String name : encNames) {
                    refs.add(new IntentModelInfo.EncoderRef(name, executor.encoder(name).dimension()));
                }
                IntentTrainer.Options options = cfg.trainerOptions();
                TrainedIntentModel trained = IntentTrainer.train(langTrain, refs, vectors, options);
                double seconds = (System.nanoTime() - ts) / 1e9;
                trainSeconds += seconds;
                IntentModelInfo info = trained.info();
                out.printf("[%s] trained on %d examples, %d labels, encoders %s, %d lexical features: %.1f s "
                                + "(encoding %.1f s, fitting %.1f s); head %.1f MB%n", lang, langTrain.size(),
                        info.labels().size(), encNames.isEmpty() ? "none (lexical only)" : encNames,
                        info.lexicalFeatures(), seconds, encodeSeconds, info.metrics().trainSeconds(),
                        trained.weightBytes() / 1e6);
                out.printf("[%s] held-out folds: accuracy %.4f, in-scope %.4f, oos recall %.4f; temperature %.3f, "
                                + "threshold %.4f%n", lang, info.metrics().accuracy(), info.metrics().inScopeAccuracy(),
                        info.metrics().oosRecall(), info.temperature(), info.threshold());
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

    private static float[][] encodeAll(EncoderExecutor executor, List<String> encNames, List<IntentExample> examples,
                                       Path cache) throws IOException {
        List<String> texts = examples.stream().map(IntentExample::text).toList();
        List<float[][]> parts = new ArrayList<>();
        int dim = 0;
        for (String name : encNames) {
            float[][] v = cache == null ? null : readCache(cache, name, texts);
            if (v == null) {
                v = executor.encodeAllBlocking(name, texts).toArray(new float[0][]);
                if (cache != null) {
                    writeCache(cache, name, texts, v);
                }
            }
            parts.add(v);
            dim += executor.encoder(name).dimension();
        }
        float[][] out = new float[texts.size()][dim];
        for (int i = 0; i < texts.size(); i++) {
            int off = 0;
            for (float[][] p : parts) {
                System.arraycopy(p[i], 0, out[i], off, p[i].length);
                off += p[i].length;
            }
        }
        return out;
    }

    private static Path cacheFile(Path cache, String encoder, List<String> texts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(encoder.getBytes(StandardCharsets.UTF_8));
            for (String t : texts) {
                md.update((byte) 0);
                md.update(t.getBytes(StandardCharsets.UTF_8));
            }
            return cache.resolve(encoder + "-" + HexFormat.of().formatHex(md.digest()).substring(0, 16) + ".vec");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[][] readCache(Path cache, String encoder, List<String> texts) throws IOException {
        Path f = cacheFile(cache, encoder, texts);
        if (!Files.exists(f)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
            int n = in.readInt(), d = in.readInt();
            float[][] v = new float[n][d];
            for (float[] row : v) {
                for (int j = 0; j < d; j++) {
                    row[j] = in.readFloat();
                }
            }
            return v;
        }
    }

    private static void writeCache(Path cache, String encoder, List<String> texts, float[][] v) throws IOException {
        Files.createDirectories(cache);
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(cacheFile(cache, encoder, texts))))) {
            out.writeInt(v.length);
            out.writeInt(v.length == 0 ? 0 : v[0].length);
            for (float[] row : v) {
                for (float x : row) {
                    out.writeFloat(x);
                }
            }
        }
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

    /** Command-line settings. */
    static final class Config {
        static final String USAGE = """
                usage: ops/nlu-eval --train FILE --test FILE [options]
                  --train FILE           JSONL {"text","intent"[,"lang"]} to train on; intent "oos" marks out-of-scope
                  --test FILE            JSONL to evaluate on (same format)
                  --split PCT            no --test: hold out PCT% of --train, chosen by a hash of the text
                  --lang CODE            language of lines without "lang" (default en)
                  --encoders LANG=A,B    encoders for a language (default en=minilm-l6,bge-small-en,e5-small;
                                         zh=bge-small-zh); LANG=none for lexical features only
                  --encoder NAME=MODEL.onnx,TOKENIZER.json,mean|cls[,PREFIX]
                                         declare an encoder from files (a multilingual model, say)
                  --no-lexical           sentence vectors only, no word/character n-gram features
                  --folds N              held-out folds for calibration (default 5)
                  --workers N            encoder threads (default: cores)
                  --concurrency N        requests in flight while classifying the test set (default 64)
                  --vector-cache DIR     reuse training-set sentence vectors from DIR (development aid)
                  --steps N, --learning-rate X, --weight-decay X, --lexical-weight X, --label-smoothing X,
                  --oos-weight X, --oos-recall-weight X
                                         training settings (defaults: IntentTrainer.Options.DEFAULT)
                The last line printed is one JSON object: accuracy, macro_f1, in_scope_accuracy, oos_precision,
                oos_recall, train_seconds, per_second (and per_language details).""";

        Path train;
        Path test;
        int splitPercent;
        String defaultLang = "en";
        final Map<String, List<String>> encoders = new LinkedHashMap<>();
        final Map<String, EncoderSpec> custom = new HashMap<>();
        boolean lexical = true;
        int folds = 5;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        int concurrency = 64;
        Path vectorCache;
        int steps = IntentTrainer.Options.DEFAULT.steps();
        double learningRate = IntentTrainer.Options.DEFAULT.learningRate();
        double weightDecay = IntentTrainer.Options.DEFAULT.weightDecay();
        double lexicalWeight = IntentTrainer.Options.DEFAULT.lexicalWeight();
        double labelSmoothing = IntentTrainer.Options.DEFAULT.labelSmoothing();
        double oosWeight = IntentTrainer.Options.DEFAULT.oosWeight();
        double oosRecallWeight = IntentTrainer.Options.DEFAULT.oosRecallWeight();

        static Config parse(String[] args) {
            Config c = new Config();
            c.encoders.put("en", List.of("minilm-l6", "bge-small-en", "e5-small"));
            c.encoders.put("zh", List.of("bge-small-zh"));
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    return null;
                }
                if (a.equals("--no-lexical")) {
                    c.lexical = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--train" -> c.train = Path.of(v);
                    case "--test" -> c.test = Path.of(v);
                    case "--split" -> c.splitPercent = Integer.parseInt(v);
                    case "--lang" -> c.defaultLang = v;
                    case "--folds" -> c.folds = Integer.parseInt(v);
                    case "--workers" -> c.workers = Integer.parseInt(v);
                    case "--concurrency" -> c.concurrency = Integer.parseInt(v);
                    case "--vector-cache" -> c.vectorCache = Path.of(v);
                    case "--steps" -> c.steps = Integer.parseInt(v);
                    case "--learning-rate" -> c.learningRate = Double.parseDouble(v);
                    case "--weight-decay" -> c.weightDecay = Double.parseDouble(v);
                    case "--lexical-weight" -> c.lexicalWeight = Double.parseDouble(v);
                    case "--label-smoothing" -> c.labelSmoothing = Double.parseDouble(v);
                    case "--oos-weight" -> c.oosWeight = Double.parseDouble(v);
                    case "--oos-recall-weight" -> c.oosRecallWeight = Double.parseDouble(v);
                    case "--encoders" -> {
                        int eq = v.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--encoders wants LANG=A,B, got " + v);
                        }
                        String list = v.substring(eq + 1);
                        c.encoders.put(v.substring(0, eq), list.equals("none") || list.isEmpty() ? List.of()
                                : List.of(list.split(",")));
                    }
                    case "--encoder" -> {
                        int eq = v.indexOf('=');
                        String[] p = eq <= 0 ? new String[0] : v.substring(eq + 1).split(",", 4);
                        if (p.length < 3) {
                            throw new IllegalArgumentException("--encoder wants NAME=MODEL.onnx,TOKENIZER.json,mean|cls[,PREFIX]");
                        }
                        String name = v.substring(0, eq);
                        c.custom.put(name, EncoderSpec.fromFiles(name, Path.of(p[0]), Path.of(p[1]),
                                Pooling.valueOf(p[2].toUpperCase(java.util.Locale.ROOT)), true, p.length > 3 ? p[3] : ""));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (c.train == null) {
                throw new IllegalArgumentException("--train is required");
            }
            if ((c.test == null) == (c.splitPercent == 0)) {
                throw new IllegalArgumentException("give either --test FILE or --split PCT");
            }
            if (c.test == null) {
                c.test = c.train;
            }
            for (List<String> names : c.encoders.values()) {
                for (String n : names) {
                    c.spec(n);
                }
            }
            return c;
        }

        List<String> encodersFor(String lang) {
            return encoders.getOrDefault(lang, List.of());
        }

        EncoderSpec spec(String name) {
            EncoderSpec s = custom.containsKey(name) ? custom.get(name) : EncoderSpec.bundled(name);
            if (s == null) {
                throw new IllegalArgumentException("unknown encoder " + name + " (bundled: "
                        + EncoderSpec.BUNDLED.stream().map(EncoderSpec::name).toList() + "; or declare it with --encoder)");
            }
            return s;
        }

        IntentTrainer.Options trainerOptions() {
            IntentTrainer.Options d = IntentTrainer.Options.DEFAULT;
            return new IntentTrainer.Options(folds, lexical, lexicalWeight, d.maxLexicalFeatures(), learningRate,
                    weightDecay, steps, d.acceptCorrect(), d.threads(), d.seed(), labelSmoothing, oosWeight, oosRecallWeight);
        }
    }

}
