package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.Store;
import io.nectar.nlu.intent.IntentExample;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a merchant's intent heads were trained on, and which FAQ entries and flows of the store being
 * served they have not learnt yet: added, or rephrased, since the heads were trained. Until a retrained
 * head replaces it, such an entry may be answered on its prototype's cosine alone (the head cannot pick
 * it); a deleted entry is gone from the store and never answered. Immutable.
 */
final class IntentCoverage {

    static final IntentCoverage NONE = new IntentCoverage(Map.of(), Map.of());

    /** lang -> head label ({@code faq:<id>}, {@code flow:<id>}) -> its training phrasings. */
    private final Map<String, Map<String, List<String>>> trained;
    /** lang -> labels of the current store the head has not learnt. */
    private final Map<String, Set<String>> untrained;

    private IntentCoverage(Map<String, Map<String, List<String>>> trained, Map<String, Set<String>> untrained) {
        this.trained = trained;
        this.untrained = untrained;
    }

    /** The heads of {@code languages} were just trained on {@code store}: everything is covered. */
    static IntentCoverage trainedOn(Store store, Collection<String> languages) {
        Map<String, Map<String, List<String>>> t = new HashMap<>();
        for (String lang : languages) {
            t.put(lang, phrasings(store, lang));
        }
        return new IntentCoverage(Map.copyOf(t), Map.of());
    }

    /** The same heads serving {@code current}: its entries whose phrasings the heads were not trained on. */
    IntentCoverage serving(Store current) {
        Map<String, Set<String>> u = new HashMap<>();
        trained.forEach((lang, before) -> {
            List<String> fresh = new ArrayList<>();
            phrasings(current, lang).forEach((label, texts) -> {
                if (!texts.equals(before.get(label))) {
                    fresh.add(label);
                }
            });
            if (!fresh.isEmpty()) {
                u.put(lang, Set.copyOf(fresh));
            }
        });
        return new IntentCoverage(trained, Map.copyOf(u));
    }

    /** Whether the head of {@code lang} has not learnt entry {@code kind:id} ({@code faq} or {@code flow}). */
    boolean untrained(String lang, String kind, String id) {
        Set<String> s = untrained.get(lang);
        return s != null && s.contains(kind + ":" + id);
    }

    /** Labels the heads have not learnt yet, by language (empty once they caught up). */
    Map<String, Set<String>> untrained() {
        return untrained;
    }

    /** Whether the store's examples in every trained language are what the heads learnt. */
    boolean current() {
        return untrained.isEmpty();
    }

    private static Map<String, List<String>> phrasings(Store store, String lang) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (IntentExample e : IntentHeads.examples(store, lang)) {
            out.computeIfAbsent(e.intent(), k -> new ArrayList<>()).add(e.text());
        }
        return out;
    }
}
