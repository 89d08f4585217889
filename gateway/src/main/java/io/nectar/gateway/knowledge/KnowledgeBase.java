package io.nectar.gateway.knowledge;

import io.nectar.gateway.dialogue.Intent;
import io.nectar.gateway.dialogue.IntentClassifier;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.index.EntryKind;
import io.nectar.index.KnowledgeIndex;
import io.nectar.index.OpenResult;
import io.nectar.index.SearchHit;
import io.nectar.nlu.NluException;
import io.nectar.nlu.Language;
import io.nectar.nlu.LanguageIdentifier;
import io.nectar.nlu.entity.EntityExtractor;
import io.nectar.nlu.entity.Gazetteer;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentModel;
import io.nectar.nlu.intent.IntentResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * {@code knowledge-search} pool, encoding on the NLU executor; the future completes on the search pool.
 * A merchant's questions only ever reach that merchant's index entries and heads.
 */
public final class KnowledgeBase implements IntentClassifier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeBase.class);
    private static final int TOP_K = 20;
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
    private final ThreadPoolExecutor searchPool;
    private final AnswerCache answers;
    private final java.util.concurrent.atomic.LongAdder degraded = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, Object> updateLocks = new ConcurrentHashMap<>();
    private final Map<String, Object> headLocks = new ConcurrentHashMap<>();
    private final KnowledgeUpdater updater;

    /**
     * One merchant's serving state, replaced whole on a reload or an update.
     *
     * @param builtInSmallTalk ids of the built-in small-talk entries this store serves (answered only when close)
     * @param coverage         which FAQ entries and flows the heads have not learnt yet (added or rephrased since)
     */
    record Merchant(Store store, EntityExtractor extractor, LanguageIdentifier languages,
                    Map<String, IntentHeads.Head> heads, Set<String> builtInSmallTalk, IntentCoverage coverage) {
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
        if (ranking == Ranking.HEAD && heads == null) {
            throw new IllegalArgumentException("head ranking needs intent heads");
        }
        this.encoders = encoders;
        this.router = router;
        this.index = index;
        this.heads = heads;
        this.ranking = ranking;
        AtomicInteger n = new AtomicInteger();
        this.searchPool = new ThreadPoolExecutor(searchThreads, searchThreads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(searchQueue), r -> {
                    Thread t = new Thread(r, "knowledge-search-" + n.getAndIncrement());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
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
                List<io.nectar.nlu.intent.IntentExample> examples = headExamples(store, lang);
                IntentHeads.Head h = heads.install(merchant, lang, examples, router.encodersFor(lang), store.answerPrecision());
                if (h != null) {
                    installed.put(lang, h);
                    headReport.put(lang, h.origin());
                    log.info("merchant {} head {}: {}{}", merchant, lang, h.enforced() ? "" : "not enforced: ", h.answer().summary());
                }
            }
        }
        Merchant m = new Merchant(store, new EntityExtractor(gazetteer(store)), languageIdentifier(store), Map.copyOf(installed),
                SmallTalk.builtIn(store), IntentCoverage.trainedOn(store, installed.keySet()));
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
     * The examples a store's head for {@code lang} learns: its phrasings and flow triggers and, for a store
     * that sets an answer precision, the background out-of-scope questions (decision 73); without it, its
     * head is trained on its own phrasings alone.
     */
    List<io.nectar.nlu.intent.IntentExample> headExamples(Store store, String lang) {
        String primary = router.encoderFor(lang);
        return store.enforcesAnswerPrecision()
                ? heads.withBackground(IntentHeads.examples(store, lang), lang, primary,
                        router.calibration(primary).threshold() + BACKGROUND_MARGIN)
                : IntentHeads.examples(store, lang);
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
        // a question asked before skips everything below (AnswerCache); on a search thread like the rest
        return CompletableFuture.supplyAsync(() -> answers.get(merchantId, m, text), searchPool)
                .thenCompose(known -> known != null ? CompletableFuture.completedFuture(known) : read(m, text));
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
                        return CompletableFuture.completedFuture(rankLexical(m, text, lang, space));
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
                        return CompletableFuture.completedFuture(rankLexical(m, text, lang, fSpace));
                    }
                    return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApplyAsync(ignored -> {
                        Map<String, float[]> vectors = new HashMap<>();
                        for (int i = 0; i < names.size(); i++) {
                            vectors.put(names.get(i), parts.get(i).join());
                        }
                        Understanding u = rank(m, text, lang, fModelLang, fSpace, vectors);
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

    /** Questions answered from the answer cache, and those that were not. */
    public long[] answerCacheCounts() {
        return new long[]{answers.hits(), answers.misses()};
    }

    /** Messages answered from their words alone because the encoders were saturated. */
    public long degradedAnswers() {
        return degraded.sum();
    }

    /**
     * Ranks by BM25 only (no vectors, no head) on a search thread: FAQ entries, flows, products and
     * promotions by the share of the message's term weight they match; the rest as {@link #rank}.
     */
    private Understanding rankLexical(Merchant m, String text, String lang, String space) {
        Store store = m.store();
        Map<String, Scored> best = new LinkedHashMap<>();
        for (SearchHit h : index.search(store.merchantId(), space, null, text, TOP_K, io.nectar.index.Ranking.LEXICAL)) {
            double x = h.lexical();
            double confidence = x >= LEXICAL_THRESHOLD
                    ? 0.5 + 0.5 * (x - LEXICAL_THRESHOLD) / (1 - LEXICAL_THRESHOLD) : 0.5 * x / LEXICAL_THRESHOLD;
            offer(best, new Scored(h.entry().kind().name().toLowerCase(Locale.ROOT), h.entry().target(), confidence,
                    h.score()), store);
        }
        return understanding(m, text, lang, best);
    }

    /** Ranks and decides on a search thread. */
    private Understanding rank(Merchant m, String text, String lang, String modelLang, String space, Map<String, float[]> vectors) {
        Store store = m.store();
        EncoderRouter.Calibration cal = router.calibration(space);
        float[] query = vectors.get(space);
        List<SearchHit> hits = ranking == Ranking.VECTOR
                ? index.search(store.merchantId(), space, query, TOP_K)
                : index.search(store.merchantId(), space, query, text, TOP_K);
        float lexicalWeight = index.config().hybrid().lexicalWeight();
        float boost = index.config().hybrid().identifierBoost();
        Map<String, Scored> best = new LinkedHashMap<>();
        Map<String, Float> prototypeCosine = new HashMap<>();
        IntentHeads.Head head = ranking == Ranking.HEAD ? m.heads().get(modelLang) : null;
        for (SearchHit h : hits) {
            EntryKind kind = h.entry().kind();
            double confidence;
            boolean identifier = ranking != Ranking.VECTOR && boost > 0
                    && h.score() - h.cosine() - lexicalWeight * h.lexical() > boost / 2;
            if (identifier) {
                confidence = IDENTIFIER_CONFIDENCE;
            } else if (ranking == Ranking.HEAD && (kind == EntryKind.FAQ || kind == EntryKind.FLOW)) {
                // prototypes count by their cosine: lexical overlap between FAQ phrasings made unrelated
                // questions look answered on held-out data (decision 38). Beside a head they only rank
                // and gate the head's readings (decision 44): the head chose better among entries than
                // the nearest prototype, and the higher-of-two rule let close prototypes override it.
                confidence = cal.confidence(h.cosine());
                // (an entry added or rephrased since the head was trained answers on its own until the
                // retrained head is in: IntentCoverage)
                if (head != null && !m.coverage().untrained(modelLang, kind.name().toLowerCase(Locale.ROOT), h.entry().target())) {
                    confidence = Math.min(confidence, GATED_CONFIDENCE);
                }
            } else if (kind == EntryKind.FAQ && m.builtInSmallTalk().contains(h.entry().target())) {
                confidence = cal.confidence(h.cosine()); // built-in small talk: by its cosine alone (decision 52)
            } else {
                confidence = cal.confidence(h.score());
            }
            String k = kind.name().toLowerCase(Locale.ROOT);
            prototypeCosine.merge(k + ":" + h.entry().target(), h.cosine(), Math::max);
            offer(best, new Scored(k, h.entry().target(), confidence, h.score()), store);
        }
        if (head != null) {
            IntentResult r = heads.classify(head, vectors, text);
            if (r != null && !r.ranked().isEmpty()) {
                // the head orders its readings; each one's cosine to its entry's prototype says whether
                // it is close enough to answer. No reading ranks above the head's first (decision 44), and
                // none is answered unless the head is as sure as the store's answer precision asks, and
                // sure that the question is one of the store's at all (decision 73).
                double cap = head.sure(r) ? Double.MAX_VALUE : GATED_CONFIDENCE;
                int rank = 0;
                for (IntentResult.Scored s : r.ranked()) {
                    String[] kindId = IntentHeads.split(s.intent());
                    if (kindId == null) {
                        continue;
                    }
                    Float cos = prototypeCosine.get(kindId[0] + ":" + kindId[1]);
                    if (cos == null) {
                        // a reading whose prototype is not among the hits: its exact cosine
                        float c = index.score(store.merchantId(), space, kindId[0] + ":" + kindId[1] + ":" + modelLang, query);
                        cos = Float.isNaN(c) ? null : c;
                    }
                    // the built-in small talk gets no allowance: its phrasings are a few short words, close
                    // to many short questions, and it must not take a store's ("do you have gift boxes?"
                    // is not "are you a bot?"). As the head's first reading it still caps the rest, so
                    // such a message goes to the fallback rather than to a store entry (decision 52)
                    boolean smallTalk = Intent.FAQ.equals(kindId[0]) && m.builtInSmallTalk().contains(kindId[1]);
                    double confidence = cos == null
                            ? Math.min(head.confidence(s.confidence()), GATED_CONFIDENCE)
                            : cal.confidence(smallTalk ? cos : cos + HEAD_GATE);
                    confidence = Math.min(confidence, cap - 1e-6 * rank++);
                    cap = Math.min(cap, confidence);
                    offer(best, new Scored(kindId[0], kindId[1], confidence, s.confidence()), store);
                }
            }
        }
        return understanding(m, text, lang, best);
    }

    private record Scored(String kind, String id, double confidence, double score) {
    }

    /** The intents by confidence, the answer they give and the message's entities. */
    private static Understanding understanding(Merchant m, String text, String lang, Map<String, Scored> best) {
        List<Scored> ranked = new ArrayList<>(best.values());
        ranked.sort((a, b) -> Double.compare(b.confidence(), a.confidence()));
        List<Intent> intents = new ArrayList<>(ranked.size());
        for (Scored s : ranked) {
            intents.add(new Intent(s.kind(), s.id(), s.confidence()));
        }
        return new Understanding(text, lang, intents, decide(m.store(), lang, ranked),
                m.extractor().extract(text, Language.fromCode(lang), LocalDate.now()));
    }

    /** Keeps the higher confidence per intent; drops intents the store no longer has (a reload under way). */
    private static void offer(Map<String, Scored> best, Scored s, Store store) {
        boolean known = switch (s.kind()) {
            case Intent.FAQ -> store.faq(s.id()) != null;
            case Intent.FLOW -> store.flows().flow(s.id()) != null;
            case Intent.PRODUCT -> store.product(s.id()) != null;
            case Intent.PROMOTION -> store.promotion(s.id()) != null;
            default -> false;
        };
        if (known) {
            best.merge(s.kind() + ":" + s.id(), s, (a, b) -> a.confidence() >= b.confidence() ? a : b);
        }
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

    private static Answer decide(Store store, String lang, List<Scored> ranked) {
        if (ranked.isEmpty()) {
            return new Answer("fallback", null, "out_of_scope", ReplyComposer.fallback(store, lang), 0, 0, lang, List.of());
        }
        Scored top = ranked.get(0);
        double confidence = top.confidence();
        List<String> suggestions = new ArrayList<>();
        for (int i = confidence >= 0.5 ? 1 : 0; i < ranked.size() && suggestions.size() < 3; i++) {
            Scored s = ranked.get(i);
            // never offer small talk ("你好", "bye") as a question the shopper may have meant
            if (Intent.FAQ.equals(s.kind()) && s.confidence() >= 0.2 && !SmallTalk.isSmallTalk(s.id())) {
                FaqEntry f = store.faq(s.id());
                String q = f.canonicalQuestion(ReplyComposer.replyLanguage(store, f.answer(), lang));
                if (!suggestions.contains(q)) {
                    suggestions.add(q);
                }
            }
        }
        if (confidence < 0.5) {
            return new Answer("fallback", null, "out_of_scope", ReplyComposer.fallback(store, lang), confidence,
                    top.score(), lang, suggestions);
        }
        String target = top.id();
        return switch (top.kind()) {
            case Intent.FAQ -> new Answer("faq", target, target, ReplyComposer.faqAnswer(store, store.faq(target).answer(), lang),
                    confidence, top.score(), lang, suggestions);
            case Intent.PRODUCT -> new Answer("product", target, "product_inquiry",
                    ReplyComposer.product(store, store.product(target), lang), confidence, top.score(), lang, suggestions);
            case Intent.PROMOTION -> new Answer("promotion", target, "promotion_inquiry",
                    ReplyComposer.promotion(store, store.promotion(target), lang), confidence, top.score(), lang, suggestions);
            default -> new Answer("flow", target, target, store.flows().flow(target).name().get(lang, store.defaultLanguage()),
                    confidence, top.score(), lang, suggestions);
        };
    }

    /** Searches waiting for a thread right now. */
    public int searchQueueDepth() {
        return searchPool.getQueue().size();
    }

    @Override
    public void close() {
        updater.close();
        searchPool.shutdownNow();
    }

    /** For tests: the head a merchant's language is served by, or {@code null}. */
    IntentModel head(String merchantId, String lang) {
        Merchant m = merchants.get(merchantId);
        IntentHeads.Head h = m == null ? null : m.heads().get(lang);
        return h == null ? null : heads.registry().current(h.key());
    }
}
