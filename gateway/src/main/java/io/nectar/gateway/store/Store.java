package io.nectar.gateway.store;

import java.util.List;
import java.util.Map;

/**
 * Everything one merchant has given Nectar: store facts, FAQ, catalogue and promotions, as read from
 * the store directory (see docs/store-format.md). Immutable.
 *
 * @param colors         colour key → language → names and synonyms (a gazetteer for entity extraction)
 * @param orderIdPattern regex of the merchant's order numbers, or {@code null} for the default
 * @param agentToken     bearer token of the merchant's human agents for the handoff API, or {@code null}
 * @param flows          dialogue flows and action settings ({@code flows.yaml})
 * @param backend        the demo backend's seed data ({@code backend.yaml}) as plain maps and lists, or empty
 * @param smallTalk      whether the built-in small talk is added ({@code smallTalk: false} in store.yaml when the
 *                       merchant's own FAQ covers greetings, thanks, goodbyes and "are you a bot?")
 * @param storefront     brand colour and logo, origins allowed to embed the chat, media files
 * @param answerPrecision how sure the bot must be before it answers from the FAQ: the share of its answers that
 *                       should be right ({@code answerPrecision} in store.yaml); NaN when the store sets none: then
 *                       the coverage at {@value #DEFAULT_ANSWER_PRECISION} is reported but not enforced (decision 73)
 * @param selling        shopper tokens, unpaid-order reminders and offer rules ({@code offers.yaml})
 */
public record Store(String merchantId, Localized name, String defaultLanguage, List<String> languages,
                    String currency, Localized greeting, Localized fallback, Map<String, Localized> facts,
                    Map<String, Map<String, List<String>>> colors, List<FaqEntry> faqs,
                    List<Product> products, List<Promotion> promotions, String orderIdPattern,
                    String agentToken, FlowSet flows, Map<String, Object> backend, boolean smallTalk,
                    Storefront storefront, double answerPrecision, Selling selling) {

    /** The precision reported for a store that sets none (docs/decisions.md). */
    public static final double DEFAULT_ANSWER_PRECISION = 0.95;

    /** A store that sets no answer precision and has no storefront (brand, media). */
    public Store(String merchantId, Localized name, String defaultLanguage, List<String> languages,
                 String currency, Localized greeting, Localized fallback, Map<String, Localized> facts,
                 Map<String, Map<String, List<String>>> colors, List<FaqEntry> faqs,
                 List<Product> products, List<Promotion> promotions, String orderIdPattern,
                 String agentToken, FlowSet flows, Map<String, Object> backend, boolean smallTalk) {
        this(merchantId, name, defaultLanguage, languages, currency, greeting, fallback, facts, colors, faqs, products,
                promotions, orderIdPattern, agentToken, flows, backend, smallTalk, Storefront.NONE, Double.NaN, Selling.NONE);
    }

    /** A store without selling settings (no shopper tokens, default reminders, no offers). */
    public Store(String merchantId, Localized name, String defaultLanguage, List<String> languages,
                 String currency, Localized greeting, Localized fallback, Map<String, Localized> facts,
                 Map<String, Map<String, List<String>>> colors, List<FaqEntry> faqs,
                 List<Product> products, List<Promotion> promotions, String orderIdPattern,
                 String agentToken, FlowSet flows, Map<String, Object> backend, boolean smallTalk,
                 Storefront storefront, double answerPrecision) {
        this(merchantId, name, defaultLanguage, languages, currency, greeting, fallback, facts, colors, faqs, products,
                promotions, orderIdPattern, agentToken, flows, backend, smallTalk, storefront, answerPrecision, Selling.NONE);
    }

    public Store {
        if (!Double.isNaN(answerPrecision) && !(answerPrecision >= 0.5 && answerPrecision < 1)) {
            throw new IllegalArgumentException("answerPrecision must be at least 0.5 and below 1, was " + answerPrecision);
        }
        flows = flows == null ? FlowSet.NONE : flows;
        storefront = storefront == null ? Storefront.NONE : storefront;
        selling = selling == null ? Selling.NONE : selling;
        backend = backend == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(backend));
        languages = List.copyOf(languages);
        facts = Map.copyOf(facts);
        colors = Map.copyOf(colors);
        faqs = List.copyOf(faqs);
        products = List.copyOf(products);
        promotions = List.copyOf(promotions);
    }

    /** The first name of colour {@code key} in {@code lang}, or the key itself. */
    public String colorName(String key, String lang) {
        Map<String, List<String>> names = colors.get(key);
        if (names == null) {
            return key;
        }
        List<String> l = names.get(lang);
        return l == null || l.isEmpty() ? key : l.get(0);
    }

    public FaqEntry faq(String id) {
        for (FaqEntry f : faqs) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        return null;
    }

    public Product product(String sku) {
        for (Product p : products) {
            if (p.sku().equals(sku)) {
                return p;
            }
        }
        return null;
    }

    /** Whether store.yaml sets {@code answerPrecision} (and the bot holds its answers to it). */
    public boolean enforcesAnswerPrecision() {
        return !Double.isNaN(answerPrecision);
    }

    /** The store's answer precision, or the default one it is reported at. */
    public double answerPrecisionOrDefault() {
        return enforcesAnswerPrecision() ? answerPrecision : DEFAULT_ANSWER_PRECISION;
    }

    /** The store with its FAQ replaced (built-in entries added, say). */
    public Store withFaqs(List<FaqEntry> newFaqs) {
        return new Store(merchantId, name, defaultLanguage, languages, currency, greeting, fallback, facts, colors,
                newFaqs, products, promotions, orderIdPattern, agentToken, flows, backend, smallTalk, storefront,
                answerPrecision, selling);
    }

    /** The store with other dialogue flows. */
    public Store withFlows(FlowSet newFlows) {
        return new Store(merchantId, name, defaultLanguage, languages, currency, greeting, fallback, facts, colors,
                faqs, products, promotions, orderIdPattern, agentToken, newFlows, backend, smallTalk,
                storefront, answerPrecision, selling);
    }

    /** The store with another agent token ({@code null}: no agents). */
    public Store withAgentToken(String token) {
        return new Store(merchantId, name, defaultLanguage, languages, currency, greeting, fallback, facts, colors,
                faqs, products, promotions, orderIdPattern, token, flows, backend, smallTalk, storefront, answerPrecision, selling);
    }

    /**
     * Whether a person can take a handed-off conversation: the store has an {@code agentToken}, so its
     * agents can read the queue. Without one the bot does not promise a human.
     */
    public boolean hasAgents() {
        return agentToken != null;
    }

    /** The variant with this SKU and its product, or {@code null}. */
    public Map.Entry<Product, Variant> variant(String variantSku) {
        for (Product p : products) {
            for (Variant v : p.variants()) {
                if (v.sku().equals(variantSku)) {
                    return Map.entry(p, v);
                }
            }
        }
        return null;
    }

    public Promotion promotion(String id) {
        for (Promotion p : promotions) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }
}
