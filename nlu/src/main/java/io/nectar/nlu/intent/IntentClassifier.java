package io.nectar.nlu.intent;

import java.util.Map;

/**
 * An intent model: given the text's sentence vectors (one per encoder the model names) and the text itself
 * (for its lexical features), ranks the intents with calibrated confidence and decides out-of-scope.
 * Implementations are thread-safe; {@link #classify} is CPU work of tens of microseconds, to be called on
 * an inference thread, never an event loop.
 */
public interface IntentClassifier {

    IntentModelInfo info();

    /**
     * @param vectors sentence vectors by encoder name; must hold every encoder in {@code info().encoders()}
     * @param text    the shopper's text, as given to the encoders
     */
    IntentResult classify(Map<String, float[]> vectors, String text);
}
