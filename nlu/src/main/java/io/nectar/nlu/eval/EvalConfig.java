package io.nectar.nlu.eval;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.Pooling;
import io.nectar.nlu.intent.IntentTrainer;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Command-line settings of {@link NluEval} ({@code ops/nlu-eval}). */
final class EvalConfig {
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
                                     training settings (defaults: IntentTrainer.Options.DEFAULT; the lexical
                                     weight is the language's own unless given: zh chooses 0.3 or 1.5 by held-out folds)
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
    Double lexicalWeight; // null: the language's own (IntentTrainer.Options.lexicalWeightsFor)
    double labelSmoothing = IntentTrainer.Options.DEFAULT.labelSmoothing();
    double oosWeight = IntentTrainer.Options.DEFAULT.oosWeight();
    double oosRecallWeight = IntentTrainer.Options.DEFAULT.oosRecallWeight();

    static EvalConfig parse(String[] args) {
        EvalConfig c = new EvalConfig();
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

    /** The trainer's settings from the command line. */
    IntentTrainer.Options trainerOptions() {
        IntentTrainer.Options d = IntentTrainer.Options.DEFAULT;
        return new IntentTrainer.Options(folds, lexical, lexicalWeight == null ? d.lexicalWeight() : lexicalWeight,
                d.maxLexicalFeatures(), learningRate, weightDecay, steps, d.acceptCorrect(), d.threads(), d.seed(),
                labelSmoothing, oosWeight, oosRecallWeight);
    }

    /** The lexical weights a language's model chooses among: the one given, else the language's own. */
    double[] lexicalWeights(String lang) {
        IntentTrainer.Options o = trainerOptions();
        return lexicalWeight == null ? o.lexicalWeightsFor(lang) : new double[]{lexicalWeight};
    }
}
