package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.Store;
import io.nectar.nlu.TextNormalizer;
import io.nectar.nlu.encoder.Vectors;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.AnswerCalibration;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentTrainer;
import io.nectar.nlu.intent.TrainedIntentModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a merchant can fix in a store's FAQ and flows so the bot answers more of its questions at the store's
 * answer precision (decision 74): cross-validates the intent head the gateway would train (held-out folds
 * of the store's own phrasings), and lists the entries it confuses with each other with the phrasings it
 * misread, entries with too few phrasings, and near-duplicate entries, each with a suggestion. Shared by
 * {@code ops/store check} and the console. Blocking (encodes and trains): call it from a worker thread.
 */
public final class StoreDiagnosis {

    /** Fewer phrasings than this in a language and an entry is listed as too thin. */
    public static final int MIN_PHRASINGS = 5;
    /** Cosine between two entries' prototypes (primary encoder) at or above which they are near-duplicates. */
    public static final double NEAR_DUPLICATE_COSINE = 0.90;
    /** Misread phrasings shown per confused pair. */
    static final int EXAMPLES_SHOWN = 3;

    /** Two entries the held-out head mixed up, and how often in each direction. */
    public record Confusion(String a, String b, int aReadAsB, int bReadAsA, List<String> examples) {
        public int total() {
            return aReadAsB + bReadAsA;
        }
    }

    /** An entry with fewer phrasings than {@link #MIN_PHRASINGS}. */
    public record Thin(String entry, int phrasings) {
    }

    /** Two entries whose phrasings mean nearly the same; {@code shared} are phrasings both have word for word. */
    public record NearDuplicate(String a, String b, double cosine, List<String> shared) {
    }

    /**
     * The check of one language; {@code headless}: most entries have a single phrasing and the store sets no
     * answer precision, so the gateway answers by the nearest phrasing without a head (decision 112);
     * {@code floor}: then the cosine a question needs because the entries crowd one another, above the
     * encoder's {@code threshold} (decision 114), else {@code NaN}.
     */
    public record LanguageReport(String lang, int entries, int phrasings, double heldOutTop1,
                                 AnswerCalibration.Result answer, List<Confusion> confusions, List<Thin> thin,
                                 List<NearDuplicate> duplicates, boolean headless, double floor, double threshold) {
    }

    private StoreDiagnosis() {
    }

    /** Checks every language the store has FAQ or flow phrasings in. */
    public static List<LanguageReport> check(Store store, EncoderExecutor executor, EncoderRouter router,
                                             IntentTrainer.Options options) {
        List<LanguageReport> out = new ArrayList<>();
        // the built-in small talk is the gateway's, not the merchant's to fix: a language that has nothing else
        // is not checked; confusions and duplicates the merchant need not fix are not listed (worthFixing)
        Set<String> builtIn = new HashSet<>();
        io.nectar.gateway.store.SmallTalk.builtIn(store).forEach(id -> builtIn.add("faq:" + id));
        for (String lang : KnowledgeBase.languagesOf(store)) {
            List<IntentExample> own = IntentHeads.examples(store, lang);
            if (own.stream().map(IntentExample::intent).distinct().count() < 2
                    || own.stream().allMatch(e -> builtIn.contains(e.intent()))) {
                continue;
            }
            String primary = router.encoderFor(lang);
            // what the served head learns (KnowledgeBase.headTraining, decision 123)
            List<IntentExample> examples = IntentHeads.withBackground(executor, own, lang, primary,
                    router.calibration(primary).threshold() + KnowledgeBase.BACKGROUND_MARGIN);
            TrainedIntentModel model = IntentTrainer.train(examples, executor, router.encodersFor(lang),
                    options.withOosWeight(IntentHeads.outOfScopeWeight(examples)), options.lexicalWeightsFor(lang));
            List<float[]> vectors = executor.encodeAllBlocking(primary, own.stream().map(IntentExample::text).toList());
            boolean headless = IntentHeads.answersWithoutHead(own, store.enforcesAnswerPrecision());
            out.add(report(lang, own, examples, vectors, model.heldOut(), store.answerPrecisionOrDefault(), headless,
                    router.calibration(primary).threshold(), (a, b) -> worthFixing(store, builtIn, a, b)));
        }
        return out;
    }

    /**
     * Whether a pair of intents mixed up is the merchant's to fix: not two entries of the built-in small talk
     * (the gateway's), and not an FAQ entry and the flow it starts (either reading starts the same flow).
     */
    static boolean worthFixing(Store store, Set<String> builtIn, String a, String b) {
        if (builtIn.contains(a) && builtIn.contains(b)) {
            return false;
        }
        return !(startsFlow(store, a, b) || startsFlow(store, b, a));
    }

    private static boolean startsFlow(Store store, String faq, String flow) {
        if (!faq.startsWith("faq:") || !flow.startsWith("flow:")) {
            return false;
        }
        io.nectar.gateway.store.Flow f = store.flows().claiming(faq.substring(4));
        return f != null && f.id().equals(flow.substring(5));
    }

    /**
     * The report of one language from the head's held-out readings ({@code readings} index into
     * {@code examples}, whose first {@code own.size()} are the store's own) and the store's phrasings'
     * vectors on the primary encoder; pairs of intents that {@code listed} refuses are not reported as confused
     * or near-duplicates.
     */
    static LanguageReport report(String lang, List<IntentExample> own, List<IntentExample> examples,
                                 List<float[]> ownVectors, List<AnswerCalibration.Reading> readings, double precision,
                                 boolean headless, double threshold, java.util.function.BiPredicate<String, String> listed) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        own.forEach(e -> counts.merge(e.intent(), 1, Integer::sum));
        int inScope = 0, right = 0;
        Map<String, int[]> pairs = new LinkedHashMap<>();
        Map<String, List<String>> misread = new HashMap<>();
        for (AnswerCalibration.Reading r : readings) {
            if (r.goldOutOfScope()) {
                continue;
            }
            inScope++;
            if (r.right()) {
                right++;
                continue;
            }
            boolean forward = r.gold().compareTo(r.predicted()) < 0;
            String a = forward ? r.gold() : r.predicted(), b = forward ? r.predicted() : r.gold();
            String key = a + "\u0000" + b;
            pairs.computeIfAbsent(key, k -> new int[2])[forward ? 0 : 1]++;
            misread.computeIfAbsent(key, k -> new ArrayList<>())
                    .add("\"" + examples.get(r.example()).text() + "\" (" + r.gold() + ") read as " + r.predicted());
        }
        List<Confusion> confusions = new ArrayList<>();
        pairs.forEach((key, c) -> {
            String[] ab = key.split("\u0000");
            if (!listed.test(ab[0], ab[1])) {
                return;
            }
            List<String> ex = misread.get(key);
            confusions.add(new Confusion(ab[0], ab[1], c[0], c[1], List.copyOf(ex.subList(0, Math.min(EXAMPLES_SHOWN, ex.size())))));
        });
        confusions.sort((x, y) -> Integer.compare(y.total(), x.total()));
        List<Thin> thin = new ArrayList<>();
        counts.forEach((entry, n) -> {
            if (n < MIN_PHRASINGS) {
                thin.add(new Thin(entry, n));
            }
        });
        Map<String, float[]> protos = prototypes(own, ownVectors);
        double floor = headless ? CrowdingFloor.of(new ArrayList<>(protos.values()), threshold) : Double.NaN;
        return new LanguageReport(lang, counts.size(), own.size(), inScope == 0 ? Double.NaN : (double) right / inScope,
                AnswerCalibration.calibrate(readings, precision), List.copyOf(confusions), List.copyOf(thin),
                duplicates(own, protos, listed), headless, floor, threshold);
    }

    /** Each entry's prototype: the normalised mean of its phrasings' vectors (as the index holds it, decision 4). */
    private static Map<String, float[]> prototypes(List<IntentExample> own, List<float[]> vectors) {
        Map<String, float[]> sums = new LinkedHashMap<>();
        for (int i = 0; i < own.size(); i++) {
            float[] v = vectors.get(i);
            float[] sum = sums.computeIfAbsent(own.get(i).intent(), k -> new float[v.length]);
            for (int d = 0; d < v.length; d++) {
                sum[d] += v[d];
            }
        }
        Map<String, float[]> protos = new LinkedHashMap<>();
        sums.forEach((k, v) -> protos.put(k, Vectors.normalize(v)));
        return protos;
    }

    private static List<NearDuplicate> duplicates(List<IntentExample> own, Map<String, float[]> protos,
                                                  java.util.function.BiPredicate<String, String> listed) {
        Map<String, List<String>> texts = new HashMap<>();
        for (IntentExample e : own) {
            texts.computeIfAbsent(e.intent(), k -> new ArrayList<>()).add(TextNormalizer.normalize(e.text()));
        }
        List<String> ids = new ArrayList<>(protos.keySet());
        List<NearDuplicate> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                float[] a = protos.get(ids.get(i)), b = protos.get(ids.get(j));
                double cos = 0;
                for (int d = 0; d < a.length; d++) {
                    cos += a[d] * b[d];
                }
                List<String> shared = new ArrayList<>(texts.get(ids.get(i)));
                shared.retainAll(texts.get(ids.get(j)));
                if ((cos >= NEAR_DUPLICATE_COSINE || !shared.isEmpty()) && listed.test(ids.get(i), ids.get(j))) {
                    out.add(new NearDuplicate(ids.get(i), ids.get(j), cos, List.copyOf(shared)));
                }
            }
        }
        out.sort((x, y) -> Double.compare(y.cosine(), x.cosine()));
        return out;
    }

    /** The report as text for a merchant, with a suggestion for each finding. */
    public static String text(List<LanguageReport> reports) {
        StringBuilder sb = new StringBuilder();
        for (LanguageReport r : reports) {
            sb.append(String.format(Locale.ROOT, "[%s] %d entries and flows, %d phrasings; held-out phrasings read right: %.3f%n",
                    r.lang(), r.entries(), r.phrasings(), r.heldOutTop1()));
            if (r.headless()) {
                sb.append(String.format(Locale.ROOT, "[%s] most entries have a single phrasing: the bot answers by the nearest "
                        + "phrasing, without an intent head, until most have two or more (the figures below are a head's)%n", r.lang()));
            }
            if (!Double.isNaN(r.floor())) {
                sb.append(String.format(Locale.ROOT, "[%s] its entries are close to one another (median cosine to the nearest other "
                        + "entry %.2f): the bot answers only questions at least that close to an entry, where a store of varied "
                        + "entries answers from %.2f; more phrasings per entry let it learn a head instead%n", r.lang(), r.floor(),
                        r.threshold()));
            }
            AnswerCalibration.Result a = r.answer();
            sb.append(String.format(Locale.ROOT, "[%s] at answer precision %.2f the bot would answer %.1f%% of held-out phrasings "
                            + "(%.1f%% right)%s%s%n", r.lang(), a.precision(), 100 * a.answeredShare(), 100 * a.rightShare(),
                    Double.isNaN(a.fallbackShare()) ? "" : String.format(Locale.ROOT,
                            " and send %.1f%% of background questions to the fallback", 100 * a.fallbackShare()),
                    a.reachable() ? "" : "; that precision is not reachable: fix the confusions below"));
            if (r.confusions().isEmpty()) {
                sb.append("  no entries confused with each other on held-out phrasings\n");
            }
            for (Confusion c : r.confusions()) {
                sb.append(String.format(Locale.ROOT, "  confused: %s and %s (%d held-out phrasings misread)%n", c.a(), c.b(), c.total()));
                c.examples().forEach(e -> sb.append("      ").append(e).append('\n'));
                sb.append("    suggestion: if they give the same answer, merge them; otherwise add phrasings that name what "
                        + "differs, and reword phrasings that would fit both\n");
            }
            for (Thin t : r.thin()) {
                sb.append(String.format(Locale.ROOT, "  too few phrasings: %s has %d%n    suggestion: add at least %d more, "
                        + "worded as shoppers ask (short, long, with and without the product name)%n", t.entry(), t.phrasings(),
                        MIN_PHRASINGS - t.phrasings()));
            }
            for (NearDuplicate d : r.duplicates()) {
                sb.append(String.format(Locale.ROOT, "  near-duplicates: %s and %s (cosine %.2f)%s%n    suggestion: merge them "
                                + "into one entry, or make each one's phrasings say what only it answers%n", d.a(), d.b(), d.cosine(),
                        d.shared().isEmpty() ? "" : ", same phrasings in both: " + d.shared()));
            }
        }
        return sb.toString();
    }
}
