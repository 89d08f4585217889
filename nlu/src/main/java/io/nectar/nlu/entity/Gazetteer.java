package io.nectar.nlu.entity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One merchant's words for entity extraction: colour names with synonyms, the catalogue's sizes, its
 * products (SKUs, names, keywords), the shape of its order numbers and its currency. Built once per
 * store and shared; immutable and thread-safe.
 *
 * @param colors         colour key → names and synonyms in any language ("black" → [黑色, 黑, black])
 * @param sizes          sizes the catalogue sells, as written there ("42", "XL", "150ml")
 * @param products       the catalogue's products
 * @param orderIdPattern what an order number looks like; {@code null} for the default
 *                       ({@value #DEFAULT_ORDER_ID}, or 12–20 digits)
 * @param currency       ISO code for prices written without a currency ("399元" in a CNY store)
 */
public record Gazetteer(Map<String, List<String>> colors, List<String> sizes, List<ProductEntry> products,
                        Pattern orderIdPattern, String currency) {

    /** Letters then digits, as many shops number orders: {@code DX1001}, {@code A-20261111}. */
    public static final String DEFAULT_ORDER_ID = "[A-Za-z]{1,4}-?\\d{4,16}";

    /**
     * A product the shopper may name.
     *
     * @param sku         product SKU (the entity value)
     * @param variantSkus SKUs of its variants, also recognised
     * @param names       titles and keywords in any language; longer names win over shorter ones
     */
    public record ProductEntry(String sku, List<String> variantSkus, List<String> names) {
        public ProductEntry {
            variantSkus = List.copyOf(variantSkus);
            names = List.copyOf(names);
        }
    }

    /** No merchant words: built-in colour names and size patterns only. */
    public static final Gazetteer EMPTY = new Gazetteer(Map.of(), List.of(), List.of(), null, "CNY");

    public Gazetteer {
        Map<String, List<String>> c = new LinkedHashMap<>();
        colors.forEach((k, v) -> c.put(k, List.copyOf(v)));
        colors = java.util.Collections.unmodifiableMap(c);
        sizes = List.copyOf(new LinkedHashSet<>(sizes));
        products = List.copyOf(products);
        currency = currency == null || currency.isBlank() ? "CNY" : currency;
    }

    /** Collects a gazetteer piece by piece (store loaders use it). */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<String, List<String>> colors = new LinkedHashMap<>();
        private final Set<String> sizes = new LinkedHashSet<>();
        private final List<ProductEntry> products = new ArrayList<>();
        private Pattern orderIdPattern;
        private String currency = "CNY";

        public Builder color(String key, List<String> names) {
            colors.computeIfAbsent(key, k -> new ArrayList<>()).addAll(names);
            return this;
        }

        public Builder size(String size) {
            if (size != null && !size.isBlank()) {
                sizes.add(size.strip());
            }
            return this;
        }

        public Builder product(String sku, List<String> variantSkus, List<String> names) {
            products.add(new ProductEntry(sku, variantSkus, names));
            return this;
        }

        /** @throws java.util.regex.PatternSyntaxException when {@code regex} is not a valid pattern */
        public Builder orderIdPattern(String regex) {
            this.orderIdPattern = regex == null ? null : Pattern.compile(regex);
            return this;
        }

        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public Gazetteer build() {
            return new Gazetteer(colors, new ArrayList<>(sizes), products, orderIdPattern, currency);
        }
    }
}
