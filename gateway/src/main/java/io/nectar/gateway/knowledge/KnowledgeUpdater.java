package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.index.IndexEntry;
import io.nectar.index.KnowledgeIndex;
import io.nectar.nlu.LanguageIdentifier;
import io.nectar.nlu.entity.EntityExtractor;
import io.nectar.nlu.exec.EncoderExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a new version of a merchant's store to a live {@link KnowledgeBase} without a reinstall: only
 * the index entries whose lines changed are embedded and upserted, removed ones are deleted, and the
 * merchant's serving state (store, entities, heads, coverage) is swapped in one step, so an edited answer
 * is served at once. The intent heads keep serving and are retrained in the background
 * ({@link HeadRetrainer}); until then {@link IntentCoverage} lets the prototypes answer what the heads have
 * not learnt. Blocking (embedding): call it from a worker thread. Updates of one merchant apply one at a
 * time, in call order.
 */
final class KnowledgeUpdater {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeUpdater.class);

    private final KnowledgeBase kb;
    private final EncoderExecutor encoders;
    private final KnowledgeIndex index;
    private final IntentHeads heads;
    private final EncoderRouter router;
    private final HeadRetrainer retrainer;
    /** Encodes retraining examples on a thread of its own, created on first use. */
    private volatile EncoderExecutor background;

    KnowledgeUpdater(KnowledgeBase kb, EncoderExecutor encoders, KnowledgeIndex index, IntentHeads heads, EncoderRouter router) {
        this.kb = kb;
        this.encoders = encoders;
        this.index = index;
        this.heads = heads;
        this.router = router;
        this.retrainer = new HeadRetrainer(this::retrain);
    }

    HeadRetrainer retrainer() {
        return retrainer;
    }

    KnowledgeBase.UpdateReport update(Store store) {
        String id = store.merchantId();
        synchronized (kb.updateLock(id)) {
            KnowledgeBase.Merchant old = kb.merchant(id);
            if (old == null) {
                KnowledgeBase.InstallReport r = kb.install(store);
                return new KnowledgeBase.UpdateReport(id, r.lines(), 0, false, r.millis());
            }
            long t0 = System.nanoTime();
            IndexDelta delta = IndexDelta.between(kb.lines(old.store()), kb.lines(store));
            for (Map.Entry<String, List<StoreIndexContent.Line>> e : delta.upserts.entrySet()) {
                List<StoreIndexContent.Line> lines = e.getValue();
                List<float[]> vectors = encoders.encodeAllBlocking(e.getKey(), lines.stream().map(StoreIndexContent.Line::text).toList());
                for (IndexEntry entry : StoreIndexContent.entries(lines, vectors)) {
                    index.upsert(id, e.getKey(), entry);
                }
            }
            for (Map.Entry<String, Set<String>> e : delta.removals.entrySet()) {
                for (String entry : e.getValue()) {
                    index.remove(id, e.getKey(), entry);
                }
            }
            boolean sameLanguages = KnowledgeBase.languagesOf(old.store()).equals(KnowledgeBase.languagesOf(store))
                    && old.store().defaultLanguage().equals(store.defaultLanguage());
            LanguageIdentifier languages = sameLanguages ? old.languages() : KnowledgeBase.languageIdentifier(store);
            EntityExtractor extractor = new EntityExtractor(KnowledgeBase.gazetteer(store));
            kb.swap(id, cur -> new KnowledgeBase.Merchant(store, extractor, languages, cur.heads(), SmallTalk.builtIn(store), cur.coverage().serving(store), cur.floors()));
            boolean retrain = kb.ranking() == KnowledgeBase.Ranking.HEAD && !sameExamples(old.store(), store);
            if (retrain) {
                retrainer.request(id);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            log.info("merchant {}: knowledge updated in {} ms ({} index entries embedded, {} removed{})", id, ms,
                    delta.upsertedEntries(), delta.removedEntries(), retrain ? ", heads retraining in the background" : "");
            return new KnowledgeBase.UpdateReport(id, delta.upsertedEntries(), delta.removedEntries(), retrain, ms);
        }
    }

    private static boolean sameExamples(Store a, Store b) {
        List<String> langs = KnowledgeBase.languagesOf(b);
        if (!KnowledgeBase.languagesOf(a).equals(langs)) {
            return false;
        }
        for (String lang : langs) {
            if (!IntentHeads.examples(a, lang).equals(IntentHeads.examples(b, lang))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The retrains' own encoder executor over the node's encoders: one worker, no cache, so a store's
     * phrasings never sit in the queue in front of shoppers' questions (they only share the CPU).
     */
    private EncoderExecutor background() {
        EncoderExecutor b = background;
        if (b == null) {
            synchronized (this) {
                b = background;
                if (b == null) {
                    b = encoders.sibling(EncoderExecutor.Options.BACKGROUND);
                    background = b;
                }
            }
        }
        return b;
    }

    void close() {
        retrainer.close();
        EncoderExecutor b = background;
        if (b != null) {
            b.close();
        }
    }

    /** Trains (or loads) the merchant's heads on its current store and swaps them in. Blocking. */
    private void retrain(String id) {
        synchronized (kb.headLock(id)) {
            KnowledgeBase.Merchant m = kb.merchant(id);
            if (m == null) {
                return;
            }
            Store trainedOn = m.store();
            Map<String, IntentHeads.Head> installed = new LinkedHashMap<>();
            for (String lang : KnowledgeBase.languagesOf(trainedOn)) {
                IntentHeads.Head h = heads.install(id, lang, kb.headTraining(trainedOn, lang), router.encodersFor(lang),
                        background(), heads.settings().training().withThreads(1), trainedOn.answerPrecision());
                if (h != null) {
                    installed.put(lang, h);
                }
            }
            IntentCoverage coverage = IntentCoverage.trainedOn(trainedOn, installed.keySet());
            Map<String, Double> floors = kb.floors(trainedOn, installed.keySet());
            kb.swap(id, cur -> new KnowledgeBase.Merchant(cur.store(), cur.extractor(), cur.languages(), Map.copyOf(installed), cur.builtInSmallTalk(),
                    coverage.serving(cur.store()), floors));
        }
    }
}
