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

    /** The best intent, or {@code null}. */
    public Intent top() {
        return intents.isEmpty() ? null : intents.get(0);
    }
}
