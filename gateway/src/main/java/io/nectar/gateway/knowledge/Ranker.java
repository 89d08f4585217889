package io.nectar.gateway.knowledge;

import io.nectar.gateway.dialogue.Intent;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.index.EntryKind;
import io.nectar.index.KnowledgeIndex;
import io.nectar.index.SearchHit;
import io.nectar.nlu.Language;
import io.nectar.nlu.intent.IntentResult;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ranks one question against one merchant's knowledge, on a search thread: the index's hits (cosine,
 * BM25, identifiers), the merchant's intent head gated by the prototypes' cosine, then the answer they
 * give (or the fallback with "did you mean" suggestions) and the message's entities. Stateless apart from
 * the node's index and heads; {@link KnowledgeBase} decides when it runs.
 */
final class Ranker {

    private final EncoderRouter router;
    private final KnowledgeIndex index;
    private final IntentHeads heads;
    private final KnowledgeBase.Ranking ranking;

    Ranker(EncoderRouter router, KnowledgeIndex index, IntentHeads heads, KnowledgeBase.Ranking ranking) {
        this.router = router;
        this.index = index;
        this.heads = heads;
        this.ranking = ranking;
    }

    /**
     * Ranks by BM25 only (no vectors, no head) on a search thread: FAQ entries, flows, products and
     * promotions by the share of the message's term weight they match; the rest as {@link #rank}.
     */
    Understanding rankLexical(KnowledgeBase.Merchant m, String text, String lang, String space) {
        Store store = m.store();
        Map<String, Scored> best = new LinkedHashMap<>();
        for (SearchHit h : index.search(store.merchantId(), space, null, text, KnowledgeBase.TOP_K, io.nectar.index.Ranking.LEXICAL)) {
            double x = h.lexical();
            double confidence = x >= KnowledgeBase.LEXICAL_THRESHOLD
                    ? 0.5 + 0.5 * (x - KnowledgeBase.LEXICAL_THRESHOLD) / (1 - KnowledgeBase.LEXICAL_THRESHOLD) : 0.5 * x / KnowledgeBase.LEXICAL_THRESHOLD;
            offer(best, new Scored(h.entry().kind().name().toLowerCase(Locale.ROOT), h.entry().target(), confidence,
                    h.score(), confidence), store);
        }
        return understanding(m, text, lang, best);
    }

    /** Ranks and decides on a search thread. */
    Understanding rank(KnowledgeBase.Merchant m, String text, String lang, String modelLang, String space, Map<String, float[]> vectors) {
        Store store = m.store();
        EncoderRouter.Calibration cal = router.calibration(space);
        float[] query = vectors.get(space);
        List<SearchHit> hits = ranking == KnowledgeBase.Ranking.VECTOR
                ? index.search(store.merchantId(), space, query, KnowledgeBase.TOP_K)
                : index.search(store.merchantId(), space, query, text, KnowledgeBase.TOP_K);
        float lexicalWeight = index.config().hybrid().lexicalWeight();
        float boost = index.config().hybrid().identifierBoost();
        Map<String, Scored> best = new LinkedHashMap<>();
        Map<String, Float> prototypeCosine = new HashMap<>();
        IntentHeads.Head head = ranking == KnowledgeBase.Ranking.HEAD ? m.heads().get(modelLang) : null;
        for (SearchHit h : hits) {
            EntryKind kind = h.entry().kind();
            double confidence;
            double suggest = Double.NaN; // how strongly to offer it as "did you mean" when not answered, if not by its confidence
            boolean identifier = ranking != KnowledgeBase.Ranking.VECTOR && boost > 0
                    && h.score() - h.cosine() - lexicalWeight * h.lexical() > boost / 2;
            if (identifier) {
                confidence = KnowledgeBase.IDENTIFIER_CONFIDENCE;
            } else if (ranking == KnowledgeBase.Ranking.HEAD && (kind == EntryKind.FAQ || kind == EntryKind.FLOW)) {
                // prototypes count by their cosine: lexical overlap between FAQ phrasings made unrelated
                // questions look answered on held-out data (decision 38). Beside a head they only rank
                // and gate the head's readings (decision 44): the head chose better among entries than
                // the nearest prototype, and the higher-of-two rule let close prototypes override it.
                confidence = cal.confidence(h.cosine());
                // (an entry added or rephrased since the head was trained answers on its own until the
                // retrained head is in: IntentCoverage)
                if (head != null && !m.coverage().untrained(modelLang, kind.name().toLowerCase(Locale.ROOT), h.entry().target())) {
                    confidence = Math.min(confidence, KnowledgeBase.GATED_CONFIDENCE);
                } else if (head == null) {
                    // a language without a head in a store of crowded entries asks more of the cosine (decision
                    // 114); an entry the encoder's own threshold would have answered is still offered as "did you
                    // mean", one tap away for the shopper
                    Double floor = m.floors().get(h.entry().lang());
                    if (floor != null) {
                        suggest = confidence;
                        confidence = cal.confidence(h.cosine() - (floor - cal.threshold()));
                    }
                }
            } else if (kind == EntryKind.FAQ && m.builtInSmallTalk().contains(h.entry().target())) {
                confidence = cal.confidence(h.cosine()); // built-in small talk: by its cosine alone (decision 52)
            } else {
                confidence = cal.confidence(h.score());
            }
            String k = kind.name().toLowerCase(Locale.ROOT);
            prototypeCosine.merge(k + ":" + h.entry().target(), h.cosine(), Math::max);
            offer(best, new Scored(k, h.entry().target(), confidence, h.score(), Double.isNaN(suggest) ? confidence : suggest), store);
        }
        if (head != null) {
            IntentResult r = heads.classify(head, vectors, text);
            if (r != null && !r.ranked().isEmpty()) {
                // the head orders its readings; each one's cosine to its entry's prototype says whether
                // it is close enough to answer. No reading ranks above the head's first (decision 44), and
                // none is answered unless the head is as sure as the store's answer precision asks, and
                // sure that the question is one of the store's at all (decision 73).
                double cap = head.sure(r) ? Double.MAX_VALUE : KnowledgeBase.GATED_CONFIDENCE;
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
                            ? Math.min(head.confidence(s.confidence()), KnowledgeBase.GATED_CONFIDENCE)
                            : cal.confidence(smallTalk ? cos : cos + KnowledgeBase.HEAD_GATE);
                    confidence = Math.min(confidence, cap - 1e-6 * rank++);
                    cap = Math.min(cap, confidence);
                    offer(best, new Scored(kindId[0], kindId[1], confidence, s.confidence(), confidence), store);
                }
            }
        }
        return understanding(m, text, lang, best);
    }

    /** @param suggest how strongly to offer the intent as "did you mean" when the answer is the fallback */
    private record Scored(String kind, String id, double confidence, double score, double suggest) {
    }

    /** The intents by confidence, the answer they give and the message's entities. */
    private static Understanding understanding(KnowledgeBase.Merchant m, String text, String lang, Map<String, Scored> best) {
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
            if (Intent.FAQ.equals(s.kind()) && s.suggest() >= 0.2 && !SmallTalk.isSmallTalk(s.id())) {
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

}
