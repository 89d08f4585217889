package io.nectar.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.nectar.gateway.store.YamlNodes.date;
import static io.nectar.gateway.store.YamlNodes.decimal;
import static io.nectar.gateway.store.YamlNodes.localized;
import static io.nectar.gateway.store.YamlNodes.plainMap;
import static io.nectar.gateway.store.YamlNodes.required;
import static io.nectar.gateway.store.YamlNodes.stringLists;
import static io.nectar.gateway.store.YamlNodes.text;

/** {@code products.yaml} and {@code promotions.yaml}: the catalogue and the promotion rules. Pure; any thread. */
final class CatalogReader {

    static final String PRODUCTS = StoreReader.PRODUCTS;
    static final String PROMOTIONS = StoreReader.PROMOTIONS;

    private CatalogReader() {
    }

    static List<Product> products(JsonNode root) {
        List<Product> products = new ArrayList<>();
        if (root == null) {
            return products;
        }
        if (!root.isArray()) {
            throw new StoreException(PRODUCTS + ": expected a list of products (each starting with '- sku: ...')");
        }
        Set<String> skus = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode n : root) {
            Product p = product(n, PRODUCTS + " product " + (++i));
            if (!skus.add(p.sku())) {
                throw new StoreException(PRODUCTS + ": duplicate sku '" + p.sku() + "'. Fix: every product needs its own sku");
            }
            products.add(p);
        }
        return products;
    }

    static List<Promotion> promotions(JsonNode root) {
        List<Promotion> promotions = new ArrayList<>();
        if (root == null) {
            return promotions;
        }
        if (!root.isArray()) {
            throw new StoreException(PROMOTIONS + ": expected a list of promotions (each starting with '- id: ...')");
        }
        int i = 0;
        for (JsonNode n : root) {
            promotions.add(promotion(n, PROMOTIONS + " promotion " + (++i)));
        }
        return promotions;
    }

    private static Product product(JsonNode n, String where) {
        String sku = required(n, "sku", where);
        where = PRODUCTS + " product '" + sku + "'";
        if (!n.has("title")) {
            throw new StoreException(where + ": 'title' is required");
        }
        BigDecimal price = decimal(n, "price", where);
        List<Variant> variants = new ArrayList<>();
        if (n.has("variants")) {
            int i = 0;
            for (JsonNode v : n.get("variants")) {
                String vWhere = where + " variant " + (++i);
                String vSku = text(v, "sku", sku + "-" + i);
                int stock = v.has("stock") ? v.get("stock").asInt(-1) : 0;
                if (stock < 0) {
                    throw new StoreException(vWhere + ": 'stock' must be a whole number >= 0");
                }
                BigDecimal vPrice = v.has("price") ? decimal(v, "price", vWhere) : price;
                variants.add(new Variant(vSku, text(v, "color", null), text(v, "size", null), stock, vPrice));
            }
        }
        return new Product(sku, localized(n.get("title"), where + " title", null), text(n, "category", ""),
                n.has("description") ? localized(n.get("description"), where + " description", null) : Localized.EMPTY,
                n.has("keywords") ? stringLists(n.get("keywords"), where + " keywords") : Map.of(),
                price, variants, text(n, "image", null), text(n, "url", null));
    }

    private static Promotion promotion(JsonNode n, String where) {
        String id = required(n, "id", where);
        where = PROMOTIONS + " promotion '" + id + "'";
        return new Promotion(id,
                n.has("name") ? localized(n.get("name"), where + " name", null) : Localized.EMPTY,
                n.has("description") ? localized(n.get("description"), where + " description", null) : Localized.EMPTY,
                text(n, "type", "other"),
                n.has("rule") ? plainMap(n.get("rule")) : Map.of(),
                n.has("appliesTo") ? plainMap(n.get("appliesTo")) : Map.of(),
                date(n, "validFrom", where), date(n, "validTo", where));
    }
}
