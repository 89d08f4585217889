package io.nectar.gateway.store;

import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A product of the catalogue with its variants. Immutable.
 *
 * @param image a picture for product cards: an http(s) URL or a file of the store's {@code media/} folder
 *              ({@link Storefront#url}), or {@code null}
 * @param url   the product's page in the merchant's shop (http(s)), or {@code null}
 */
public record Product(String sku, Localized title, String category, Localized description,
                      Map<String, List<String>> keywords, BigDecimal price, List<Variant> variants,
                      String image, String url) {

    public Product {
        keywords = Map.copyOf(keywords);
        variants = List.copyOf(variants);
        image = image == null || image.isBlank() ? null : image.strip();
        url = url == null || url.isBlank() ? null : url.strip();
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
