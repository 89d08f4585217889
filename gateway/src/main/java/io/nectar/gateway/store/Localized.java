package io.nectar.gateway.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A text in several languages, keyed by ISO 639-1 code. Immutable.
 */
public record Localized(Map<String, String> texts) {

    public static final Localized EMPTY = new Localized(Map.of());

    public Localized {
        texts = Map.copyOf(texts);
    }

    public static Localized of(String lang, String text) {
        return new Localized(Map.of(lang, text));
    }

    /** The text in {@code lang}, else in {@code fallbackLang}, else any text, else {@code null}. */
    public String get(String lang, String fallbackLang) {
        String t = texts.get(lang);
        if (t == null && fallbackLang != null) {
            t = texts.get(fallbackLang);
        }
        if (t == null && !texts.isEmpty()) {
            t = texts.values().iterator().next();
        }
        return t;
    }

    public boolean has(String lang) {
        return texts.containsKey(lang);
    }

    public boolean isEmpty() {
        return texts.isEmpty();
    }

    /** This text with {@code other}'s languages added (other wins where both have one). */
    public Localized merge(Localized other) {
        Map<String, String> m = new LinkedHashMap<>(texts);
        m.putAll(other.texts);
        return new Localized(m);
    }
}
