package io.nectar.gateway.assist;

import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Variant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A product as an agent needs it: price and stock by colour and size, the answer to the colour or size the
 * shopper named, and the promotions that apply to it today. Pure; any thread.
 */
public final class ProductFacts {

    private ProductFacts() {
    }

    /**
     * The reply text: "经典系带真皮皮鞋，售价¥459.00。黑色42码有货。各颜色现货：黑色 39–44；棕色 40–43；红色 已售罄。"
     *
     * @param color a colour key the shopper named, or {@code null}
     * @param size  a size the shopper named, or {@code null}
     */
    public static String text(Store store, Product p, String lang, String color, String size) {
        boolean zh = "zh".equals(ReplyComposer.replyLanguage(store, p.title(), lang));
        String l = zh ? "zh" : ReplyComposer.replyLanguage(store, p.title(), lang);
        StringBuilder s = new StringBuilder(p.title().get(l, store.defaultLanguage()));
        BigDecimalOrNull price = new BigDecimalOrNull(p);
        if (price.value != null) {
            s.append(zh ? "，售价" : ", ").append(ReplyComposer.money(store, price.value));
        }
        s.append(zh ? "。" : ". ");
        Map<String, List<Variant>> byColor = byColor(p);
        if (color != null || size != null) {
            s.append(asked(store, p, byColor, color, size, l, zh));
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<Variant>> e : byColor.entrySet()) {
            List<String> in = new ArrayList<>();
            for (Variant v : e.getValue()) {
                if (v.inStock()) {
                    in.add(v.size() == null ? "" : v.size());
                }
            }
            String name = e.getKey().isEmpty() ? (zh ? "现货" : "stock") : store.colorName(e.getKey(), l);
            String sizes = in.isEmpty() ? (zh ? "已售罄" : "sold out")
                    : in.stream().allMatch(String::isEmpty) ? (zh ? "有货" : "in stock") : sizeRun(in, zh);
            parts.add(name + " " + sizes);
        }
        if (!parts.isEmpty()) {
            s.append(zh ? "各颜色现货：" : "In stock by colour: ").append(String.join(zh ? "；" : "; ", parts)).append(zh ? "。" : ".");
        }
        return s.toString().strip();
    }

    private static String asked(Store store, Product p, Map<String, List<Variant>> byColor, String color, String size, String l,
                                boolean zh) {
        List<Variant> matching = new ArrayList<>();
        for (Variant v : p.variants()) {
            if ((color == null || color.equals(v.color())) && (size == null || size.equalsIgnoreCase(v.size()))) {
                matching.add(v);
            }
        }
        String what = (color == null ? "" : store.colorName(color, l)) + (size == null ? "" : (zh ? size + "码" : (color == null ? "size " : " size ") + size));
        if (matching.stream().anyMatch(Variant::inStock)) {
            int stock = matching.stream().mapToInt(Variant::stock).sum();
            return zh ? what + "有货（库存 " + stock + " 件）。" : capitalise(what) + " is in stock (" + stock + " left). ";
        }
        if (matching.isEmpty()) {
            return zh ? "没有" + what + "这个款式。" : "There is no " + what + " of this product. ";
        }
        // sold out: which colours have that size, or which sizes that colour has
        List<String> others = new ArrayList<>();
        if (size != null) {
            byColor.forEach((c, vs) -> {
                if (!c.equals(color) && vs.stream().anyMatch(v -> v.inStock() && size.equalsIgnoreCase(v.size()))) {
                    others.add(store.colorName(c, l));
                }
            });
        }
        String alt = others.isEmpty() ? "" : zh ? String.join("、", others) + "有" + size + "码。"
                : "Size " + size + " is in stock in " + String.join(", ", others) + ". ";
        return zh ? what + "暂时缺货，" + (alt.isEmpty() ? "到货后可以通知您。" : alt) : capitalise(what) + " is sold out. " + alt;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Map<String, List<Variant>> byColor(Product p) {
        Map<String, List<Variant>> m = new LinkedHashMap<>();
        for (Variant v : p.variants()) {
            m.computeIfAbsent(v.color() == null ? "" : v.color(), k -> new ArrayList<>()).add(v);
        }
        return m;
    }

    private static String sizeRun(List<String> sizes, boolean zh) {
        try {
            List<Integer> n = sizes.stream().map(x -> Integer.parseInt(x.strip())).sorted().toList();
            if (n.size() > 2 && n.get(n.size() - 1) - n.get(0) == n.size() - 1) {
                return n.get(0) + "–" + n.get(n.size() - 1);
            }
        } catch (NumberFormatException e) {
            // letter sizes: listed
        }
        return String.join(zh ? "、" : ", ", sizes);
    }

    /** The promotions running today that name the product, its SKU or its category. */
    public static List<Promotion> promotions(Store store, Product p, LocalDate today) {
        List<Promotion> out = new ArrayList<>();
        for (Promotion pr : store.promotions()) {
            if (!pr.activeOn(today)) {
                continue;
            }
            Object cats = pr.appliesTo().get("categories");
            Object skus = pr.appliesTo().get("skus");
            Object with = pr.rule().get("withAnyOf");
            boolean applies = cats instanceof List<?> c && c.contains(p.category())
                    || skus instanceof List<?> s && s.contains(p.sku())
                    || with instanceof List<?> w && w.contains(p.sku());
            if (applies) {
                out.add(pr);
            }
        }
        return out;
    }

    /** The product as the pane shows it: SKU, title, price, stock per colour. */
    public static JsonObject card(Store store, Product p, String lang, LocalDate today) {
        String l = ReplyComposer.replyLanguage(store, p.title(), lang);
        JsonArray stock = new JsonArray();
        byColor(p).forEach((c, vs) -> {
            JsonArray in = new JsonArray();
            JsonArray out = new JsonArray();
            vs.forEach(v -> (v.inStock() ? in : out).add(v.size() == null ? "" : v.size()));
            stock.add(new JsonObject().put("color", c).put("name", c.isEmpty() ? "" : store.colorName(c, l)).put("sizes", in).put("soldOut", out));
        });
        JsonArray promos = new JsonArray();
        promotions(store, p, today).forEach(pr -> promos.add(new JsonObject().put("id", pr.id())
                .put("name", pr.name().get(l, store.defaultLanguage()))));
        BigDecimalOrNull price = new BigDecimalOrNull(p);
        return new JsonObject().put("sku", p.sku()).put("title", p.title().get(l, store.defaultLanguage()))
                .put("price", price.value == null ? null : ReplyComposer.money(store, price.value)).put("stock", stock)
                .put("promotions", promos);
    }

    /** The product's price, else its lowest variant price. */
    private static final class BigDecimalOrNull {
        final java.math.BigDecimal value;

        BigDecimalOrNull(Product p) {
            java.math.BigDecimal v = p.price();
            if (v == null) {
                for (Variant x : p.variants()) {
                    if (x.price() != null && (v == null || x.price().compareTo(v) < 0)) {
                        v = x.price();
                    }
                }
            }
            this.value = v;
        }
    }
}
