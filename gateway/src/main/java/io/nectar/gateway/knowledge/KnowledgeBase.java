package io.nectar.gateway.knowledge;

import io.nectar.gateway.dialogue.IntentClassifier;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.index.KnowledgeIndex;
import io.nectar.index.OpenResult;
import io.nectar.nlu.NluException;
import io.nectar.nlu.Language;
import io.nectar.nlu.LanguageIdentifier;
import io.nectar.nlu.entity.EntityExtractor;
import io.nectar.nlu.entity.Gazetteer;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.exec.Relief;
import io.nectar.nlu.exec.YieldingExecutor;
import io.nectar.nlu.intent.IntentModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every merchant's store, its semantic index and its intent heads, and what a shopper's question means
 * in that store.
 * <p>
 * Ranking ({@link Ranking#HEAD}, the default): the merchant's intent head for the message's language
 * decides among FAQ entries and flows, and the message's cosine to the chosen entry's prototype decides
 * whether it is answered at all (decision 44): a reading's confidence is that cosine through the
 * encoder's calibration, moved down by {@link #HEAD_GATE}, and never above the head's first reading's.
 * Prototypes no longer answer on their own beside a head. The merchant's index
 * (hybrid: cosine plus BM25 over the entries' texts) ranks products and promotions. An entry named by an
 * identifier (a SKU) gets confidence near 1, so it beats any FAQ reading. {@link Ranking#HYBRID} and
 * {@link Ranking#VECTOR} leave the head out (for comparison; decision 37 and BENCHMARKS.md).
 * <p>
 * Threads: {@link #install} is blocking (it embeds the store, or reads its snapshot, and trains or loads
 * its heads): call it from a start-up or worker thread. {@link #understand} never blocks: language ID,
 * head inference, index search and entity extraction run on this class's bounded
 * {@code knowledge-search} pool, encoding on the NLU executor; the future completes on the search pool,
 * except for a question asked before in the very same words, whose future is complete when it is returned.
 * A merchant's questions only ever reach that merchant's index entries and heads.
 */
public final class KnowledgeBase implements IntentClassifier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeBase.class);
    static final int TOP_K = 20;
    /** Bumped when the index layout of a store (or how it is encoded) changes, so old snapshots are rebuilt. */
    private static final String LAYOUT = "nectar-store-index-2";

    /** How FAQ entries and flows are ranked. */
    public enum Ranking {
        /** the merchant's intent head beside the prototypes' cosine (the higher confidence counts); hybrid index for the rest */
        HEAD,
        /** prototypes and catalogue by hybrid score (cosine + BM25), no head */
        HYBRID,
        /** prototypes and catalogue by cosine only, no head (the ranking before heads) */
        VECTOR,
        /**
         * prototypes and catalogue by BM25 only, no encoder: what every ranking falls back to while the
         * encoders are saturated (decision 42); as a setting, for measuring that fallback
         */
        LEXICAL;

        public static Ranking parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ranking must be head, hybrid, vector or lexical, got '" + s + "'");
            }
        }
    }

    /** Confidence of an entry named by an identifier (its SKU or code in the message). */
    static final double IDENTIFIER_CONFIDENCE = 0.99;
    /**
     * How far below the encoder's answer threshold the message's cosine to an FAQ entry's or flow's
     * prototype may be for the head's reading of it to be answered (decision 44; 0.10 in decision 38,
     * 0.08 in 43, when it was a gate beside the head's own probability threshold). Chosen on held-out
     * CLINC150 training questions, never the validation split.
     */
    static final double HEAD_GATE = 0.06;
    /** Most confidence a gated head reading keeps: below the answer boundary. */
    static final double GATED_CONFIDENCE = 0.45;
    /**
     * A background question (decision 73) closer than the encoder's answer threshold plus this to one of the
     * store's phrasings is left out of the head's out-of-scope class: the store answers it.
     */
    static final double BACKGROUND_MARGIN = 0.10;
    /**
     * The share of a message's BM25 weight an entry must match to be answered without an encoder
     * (confidence 0.5 there; decision 42).
     */
    static final double LEXICAL_THRESHOLD = 0.35;

    private final EncoderExecutor encoders;
    private final EncoderRouter router;
    private final KnowledgeIndex index;
    private final IntentHeads heads;
    private final Ranking ranking;
    private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
    private final Map<String, InstallReport> reports = new ConcurrentHashMap<>();
    private final YieldingExecutor searchPool;
    private final AnswerCache answers;
    private final Ranker ranker;
    private final java.util.concurrent.atomic.LongAdder degraded = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, Object> updateLocks = new ConcurrentHashMap<>();
    private final Map<String, Object> headLocks = new ConcurrentHashMap<>();
    private final KnowledgeUpdater updater;

    /**
     * One merchant's serving state, replaced whole on a reload or an update.
     *
     * @param builtInSmallTalk ids of the built-in small-talk entries this store serves (answered only when close)
     * @param coverage         which FAQ entries and flows the heads have not learnt yet (added or rephrased since)
     * @param floors           per language served without a head, the cosine its questions need ({@link CrowdingFloor})
     */
    record Merchant(Store store, EntityExtractor extractor, LanguageIdentifier languages,
                    Map<String, IntentHeads.Head> heads, Set<String> builtInSmallTalk, IntentCoverage coverage,
                    Map<String, Double> floors) {
    }

    /**
     * @param heads   trains, stores and serves intent heads; {@code null} with {@link Ranking#HYBRID} or {@link Ranking#VECTOR}
     * @param index   the node's index (with a snapshot directory, a restart reads stores' indexes from disk)
     */
    public KnowledgeBase(EncoderExecutor encoders, EncoderRouter router, KnowledgeIndex index, IntentHeads heads,
                         Ranking ranking, int searchThreads, int searchQueue) {
        this(encoders, router, index, heads, ranking, searchThreads, searchQueue, DEFAULT_ANSWER_CACHE);
    }

    /** Questions whose understanding is remembered when no size is given. */
    public static final int DEFAULT_ANSWER_CACHE = 20_000;

    /** @param answerCache questions whose understanding is remembered (0: none; see {@link AnswerCache}) */
    public KnowledgeBase(EncoderExecutor encoders, EncoderRouter router, KnowledgeIndex index, IntentHeads heads,
                         Ranking ranking, int searchThreads, int searchQueue, int answerCache) {
        this.answers = new AnswerCache(answerCache);
        this.ranker = new Ranker(router, index, heads, ranking);
        if (ranking == Ranking.HEAD && heads == null) {
            throw new IllegalArgumentException("head ranking needs intent heads");
        }
        this.encoders = encoders;
        this.router = router;
        this.index = index;
        this.heads = heads;
        this.ranking = ranking;
        // intent heads and index search: low priority as EncoderExecutor's workers, with their relief (decision 126)
        this.searchPool = new YieldingExecutor("knowledge-search", searchThreads, searchQueue, Relief.DEFAULT);
        this.updater = new KnowledgeUpdater(this, encoders, index, heads, router);
    }

    public Ranking ranking() {
        return ranking;
    }

    /** What {@link #install} did for one store. */
    public record InstallReport(String merchant, OpenResult.Outcome index, int lines, Map<String, String> heads, long millis) {
    }

    /**
     * Installs a store: its index (read from the node's snapshot when it has one of this store content and
     * these encoders, else embedded and written), its intent heads (loaded when the saved ones were trained
     * on the same examples with the same encoders, else trained and saved), then swaps the merchant's
     * serving state in one step. Queries see the old store or the new one. Blocking.
     */
    public InstallReport install(Store store) {
        synchronized (updateLock(store.merchantId())) {
            synchronized (headLock(store.merchantId())) {
                return installLocked(store);
            }
        }
    }

    private InstallReport installLocked(Store store) {
        long t0 = System.nanoTime();
        String merchant = store.merchantId();
        Map<String, List<StoreIndexContent.Line>> bySpace = StoreIndexContent.lines(store, router);
        String version = StoreIndexContent.version(bySpace, LAYOUT);
        OpenResult opened = index.open(merchant, version, () -> StoreIndexContent.embed(encoders, bySpace)).join();
        int lines = bySpace.values().stream().mapToInt(List::size).sum();
        Map<String, IntentHeads.Head> installed = new LinkedHashMap<>();
        Map<String, String> headReport = new LinkedHashMap<>();
        if (ranking == Ranking.HEAD) {
            for (String lang : languagesOf(store)) {
                IntentHeads.Head h = heads.install(merchant, lang, headTraining(store, lang), router.encodersFor(lang), store.answerPrecision());
                if (h != null) {
                    installed.put(lang, h);
                    headReport.put(lang, h.origin());
                    log.info("merchant {} head {}: {}{}", merchant, lang, h.enforced() ? "" : "not enforced: ", h.answer().summary());
                }
            }
        }
        Merchant m = new Merchant(store, new EntityExtractor(gazetteer(store)), languageIdentifier(store), Map.copyOf(installed),
                SmallTalk.builtIn(store), IntentCoverage.trainedOn(store, installed.keySet()), floors(store, installed.keySet()));
        warmUp(m);
        merchants.put(merchant, m);
        answers.forget(merchant);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("merchant {}: index {} ({} lines: {} FAQ, {} products, {} promotions), heads {} in {} ms", merchant,
                opened.outcome(), lines, store.faqs().size(), store.products().size(), store.promotions().size(), headReport, ms);
        InstallReport report = new InstallReport(merchant, opened.outcome(), lines, headReport, ms);
        reports.put(merchant, report);
        return report;
    }

    /** What {@link #update} did for one store. */
    public record UpdateReport(String merchant, int embedded, int removed, boolean retraining, long millis) {
    }

    /**
     * Applies a new version of an installed merchant's store (a merchant not installed yet is installed):
     * only the index entries that changed are embedded and upserted, removed ones deleted, and the
     * serving state swapped at once; the intent heads are retrained in the background, and meanwhile an
     * entry they have not learnt is answered on its prototype's cosine ({@link KnowledgeUpdater}).
     * Blocking (embedding the changed entries): call it from a worker thread.
     */
    public UpdateReport update(Store store) {
        return updater.update(store);
    }

    /** Whether the merchant's heads have learnt its current store (no retrain waiting or running). */
    public boolean headsCurrent(String merchantId) {
        Merchant m = merchants.get(merchantId);
        return m != null && m.coverage().current() && !updater.retrainer().busy(merchantId);
    }

    /** Head retrains after knowledge updates: completed, failed, and waiting or running now. */
    public long[] retrainCounts() {
        HeadRetrainer r = updater.retrainer();
        return new long[]{r.completed(), r.failed(), r.waiting()};
    }

    Merchant merchant(String merchantId) {
        return merchants.get(merchantId);
    }

    /** Replaces the merchant's serving state atomically, computed from the current one. */
    void swap(String merchantId, java.util.function.UnaryOperator<Merchant> next) {
        merchants.computeIfPresent(merchantId, (k, cur) -> next.apply(cur));
        answers.forget(merchantId);
    }

    Object updateLock(String merchantId) {
        return updateLocks.computeIfAbsent(merchantId, k -> new Object());
    }

    Object headLock(String merchantId) {
        return headLocks.computeIfAbsent(merchantId, k -> new Object());
    }

    /**
     * What a store's head for {@code lang} learns: its phrasings and flow triggers, and the background
     * out-of-scope questions (decision 73; every store, not only one that sets an answer precision: decision
     * 123), filtered against the store only when the head is trained, not when a saved one is loaded.
     */
    IntentHeads.Training headTraining(Store store, String lang) {
        String primary = router.encoderFor(lang);
        return heads.withBackgroundWhenTrained(IntentHeads.examples(store, lang), lang, primary,
                router.calibration(primary).threshold() + BACKGROUND_MARGIN);
    }

    /**
     * The answer floors of a store's languages served without a head ({@link CrowdingFloor}, decision 114),
     * logged when one asks more than the encoder's threshold. Blocking (CPU).
     */
    Map<String, Double> floors(Store store, Set<String> headed) {
        if (ranking != Ranking.HEAD) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String lang : languagesOf(store)) {
            if (!headed.contains(lang)) {
                String space = router.encoderFor(lang);
                double threshold = router.calibration(space).threshold();
                double floor = CrowdingFloor.of(index, store.merchantId(), space, store, lang, threshold);
                if (!Double.isNaN(floor)) {
                    out.put(lang, floor);
                    log.info("merchant {} {}: entries close to one another (median nearest-entry cosine {}): answered at cosine "
                            + ">= {} instead of {} (decision 114)", store.merchantId(), lang, String.format("%.3f", floor),
                            String.format("%.3f", floor), threshold);
                }
            }
        }
        return Map.copyOf(out);
    }

    /** What the last {@link #install} of a merchant did, or {@code null}. */
    public InstallReport installed(String merchantId) {
        return reports.get(merchantId);
    }

    /** Languages a store has content in: its declared languages and those of its FAQ and flows. */
    public static List<String> languagesOf(Store store) {
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>(store.languages());
        store.faqs().forEach(f -> s.addAll(f.questions().keySet()));
        store.flows().flows().forEach(f -> s.addAll(f.phrasings().keySet()));
        return List.copyOf(s);
    }

    static LanguageIdentifier languageIdentifier(Store store) {
        Set<Language> served = EnumSet.noneOf(Language.class);
        for (String l : languagesOf(store)) {
            Language lang = Language.fromCode(l);
            if (lang != null) {
                served.add(lang);
            }
        }
        Language fallback = Language.fromCode(store.defaultLanguage());
        if (fallback == null || !served.contains(fallback)) {
            fallback = served.isEmpty() ? Language.EN : served.iterator().next();
        }
        served.add(fallback);
        return new LanguageIdentifier(served, fallback);
    }

    /** Loads what a first message would otherwise load on a search thread (lingua's models). */
    private static void warmUp(Merchant m) {
        m.languages().detect("hello, where is my order");
    }

    /** The store's index lines per encoder space (see {@link StoreIndexContent}). */
    Map<String, List<StoreIndexContent.Line>> lines(Store store) {
        return StoreIndexContent.lines(store, router);
    }

    public Store store(String merchantId) {
        Merchant m = merchantId == null ? null : merchants.get(merchantId);
        return m == null ? null : m.store();
    }

    public Set<String> merchants() {
        return Set.copyOf(merchants.keySet());
    }

    /**
     * The best answer the merchant's knowledge holds for {@code text}, or the fallback below the
     * confidence threshold. Fails with {@code NluException(OVERLOADED)} or
     * {@link java.util.concurrent.RejectedExecutionException} when the node is saturated.
     */
    public CompletableFuture<Answer> answer(String merchantId, String text) {
        return understand(merchantId, text).thenApply(Understanding::answer);
    }

    /**
     * The ranked intents (FAQ entries and flows from the head and the prototypes, products and
     * promotions from the index), the stateless answer and the entities of {@code text}.
     */
    @Override
    public CompletableFuture<Understanding> understand(String merchantId, String text) {
        Merchant m = merchants.get(merchantId);
        if (m == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown merchant " + merchantId));
        }
        // the same words asked before: answered here and now, on the caller's thread (a map lookup); the
        // future is already complete, so the caller need not wait for another thread (decision 108)
        String canonical = answers.canonical(text);
        Understanding again = answers.reuse(merchantId, m, canonical, text);
        if (again != null) {
            return CompletableFuture.completedFuture(again);
        }
        // a question asked before in other words (its entities read again), or being read right now, skips
        // everything below (AnswerCache); on a search thread like the rest
        return CompletableFuture.supplyAsync(() -> answers.understand(merchantId, m, canonical, text, () -> read(m, text)), searchPool)
                .thenCompose(u -> u);
    }

    /** Language, vectors, search and head for a question not in the answer cache; called on a search thread. */
    private CompletableFuture<Understanding> read(Merchant m, String text) {
        String merchantId = m.store().merchantId();
        return CompletableFuture.completedFuture(m.languages().detect(text).code())
                .thenCompose(lang -> {
                    String space = router.encoderFor(lang);
                    String modelLang = lang;
                    if (index.size(merchantId, space) == 0) {
                        modelLang = m.store().defaultLanguage();   // a language the store has nothing in
                        space = router.encoderFor(modelLang);
                    }
                    if (ranking == Ranking.LEXICAL) {
                        return CompletableFuture.completedFuture(ranker.rankLexical(m, text, lang, space));
                    }
                    List<String> names = ranking == Ranking.HEAD && m.heads().containsKey(modelLang)
                            ? router.encodersFor(modelLang) : List.of(space);
                    List<CompletableFuture<float[]>> parts = new ArrayList<>(names.size());
                    for (String name : names) {
                        parts.add(encoders.encode(name, text));
                    }
                    String fSpace = space, fModelLang = modelLang;
                    if (parts.stream().anyMatch(KnowledgeBase::refusedAsOverloaded)) {
                        // the encoders' queue is full (a burst): answer from the words alone, at once, rather
                        // than refuse; on this search thread, microseconds (decision 42)
                        parts.forEach(f -> f.cancel(false));
                        degraded.increment();
                        return CompletableFuture.completedFuture(ranker.rankLexical(m, text, lang, fSpace));
                    }
                    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApplyAsync(ignored -> {
                        Map<String, float[]> vectors = new HashMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            vectors.put(names.get(i), parts.get(i).join());
                        }
                        Understanding u = ranker.rank(m, text, lang, fModelLang, fSpace, vectors);
                        answers.put(merchantId, m, text, u);
                        return u;
                    }, searchPool);
                });
    }

    /** Whether an encode request was refused at once because the encoders' queue is full. */
    private static boolean refusedAsOverloaded(CompletableFuture<float[]> f) {
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        try {
            f.join();
            return false;
        } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
            return e.getCause() instanceof NluException n && n.code() == NluException.Code.OVERLOADED;
        }
    }

    /**
     * Questions answered from the answer cache, those read in full, and those that waited for a reading of
     * the same question under way.
     */
    public long[] answerCacheCounts() {
        return new long[]{answers.hits(), answers.misses(), answers.joined()};
    }

    /** Messages answered from their words alone because the encoders were saturated. */
    public long degradedAnswers() {
        return degraded.sum();
    }

    /** The store's words for entity extraction: colour names, sizes and products of its catalogue. */
    static Gazetteer gazetteer(Store store) {
        Gazetteer.Builder g = Gazetteer.builder().currency(store.currency()).orderIdPattern(store.orderIdPattern());
        store.colors().forEach((key, byLang) -> byLang.values().forEach(names -> g.color(key, names)));
        for (Product p : store.products()) {
            List<String> names = new ArrayList<>(p.title().texts().values());
            p.keywords().values().forEach(names::addAll);
            g.product(p.sku(), p.variants().stream().map(io.nectar.gateway.store.Variant::sku).toList(), names);
            p.variants().forEach(v -> g.size(v.size()));
        }
        return g.build();
    }

    /** Searches waiting for a thread right now. */
    public int searchQueueDepth() {
        return searchPool.queueDepth();
    }

    @Override
    public void close() {
        updater.close();
        searchPool.close();
    }

    /** For tests: the head a merchant's language is served by, or {@code null}. */
    IntentModel head(String merchantId, String lang) {
        Merchant m = merchants.get(merchantId);
        IntentHeads.Head h = m == null ? null : m.heads().get(lang);
        return h == null ? null : heads.registry().current(h.key());
    }
}
