package io.nectar.gateway.dialogue;

import io.nectar.gateway.knowledge.Answer;
import io.nectar.nlu.entity.Extraction;

import java.util.List;

/**
 * What the NLU side makes of one message, before any dialogue state is considered: its language, the
 * ranked intents, the stateless answer the knowledge base would give, and the entities. Immutable.
 *
 * @param intents best first; may be empty
 * @param answer  the FAQ/product/promotion answer or fallback for the top intent
 */
public record Understanding(String text, String lang, List<Intent> intents, Answer answer, Extraction extraction) {

    public Understanding {
        intents = List.copyOf(intents);
    }

    /**
     * Whether the text says nothing about its language: no Han characters, and fewer than three Latin
     * letters outside entities ("DX1001", "42", "wei@example.com"). The conversation's language applies.
     */
    public boolean languageNeutral() {
        StringBuilder rest = new StringBuilder(text);
        for (io.nectar.nlu.entity.Entity e : extraction.entities()) {
            if (e.end() <= rest.length()) {
                for (int i = e.start(); i < e.end(); i++) {
                    rest.setCharAt(i, ' ');
                }
            }
        }
        int latin = 0;
        for (int i = 0; i < rest.length(); i++) {
            int cp = rest.charAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HAN) {
                return false;
            }
            if (script == Character.UnicodeScript.LATIN) {
                latin++;
            }
        }
        return latin < 3;
    }

    /** The same understanding in another language (for a language-neutral message in a running conversation). */
    public Understanding inLanguage(String language) {
        return new Understanding(text, language, intents, answer, extraction);
    }

    /** The best intent, or {@code null}. */
    public Intent top() {
        return intents.isEmpty() ? null : intents.get(0);
    }
}
