package io.nectar.gateway.dialogue;

import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Variant;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.List;

/**
 * Applies the store's {@code compensation} promotions: when a trigger such as
 * {@code out_of_stock_exchange} happens to a product, which gift goes out (in the replacement's colour
 * when the rule says {@code matchColor}, else or failing that the gift's {@code neutral} variant). Pure.
 */
public final class Compensation {

    private Compensation() {
    }

    /**
     * The gift for {@code trigger} on product {@code productSku} switched to colour {@code colorKey}, as
     * {@code {id, giftProduct, giftSku, giftColor}} (ids only, no names: a flow keeps this in its state
     * and names it with {@link #named} in the language of each reply), or {@code null} when no active
     * compensation rule covers it.
     */
    public static JsonObject find(Store store, String trigger, String productSku, String colorKey) {
        Product product = store.product(productSku);
        if (product == null || trigger == null) {
            return null;
        }
        LocalDate today = LocalDate.now();
        for (Promotion p : store.promotions()) {
            if (!"compensation".equals(p.type()) || !trigger.equals(String.valueOf(p.rule().get("trigger")))
                    || !p.activeOn(today) || !covers(p, product)) {
                continue;
            }
            Product gift = store.product(String.valueOf(p.rule().get("gift")));
            if (gift == null) {
                continue;
            }
            boolean matchColor = Boolean.TRUE.equals(p.rule().get("matchColor"));
            Variant v = null;
            if (matchColor && colorKey != null) {
                v = variant(gift, colorKey);
            }
            if (v == null) {
                v = variant(gift, "neutral");
            }
            if (v == null) {
                v = gift.variants().stream().filter(Variant::inStock).findFirst().orElse(gift.variants().isEmpty() ? null : gift.variants().get(0));
            }
            return new JsonObject().put("id", p.id()).put("giftProduct", gift.sku()).put("giftSku", v == null ? gift.sku() : v.sku())
                    .put("giftColor", v == null ? null : v.color());
        }
        return null;
    }

    /**
     * A promotion found by {@link #find} with its names in {@code lang} (the store's default language when
     * the store does not speak it): {@code name}, {@code description} and {@code giftName} ("黑色鞋油",
     * "black shoe polish") added to a copy.
     */
    public static JsonObject named(Store store, JsonObject found, String lang) {
        JsonObject out = found.copy();
        String l = store.languages().contains(lang) ? lang : store.defaultLanguage();
        Promotion p = store.promotion(found.getString("id"));
        if (p != null) {
            out.put("name", p.name().get(l, store.defaultLanguage())).put("description", p.description().get(l, store.defaultLanguage()));
        }
        Product gift = store.product(found.getString("giftProduct"));
        if (gift != null) {
            List<String> kw = gift.keywords().get(l);
            String shortName = kw != null && !kw.isEmpty() ? kw.get(0) : gift.title().get(l, store.defaultLanguage());
            String color = found.getString("giftColor");
            String colorName = color == null ? "" : store.colorName(color, l);
            out.put("giftName", color == null ? shortName : "zh".equals(l) ? colorName + shortName : colorName + " " + shortName);
        }
        return out;
    }

    private static boolean covers(Promotion p, Product product) {
        Object category = p.rule().get("category");
        if (category != null && !category.equals(product.category())) {
            return false;
        }
        Object skus = p.appliesTo().get("skus");
        Object categories = p.appliesTo().get("categories");
        if (skus instanceof List<?> l && !l.contains(product.sku())) {
            return false;
        }
        return !(categories instanceof List<?> c) || c.contains(product.category());
    }

    private static Variant variant(Product p, String color) {
        Variant any = null;
        for (Variant v : p.variants()) {
            if (color.equals(v.color())) {
                if (v.inStock()) {
                    return v;
                }
                any = any == null ? v : any;
            }
        }
        return any;
    }
}
