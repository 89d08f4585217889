package io.nectar.gateway.dialogue;

/**
 * One reading of a shopper's message, as a classifier ranks it.
 *
 * @param kind       {@code faq}, {@code flow}, {@code product} or {@code promotion}
 * @param id         the FAQ id, flow id, SKU or promotion id
 * @param confidence calibrated 0..1; 0.5 is the decision boundary
 */
public record Intent(String kind, String id, double confidence) {
    public static final String FAQ = "faq";
    public static final String FLOW = "flow";
    public static final String PRODUCT = "product";
    public static final String PROMOTION = "promotion";

    public boolean confident() {
        return confidence >= 0.5;
    }
}
