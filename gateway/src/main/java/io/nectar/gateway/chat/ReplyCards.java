package io.nectar.gateway.chat;

import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Storefront;
import io.nectar.gateway.store.Variant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structured part of a reply about one product or promotion ({@code cards} in the reply frame,
 * docs/protocol.md): what a client needs to draw a product card (picture, price, stock by colour and
 * size, link) or a promotion card, in the reply's language. Pure; any thread.
 */
public final class ReplyCards {

    private ReplyCards() {
    }

    /** Cards for a reply whose answer came from {@code source} and {@code ref}; empty when there are none. */
    static JsonArray of(Store store, String source, String ref, String lang) {
        JsonArray cards = new JsonArray();
        if (ref == null) {
            return cards;
        }
        if ("product".equals(source)) {
            Product p = store.product(ref);
            if (p != null) {
                cards.add(product(store, p, lang));
            }
        } else if ("promotion".equals(source)) {
            Promotion p = store.promotion(ref);
            if (p != null) {
                cards.add(promotion(store, p, lang));
            }
        }
        return cards;
    }

    /** A product card in {@code lang} (offers use it too). */
    public static JsonObject productCard(Store store, Product p, String lang) {
        return product(store, p, lang);
    }

    /** A promotion card in {@code lang}. */
    public static JsonObject promotionCard(Store store, Promotion p, String lang) {
        return promotion(store, p, lang);
    }

    static JsonObject product(Store store, Product p, String lang) {
        String l = ReplyComposer.replyLanguage(store, p.title(), lang);
        BigDecimal price = p.price();
        if (price == null) {
            price = p.variants().stream().map(Variant::price).filter(java.util.Objects::nonNull).min(BigDecimal::compareTo).orElse(null);
        }
        JsonObject card = new JsonObject()
                .put("type", "product")
                .put("sku", p.sku())
                .put("title", p.title().get(l, store.defaultLanguage()))
                .put("language", l);
        if (price != null) {
            card.put("price", ReplyComposer.money(store, price))
                    .put("amount", price.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString())
                    .put("currency", store.currency());
        }
        if (p.image() != null) {
            card.put("image", Storefront.url(store.merchantId(), p.image()));
        }
        if (p.url() != null) {
            card.put("url", p.url());
        }
        card.put("inStock", p.totalStock() > 0);
        card.put("stock", stock(store, p, l));
        return card;
    }

    /** Per colour, in catalogue order: its name, the sizes in stock and the sizes sold out. */
    private static JsonArray stock(Store store, Product p, String lang) {
        record Sizes(List<String> in, List<String> out, int[] units) {
        }
        Map<String, Sizes> byColor = new LinkedHashMap<>();
        for (Variant v : p.variants()) {
            String color = v.color() == null ? "" : v.color();
            Sizes s = byColor.computeIfAbsent(color, c -> new Sizes(new ArrayList<>(), new ArrayList<>(), new int[1]));
            s.units()[0] += v.stock();
            if (v.size() != null) {
                (v.inStock() ? s.in() : s.out()).add(v.size());
            }
        }
        JsonArray out = new JsonArray();
        byColor.forEach((color, s) -> {
            JsonObject c = new JsonObject();
            if (!color.isEmpty()) {
                c.put("color", color).put("name", store.colorName(color, lang));
            }
            out.add(c.put("inStock", s.units()[0] > 0).put("sizes", new JsonArray(s.in())).put("soldOut", new JsonArray(s.out())));
        });
        return out;
    }

    static JsonObject promotion(Store store, Promotion p, String lang) {
        String l = ReplyComposer.replyLanguage(store, p.description().isEmpty() ? p.name() : p.description(), lang);
        JsonObject card = new JsonObject()
                .put("type", "promotion")
                .put("id", p.id())
                .put("kind", p.type())
                .put("language", l);
        String name = p.name().get(l, store.defaultLanguage());
        String description = p.description().get(l, store.defaultLanguage());
        if (name != null) {
            card.put("name", name);
        }
        if (description != null) {
            card.put("description", description);
        }
        if (p.validFrom() != null) {
            card.put("validFrom", p.validFrom().toString());
        }
        if (p.validTo() != null) {
            card.put("validTo", p.validTo().toString());
        }
        return card.put("active", p.activeOn(LocalDate.now()));
    }
}
