package io.nectar.nlu;

import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Language identification for shoppers' messages: the writing system decides at once where it can (Han →
 * zh, Thai → th, Cyrillic → ru, as {@link ScriptLanguageDetector}); Latin-script text goes to lingua
 * (a statistical n-gram detector) restricted to the served Latin-script languages (en, pt, es, id, vi).
 * Lingua's models for those languages are loaded on the first Latin-script text that needs them, never
 * all 75. When lingua cannot tell (a one-word message, say) the answer is {@code fallback}, the store's
 * main language. Thread-safe; the first Latin call loads models (about a second), later calls take
 * microseconds to a millisecond.
 */
public final class LanguageIdentifier {

    private static final Set<Language> LATIN = EnumSet.of(Language.EN, Language.PT, Language.ES, Language.ID, Language.VI);

    private final Set<Language> served;
    private final Language fallback;
    private final ScriptLanguageDetector scripts;
    private final List<Language> latinCandidates;
    private volatile LanguageDetector lingua;

    /**
     * @param served   languages the store answers in (only these can be returned, but for a message in a
     *                 non-Latin script, which is named as what it is)
     * @param fallback the answer when the text does not tell (must be served)
     */
    public LanguageIdentifier(Set<Language> served, Language fallback) {
        if (!served.contains(fallback)) {
            throw new IllegalArgumentException("fallback " + fallback + " is not among the served languages " + served);
        }
        this.served = EnumSet.copyOf(served);
        this.fallback = fallback;
        this.scripts = new ScriptLanguageDetector(null);
        this.latinCandidates = new ArrayList<>();
        for (Language l : this.served) {
            if (LATIN.contains(l)) {
                latinCandidates.add(l);
            }
        }
    }

    public Language detect(String text) {
        Language byScript = scripts.detect(text);
        if (byScript != null) {
            return byScript;
        }
        if (latinCandidates.isEmpty()) {
            return fallback;
        }
        if (latinCandidates.size() == 1) {
            return latinCandidates.get(0);
        }
        com.github.pemistahl.lingua.api.Language guess = detector().detectLanguageOf(text);
        Language l = fromLingua(guess);
        return l != null && served.contains(l) ? l : fallback;
    }

    private LanguageDetector detector() {
        LanguageDetector d = lingua;
        if (d == null) {
            synchronized (this) {
                d = lingua;
                if (d == null) {
                    com.github.pemistahl.lingua.api.Language[] langs = latinCandidates.stream()
                            .map(LanguageIdentifier::toLingua).toArray(com.github.pemistahl.lingua.api.Language[]::new);
                    d = LanguageDetectorBuilder.fromLanguages(langs).withMinimumRelativeDistance(0.05).build();
                    lingua = d;
                }
            }
        }
        return d;
    }

    private static com.github.pemistahl.lingua.api.Language toLingua(Language l) {
        return switch (l) {
            case ZH -> com.github.pemistahl.lingua.api.Language.CHINESE;
            case EN -> com.github.pemistahl.lingua.api.Language.ENGLISH;
            case PT -> com.github.pemistahl.lingua.api.Language.PORTUGUESE;
            case ES -> com.github.pemistahl.lingua.api.Language.SPANISH;
            case ID -> com.github.pemistahl.lingua.api.Language.INDONESIAN;
            case TH -> com.github.pemistahl.lingua.api.Language.THAI;
            case VI -> com.github.pemistahl.lingua.api.Language.VIETNAMESE;
            case RU -> com.github.pemistahl.lingua.api.Language.RUSSIAN;
        };
    }

    private static Language fromLingua(com.github.pemistahl.lingua.api.Language l) {
        for (Language ours : Language.values()) {
            if (toLingua(ours) == l) {
                return ours;
            }
        }
        return null;
    }
}
