package io.nectar.gateway.knowledge;

import java.util.List;

/**
 * What the knowledge base makes of one shopper question.
 *
 * @param source      {@code faq}, {@code product}, {@code promotion} or {@code fallback}
 * @param target      the FAQ id, SKU or promotion id answered ({@code null} for fallback)
 * @param intent      the FAQ id for FAQ answers, {@code product_inquiry}, {@code promotion_inquiry},
 *                    or {@code out_of_scope}
 * @param text        the reply, in {@code lang}
 * @param confidence  calibrated 0..1; 0.5 is the decision boundary of the answer threshold
 * @param score       the raw cosine similarity of the best match
 * @param lang        language of the question (and, where the store has it, of the reply)
 * @param suggestions other entries the shopper may have meant (canonical questions), best first
 */
public record Answer(String source, String target, String intent, String text, double confidence,
                     double score, String lang, List<String> suggestions) {

    public boolean isFallback() {
        return "fallback".equals(source);
    }
}
