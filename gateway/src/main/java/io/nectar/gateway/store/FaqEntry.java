package io.nectar.gateway.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One question the merchant answers: its phrasings per language (the first is the canonical question)
 * and the answer per language. Immutable.
 */
public record FaqEntry(String id, Map<String, List<String>> questions, Localized answer, List<String> tags) {

    public FaqEntry {
        questions = copy(questions);
        tags = List.copyOf(tags);
    }

    /** The canonical question in {@code lang}, else any. */
    public String canonicalQuestion(String lang) {
        List<String> q = questions.get(lang);
        if (q == null || q.isEmpty()) {
            q = questions.values().stream().filter(l -> !l.isEmpty()).findFirst().orElse(List.of());
        }
        return q.isEmpty() ? id : q.get(0);
    }

    /** This entry with {@code other}'s languages added or replaced. */
    public FaqEntry merge(FaqEntry other) {
        Map<String, List<String>> q = new LinkedHashMap<>(questions);
        q.putAll(other.questions);
        List<String> t = other.tags.isEmpty() ? tags : other.tags;
        return new FaqEntry(id, q, answer.merge(other.answer), t);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> in) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }
}
