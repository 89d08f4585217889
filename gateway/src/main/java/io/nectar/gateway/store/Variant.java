package io.nectar.gateway.store;

import java.math.BigDecimal;

/** One buyable variant of a product (a colour and size), with its stock. Immutable. */
public record Variant(String sku, String color, String size, int stock, BigDecimal price) {
    public boolean inStock() {
        return stock > 0;
    }
}
