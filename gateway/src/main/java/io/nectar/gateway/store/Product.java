package io.nectar.gateway.store;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A product of the catalogue with its variants. Immutable. */
public record Product(String sku, Localized title, String category, Localized description,
                      Map<String, List<String>> keywords, BigDecimal price, List<Variant> variants) {

    public Product {
        keywords = Map.copyOf(keywords);
        variants = List.copyOf(variants);
    }

    /** Colours with at least one variant in stock, in catalogue order. */
    public Set<String> colorsInStock() {
        Set<String> out = new LinkedHashSet<>();
        for (Variant v : variants) {
            if (v.inStock() && v.color() != null) {
                out.add(v.color());
            }
        }
        return out;
    }

    /** Sizes with at least one variant in stock, in catalogue order. */
    public Set<String> sizesInStock() {
        Set<String> out = new LinkedHashSet<>();
        for (Variant v : variants) {
            if (v.inStock() && v.size() != null) {
                out.add(v.size());
            }
        }
        return out;
    }

    public int totalStock() {
        return variants.stream().mapToInt(Variant::stock).sum();
    }
}
