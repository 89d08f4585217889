package io.nectar.nlu;

import io.nectar.nlu.intent.IntentResult;

import java.util.Map;

/**
 * What the NLU library made of one shopper message.
 *
 * @param language the language the message was handled in
 * @param encoder  the encoder whose vector the index should search with ({@code null} when the language has none)
 * @param vector   that encoder's sentence vector (shared: do not modify), or {@code null}
 * @param vectors  every sentence vector computed for the message, by encoder name
 * @param intent   the intent model's answer, or {@code null} when no model is installed for this key and language
 */
public record Understanding(Language language, String encoder, float[] vector, Map<String, float[]> vectors,
                            IntentResult intent) {
}
