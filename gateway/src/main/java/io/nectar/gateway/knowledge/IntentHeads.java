package io.nectar.gateway.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.NluException;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.AnswerCalibration;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModel;
import io.nectar.nlu.intent.IntentModelInfo;
import io.nectar.nlu.intent.IntentModelRegistry;
import io.nectar.nlu.intent.IntentResult;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The merchants' intent heads (decision 37): one per merchant and language, trained with
 * {@link IntentTrainer} on the store's FAQ phrasings (intent {@code faq:<id>}), flow trigger phrasings
 * ({@code flow:<id>}) and the built-in small talk, kept in an {@link IntentModelRegistry} under the node's
 * data directory. A head whose saved version was trained on the same examples with the same encoders is
 * loaded instead of trained again, so a restart does not retrain.
 * <p>
 * The head's own out-of-scope threshold comes from held-out folds of the merchant's data; the gateway
 * accepts at {@code thresholdScale} × that threshold (tuned once on held-out CLINC150 training data,
 * decision 38) and maps the head's probability to a confidence that is 0.5 exactly there.
 * <p>
 * Threads: {@link #install} is blocking CPU and file work (the start-up thread; the trainer's folds use its
 * own bounded pool). {@link #classify} is tens of microseconds of ONNX work: call it on a worker thread.
 */
public final class IntentHeads {

    private static final Logger log = LoggerFactory.getLogger(IntentHeads.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param thresholdScale accept a head's top intent at this multiple of its calibrated threshold
     * @param training       trainer settings
     * @param keepVersions   saved versions kept per merchant and language (older ones are deleted)
     */
    public record Settings(double thresholdScale, IntentTrainer.Options training, int keepVersions) {
        public Settings {
            if (thresholdScale <= 0 || thresholdScale > 2) {
                throw new IllegalArgumentException("thresholdScale must be in (0, 2]");
            }
            if (keepVersions < 1) {
                throw new IllegalArgumentException("keepVersions must be >= 1");
            }
        }
    }

    /**
     * A served head.
     *
     * @param key       registry key ({@code merchant:lang})
     * @param threshold the probability at which the gateway accepts the head's top intent
     * @param encoders  the encoders whose vectors the head takes
     * @param origin    {@code trained} or {@code loaded} (with the version), for logs
     * @param answer    the store's answer precision turned into the probability the head's first reading
     *                  needs to be answered, with the held-out coverage it leaves (decision 73)
     */
    public record Head(String key, double threshold, List<String> encoders, String origin, AnswerCalibration.Result answer,
                       boolean enforced) {
        /**
         * Whether the head is sure enough of its first reading to answer it: when the store sets an answer
         * precision, the reading is as probable as that asks and the out-of-scope class does not veto it
         * (decision 116: at the odds calibrated with the threshold); otherwise the out-of-scope class does not win.
         */
        public boolean sure(IntentResult r) {
            return enforced ? answer.answers(r.confidence(), r.outOfScopeProbability()) : !r.outOfScopeWins();
        }

        /** Piecewise-linear map of the head's probability to a confidence that is 0.5 at {@code threshold}. */
        public double confidence(double p) {
            return p >= threshold ? 0.5 + 0.5 * (p - threshold) / (1 - threshold) : 0.5 * p / threshold;
        }
    }

    /**
     * Loss weight of every out-of-scope example in a head, the background questions and the store's own
     * (decision 73, chosen on CLINC150 training questions; every head since decision 123, where a store's
     * own used to weigh 3 without an answer precision, decision 31).
     */
    static final double BACKGROUND_WEIGHT = 1.0;

    private final IntentModelRegistry registry;
    private final Path root;
    private final EncoderExecutor executor;
    private final Settings settings;

    public IntentHeads(Path root, EncoderExecutor executor, Settings settings) {
        this.root = root;
        this.registry = new IntentModelRegistry(root);
        this.executor = executor;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public IntentModelRegistry registry() {
        return registry;
    }

    /** The training examples of a store in one language: FAQ phrasings and flow triggers, in store order. */
    public static List<IntentExample> examples(Store store, String lang) {
        List<IntentExample> out = new ArrayList<>();
        for (FaqEntry f : store.faqs()) {
            for (String q : f.questions().getOrDefault(lang, List.of())) {
                out.add(new IntentExample(q, "faq:" + f.id(), lang));
            }
        }
        for (Flow f : store.flows().flows()) {
            for (String q : f.phrasings().getOrDefault(lang, List.of())) {
                out.add(new IntentExample(q, "flow:" + f.id(), lang));
            }
        }
        return out;
    }

    /**
     * The bundled background questions of a language (ordinary questions no shop answers; docs/decisions.md
     * 48), or none. Trained as the head's out-of-scope class, they teach it that the world is bigger than the
     * store.
     */
    public static List<String> background(String lang) {
        try (java.io.InputStream in = IntentHeads.class.getClassLoader().getResourceAsStream("background/" + lang + ".txt")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The store's examples plus the language's background questions as out-of-scope examples, leaving out
     * any background question that is one of the store's phrasings or whose cosine to the nearest of them
     * (on {@code encoder}) is {@code maxCosine} or more: the store answers those. Blocking (encodes).
     */
    public List<IntentExample> withBackground(List<IntentExample> examples, String lang, String encoder, double maxCosine) {
        return withBackground(executor, examples, lang, encoder, maxCosine);
    }

    /** As {@link #withBackground(List, String, String, double)}, encoding on {@code executor}. */
    public static List<IntentExample> withBackground(EncoderExecutor executor, List<IntentExample> examples, String lang,
                                                     String encoder, double maxCosine) {
        List<String> bg = new ArrayList<>();
        Set<String> own = new HashSet<>();
        examples.forEach(e -> own.add(io.nectar.nlu.TextNormalizer.normalize(e.text())));
        for (String b : background(lang)) {
            if (!own.contains(io.nectar.nlu.TextNormalizer.normalize(b))) {
                bg.add(b);
            }
        }
        if (bg.isEmpty() || examples.isEmpty()) {
            return examples;
        }
        List<float[]> store = executor.encodeAllBlocking(encoder, examples.stream().map(IntentExample::text).toList());
        List<float[]> back = executor.encodeAllBlocking(encoder, bg);
        List<IntentExample> out = new ArrayList<>(examples);
        for (int i = 0; i < bg.size(); i++) {
            float[] v = back.get(i);
            double max = -1;
            for (float[] w : store) {
                double dot = 0;
                for (int d = 0; d < v.length; d++) {
                    dot += v[d] * w[d];
                }
                max = Math.max(max, dot);
            }
            if (max < maxCosine) {
                out.add(new IntentExample(bg.get(i), IntentExample.OUT_OF_SCOPE, lang));
            }
        }
        log.info("background {}: {} of {} questions learnt as none of these ({} at cosine {} or more to a phrasing of the store)",
                lang, out.size() - examples.size(), bg.size(), bg.size() - (out.size() - examples.size()), maxCosine);
        return out;
    }

    /**
     * Most weight all out-of-scope examples of a head may have together, as a share of the store's own
     * phrasings' (decision 123: at 1 and 0.5 a four-entry store of 16 phrasings sent "where do I leave my
     * car" to the fallback instead of its parking entry; at 0.25 and 1/16 it answered).
     */
    static final double OUT_OF_SCOPE_SHARE = 0.25;

    /**
     * Loss weight of each out-of-scope example of a head: {@link #BACKGROUND_WEIGHT}, less in a store with
     * few phrasings of its own beside the background questions, so that "none of these" weighs at most
     * {@link #OUT_OF_SCOPE_SHARE} of the store (a small store beside 100 background questions would otherwise
     * learn that nearly everything is none of these).
     */
    public static double outOfScopeWeight(List<IntentExample> examples) {
        long oos = examples.stream().filter(e -> IntentExample.OUT_OF_SCOPE.equals(e.intent())).count();
        long own = examples.size() - oos;
        return oos == 0 ? BACKGROUND_WEIGHT : Math.min(BACKGROUND_WEIGHT, OUT_OF_SCOPE_SHARE * own / oos);
    }

    /** {@code [kind, id]} of a head label, or {@code null} for a label this class did not make. */
    static String[] split(String label) {
        int colon = label.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String kind = label.substring(0, colon);
        return kind.equals("faq") || kind.equals("flow") ? new String[]{kind, label.substring(colon + 1)} : null;
    }

    /**
     * What a head learns: the store's own examples ({@code own}) and, only when it must be trained,
     * {@code examples} (those plus the background questions not too close to them, which takes encoding).
     * {@code recipe} names the result without encoding anything, so a restart finds its saved head by it
     * (decision 123: filtering the background again cost a second a store on every start).
     */
    public record Training(List<IntentExample> own, String recipe, boolean background, Supplier<List<IntentExample>> examples) {
        /** A head of the store's examples alone. */
        public static Training ownOnly(List<IntentExample> own) {
            return new Training(own, IntentExample.hash(own), false, () -> own);
        }
    }

    /**
     * The store's examples plus the language's background questions ({@link #withBackground}), filtered
     * only if a head must be trained.
     */
    public Training withBackgroundWhenTrained(List<IntentExample> own, String lang, String encoder, double maxCosine) {
        List<String> bg = background(lang);
        if (bg.isEmpty()) {
            return Training.ownOnly(own);
        }
        List<IntentExample> recipe = new ArrayList<>(own);
        recipe.add(new IntentExample("background " + lang + " " + encoder + " " + maxCosine, IntentExample.OUT_OF_SCOPE, lang));
        bg.forEach(b -> recipe.add(new IntentExample(b, IntentExample.OUT_OF_SCOPE, lang)));
        return new Training(own, IntentExample.hash(recipe), true, () -> withBackground(own, lang, encoder, maxCosine));
    }

    /** File beside a saved head naming what it was trained from ({@link Training#recipe}). */
    static final String RECIPE_FILE = "training-recipe.txt";

    /**
     * Makes the merchant's head for a language current: a saved version trained from the same recipe (the
     * examples and the trainer's settings for the language) with these encoders, else a newly trained one.
     * Returns {@code null} (and stops serving any earlier head) when the examples name fewer than two intents ("none of these" counting as one), or when most intents
     * have a single phrasing and the store sets no answer precision (decision 112). Answers at the given
     * precision (NaN: report the coverage at the default precision without enforcing it). A retrain in the
     * background encodes on an executor of its own, so shoppers' questions never queue behind a store's
     * phrasings, with fewer fold threads. Blocking.
     */
    public Head install(String merchant, String lang, Training data, List<String> encoderNames, double answerPrecision) {
        return install(merchant, lang, data, encoderNames, executor, settings.training(), answerPrecision);
    }

    /** As {@link #install(String, String, Training, List, double)}, encoding through {@code via} with {@code training}. */
    public Head install(String merchant, String lang, Training data, List<String> encoderNames,
                        EncoderExecutor via, IntentTrainer.Options training, double answerPrecision) {
        boolean enforced = !Double.isNaN(answerPrecision);
        double precision = enforced ? answerPrecision : io.nectar.gateway.store.Store.DEFAULT_ANSWER_PRECISION;
        String key = merchant + ":" + lang;
        if (data.own().stream().map(IntentExample::intent).distinct().count() + (data.background() ? 1 : 0) < 2) {
            registry.unload(key);
            return null;
        }
        if (answersWithoutHead(data.own(), enforced)) {
            registry.unload(key);
            log.info("head {}: not used: most entries have a single phrasing; answered by the nearest phrasing (decision 112)", key);
            return null;
        }
        double[] lexicalWeights = training.lexicalWeightsFor(lang);
        String hash = data.recipe() + " " + training.recipe() + " lexicalWeights=" + Arrays.toString(lexicalWeights);
        String origin = null;
        List<String> versions = registry.versions(key);
        for (int i = versions.size() - 1; i >= 0; i--) {
            String version = versions.get(i);
            if (matches(key, version, hash, encoderNames)) {
                try {
                    registry.activate(key, version);
                    origin = "loaded " + version;
                    break;
                } catch (NluException e) {
                    log.warn("model {} {} unusable ({}); training again", key, version, e.getMessage());
                }
            }
        }
        if (origin == null) {
            long t0 = System.nanoTime();
            List<IntentExample> examples = data.examples().get();
            TrainedIntentModel model = IntentTrainer.train(examples, via, encoderNames,
                    training.withOosWeight(outOfScopeWeight(examples)), lexicalWeights);
            Path dir = registry.publish(key, model);
            try {
                Files.writeString(dir.resolve(RECIPE_FILE), hash + "\n");
            } catch (IOException e) {
                log.warn("head {}: cannot write {} ({}): the next start trains it again", key, dir.resolve(RECIPE_FILE), e.getMessage());
            }
            origin = "trained " + dir.getFileName() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"
                    + (lexicalWeights.length > 1 ? String.format(Locale.ROOT, " (lexical weight %.2f)", model.lexicalWeight()) : "");
        }
        IntentModel current = registry.current(key);
        prune(key, current.directory().getFileName().toString());
        double threshold = Math.max(0.02, Math.min(0.95, settings.thresholdScale() * current.info().threshold()));
        AnswerCalibration.Result answer = AnswerCalibration.calibrate(current.heldOut(), precision);
        if (enforced && !answer.reachable()) {
            log.warn("head {}: no threshold reaches answer precision {} on held-out phrasings ({}); `ops/store check` "
                    + "lists what to fix", key, precision, answer.summary());
        }
        return new Head(key, threshold, List.copyOf(encoderNames), origin, answer, enforced);
    }

    /**
     * Whether a language is answered by the nearest phrasing instead of a head (decision 112): more than half
     * of its intents have a single training phrasing and the store promises no answer precision (only a
     * head's held-out readings can hold one). A head learns an entry from its phrasings; with one each it
     * is a classifier of a few hundred classes from one example apiece, and on the ATEC store (291 of 300
     * entries with one phrasing) it answered 0.55 of the questions right where the nearest phrasing's
     * cosine answered 0.65-0.67. Its held-out readings cannot show it either:
     * a single phrasing held out leaves its entry nothing to learn from.
     */
    static boolean answersWithoutHead(List<IntentExample> examples, boolean enforcesPrecision) {
        return !enforcesPrecision && singlePhrasingMajority(examples);
    }

    /** Whether more than half of the intents (out-of-scope examples aside) have a single phrasing. */
    static boolean singlePhrasingMajority(List<IntentExample> examples) {
        Map<String, Integer> phrasings = new HashMap<>();
        for (IntentExample e : examples) {
            if (!IntentExample.OUT_OF_SCOPE.equals(e.intent())) {
                phrasings.merge(e.intent(), 1, Integer::sum);
            }
        }
        long single = phrasings.values().stream().filter(n -> n == 1).count();
        return single * 2 > phrasings.size();
    }

    private boolean matches(String key, String version, String hash, List<String> encoderNames) {
        Path json = root.resolve(key).resolve(version).resolve(IntentModelInfo.FILE);
        try {
            JsonNode n = JSON.readTree(json.toFile());
            List<String> names = new ArrayList<>();
            n.path("encoders").forEach(e -> names.add(e.path("name").asText()));
            Path recipe = json.resolveSibling(RECIPE_FILE);
            String saved = Files.exists(recipe) ? Files.readString(recipe).strip() : n.path("trainingDataHash").asText();
            return hash.equals(saved) && names.equals(encoderNames);
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes all but the newest {@code keepVersions} versions of a key (never the one in use). */
    private void prune(String key, String inUse) {
        List<String> versions = registry.versions(key);
        Set<String> keep = new HashSet<>(versions.subList(Math.max(0, versions.size() - settings.keepVersions()), versions.size()));
        keep.add(inUse);
        for (String v : versions) {
            if (!keep.contains(v)) {
                deleteTree(root.resolve(key).resolve(v));
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot delete old model {}: {}", dir, e.getMessage());
        }
    }

    /**
     * The head's reading of a text, or {@code null} when its model is gone. A model swapped out during
     * the call is looked up again (the registry closes a replaced model once its last call returns).
     */
    public IntentResult classify(Head head, Map<String, float[]> vectors, String text) {
        return registry.classify(head.key(), vectors, text);
    }
}
