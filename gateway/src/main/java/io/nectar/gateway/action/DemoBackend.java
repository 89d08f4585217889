package io.nectar.gateway.action;

import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Variant;
import io.nectar.gateway.knowledge.ReplyComposer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo store's stand-in for a merchant's order system, in process: orders seeded from
 * {@code backend.yaml}, stock from the catalogue. Actions: {@code get_order}, {@code exchange_item},
 * {@code change_address}, {@code request_invoice}, {@code request_return}, {@code check_stock}.
 * <p>
 * Requests (exchanges, invoices, returns, address changes) are recorded, never applied to the seed, so
 * the documented demo dialogue can be replayed at any time. A repeated idempotency key returns the first
 * result. Fast, no I/O; synchronized, any thread.
 */
public final class DemoBackend {

    private static final int MAX_REMEMBERED = 1000;

    private final Store store;
    private final Map<String, Map<String, Object>> orders = new LinkedHashMap<>();
    private final LinkedHashMap<String, ActionResult> byKey = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ActionResult> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private final List<JsonObject> requests = new ArrayList<>();
    private int counter = 1000;

    @SuppressWarnings("unchecked")
    public DemoBackend(Store store) {
        this.store = store;
        Object list = store.backend().get("orders");
        if (list instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("id") != null) {
                    orders.put(String.valueOf(m.get("id")).toUpperCase(java.util.Locale.ROOT), (Map<String, Object>) m);
                }
            }
        }
    }

    public Store store() {
        return store;
    }

    public synchronized ActionResult run(ActionCall call) {
        ActionResult earlier = byKey.get(call.idempotencyKey());
        if (earlier != null) {
            return earlier;
        }
        JsonObject p = call.params();
        String lang = "zh".equals(p.getString("language")) ? "zh" : "en";
        ActionResult r = switch (call.action()) {
            case "get_order" -> getOrder(p.getString("order"), lang);
            case "exchange_item" -> exchange(p, lang);
            case "change_address" -> changeAddress(p, lang);
            case "request_invoice" -> record("INV", "invoice", p, lang);
            case "request_return" -> requestReturn(p, lang);
            case "check_stock" -> checkStock(p, lang);
            default -> ActionResult.rejected("unknown_action", "the demo backend has no action '" + call.action() + "'");
        };
        if (r.status() == ActionResult.Status.OK && !"get_order".equals(call.action()) && !"check_stock".equals(call.action())) {
            requests.add(new JsonObject().put("action", call.action()).put("params", p.copy()).put("result", r.data().copy())
                    .put("idempotencyKey", call.idempotencyKey()));
            while (requests.size() > MAX_REMEMBERED) {
                requests.remove(0);
            }
        }
        byKey.put(call.idempotencyKey(), r);
        return r;
    }

    /** Requests recorded so far (exchanges, invoices, returns, address changes), oldest first. */
    public synchronized List<JsonObject> requests() {
        return List.copyOf(requests);
    }

    private ActionResult getOrder(String id, String lang) {
        JsonObject o = order(id, lang);
        return o == null ? notFound(id, lang) : ActionResult.ok(o);
    }

    private ActionResult notFound(String id, String lang) {
        return ActionResult.rejected("not_found", "zh".equals(lang) ? "没有找到订单 " + id : "there is no order " + id);
    }

    /** The order as the flows see it: status, first item with its in-stock alternatives, and what is allowed. */
    private JsonObject order(String id, String lang) {
        if (id == null) {
            return null;
        }
        Map<String, Object> o = orders.get(id.toUpperCase(java.util.Locale.ROOT));
        if (o == null) {
            return null;
        }
        boolean zh = "zh".equals(lang);
        String status = String.valueOf(o.getOrDefault("status", "paid"));
        JsonArray items = new JsonArray();
        boolean outOfStock = false;
        BigDecimal total = BigDecimal.ZERO;
        if (o.get("items") instanceof List<?> list) {
            for (Object x : list) {
                if (!(x instanceof Map<?, ?> it)) {
                    continue;
                }
                JsonObject item = item(it, lang);
                items.add(item);
                outOfStock |= !item.getBoolean("inStock", true);
                total = total.add(new BigDecimal(item.getString("price", "0")).multiply(BigDecimal.valueOf(item.getInteger("quantity", 1))));
            }
        }
        JsonObject first = items.isEmpty() ? new JsonObject() : items.getJsonObject(0);
        boolean notShipped = status.equals("paid") || status.equals("awaiting_stock");
        outOfStock &= notShipped;
        String carrier = text(o.get("carrier"), lang);
        String text = switch (status) {
            case "awaiting_stock" -> zh ? "已付款，您下单的" + first.getString("label", "商品") + "（" + first.getString("colorName", "")
                    + " " + first.getString("size", "") + " 码）暂时缺货，还没有发货。"
                    : "paid; the " + first.getString("label", "item") + " you ordered (" + first.getString("colorName", "") + ", size "
                    + first.getString("size", "") + ") are out of stock, so it hasn't shipped yet.";
            case "shipped" -> zh ? "已发货，" + carrier + "运单号 " + o.get("tracking") + "。"
                    : "shipped with " + carrier + ", tracking number " + o.get("tracking") + ".";
            case "delivered" -> zh ? "已于 " + o.get("deliveredAt") + " 签收。" : "delivered on " + o.get("deliveredAt") + ".";
            default -> zh ? "已付款，正在备货，预计 48 小时内发出。" : "paid and being packed; it ships within 48 hours.";
        };
        return new JsonObject().put("id", String.valueOf(o.get("id"))).put("status", status).put("statusText", text)
                .put("placedAt", String.valueOf(o.get("placedAt"))).put("shipped", !notShipped)
                .put("delivered", status.equals("delivered")).put("outOfStock", outOfStock)
                .put("canChangeAddress", notShipped).put("canReturn", status.equals("delivered"))
                .put("carrier", carrier).put("tracking", o.get("tracking") == null ? null : String.valueOf(o.get("tracking")))
                .put("address", text(o.get("address"), lang)).put("phone", o.get("phone") == null ? null : String.valueOf(o.get("phone")))
                .put("total", ReplyComposer.money(store, total)).put("item", first).put("items", items);
    }

    private JsonObject item(Map<?, ?> it, String lang) {
        String sku = String.valueOf(it.get("sku"));
        Map.Entry<Product, Variant> pv = store.variant(sku);
        int qty = it.get("quantity") instanceof Number n ? n.intValue() : 1;
        JsonObject item = new JsonObject().put("sku", sku).put("quantity", qty);
        String label = text(it.get("label"), lang);
        if (pv == null) {
            return item.put("name", label == null ? sku : label).put("label", label == null ? sku : label).put("inStock", true);
        }
        Product p = pv.getKey();
        Variant v = pv.getValue();
        String name = p.title().get(lang, store.defaultLanguage());
        List<String> alternatives = new ArrayList<>();
        for (Variant other : p.variants()) {
            if (other.inStock() && other.color() != null && !other.color().equals(v.color())
                    && java.util.Objects.equals(other.size(), v.size()) && !alternatives.contains(other.color())) {
                alternatives.add(other.color());
            }
        }
        List<String> names = alternatives.stream().map(c -> store.colorName(c, lang)).toList();
        String joined = names.size() <= 1 ? String.join("", names)
                : String.join("zh".equals(lang) ? "、" : ", ", names.subList(0, names.size() - 1))
                + ("zh".equals(lang) ? "和" : " and ") + names.get(names.size() - 1);
        return item.put("product", p.sku()).put("name", name).put("label", label == null ? name : label)
                .put("color", v.color()).put("colorName", v.color() == null ? "" : store.colorName(v.color(), lang))
                .put("size", v.size()).put("price", (v.price() == null ? p.price() : v.price()).toPlainString())
                .put("inStock", v.inStock()).put("alternativeColors", new JsonArray(alternatives))
                .put("alternativeColorNames", joined);
    }

    private ActionResult exchange(JsonObject p, String lang) {
        JsonObject o = order(p.getString("order"), lang);
        if (o == null) {
            return notFound(p.getString("order"), lang);
        }
        JsonObject item = o.getJsonObject("item");
        Product product = store.product(item.getString("product"));
        String color = p.getString("color");
        String size = p.getString("size", item.getString("size"));
        Variant target = product == null ? null : product.variants().stream()
                .filter(v -> java.util.Objects.equals(v.color(), color) && java.util.Objects.equals(v.size(), size))
                .findFirst().orElse(null);
        if (target == null || !target.inStock()) {
            return ActionResult.rejected("out_of_stock", "zh".equals(lang) ? "这个颜色和尺码也没有货了" : "that colour and size is out of stock too");
        }
        if (o.getBoolean("shipped")) {
            return ActionResult.rejected("shipped", "zh".equals(lang) ? "订单已经发货，不能换款" : "the order has already shipped");
        }
        JsonObject promo = p.getJsonObject("promotion");
        return ActionResult.ok(new JsonObject().put("requestId", "EX-" + (++counter)).put("order", o.getString("id"))
                .put("from", item.getString("sku")).put("to", target.sku())
                .put("gift", promo == null ? null : promo.getString("giftSku")));
    }

    private ActionResult changeAddress(JsonObject p, String lang) {
        JsonObject o = order(p.getString("order"), lang);
        if (o == null) {
            return notFound(p.getString("order"), lang);
        }
        if (!o.getBoolean("canChangeAddress")) {
            return ActionResult.rejected("shipped", "zh".equals(lang) ? "订单已经发货，不能再改地址" : "the order has already shipped");
        }
        return ActionResult.ok(new JsonObject().put("requestId", "AD-" + (++counter)).put("order", o.getString("id")));
    }

    private ActionResult record(String prefix, String what, JsonObject p, String lang) {
        JsonObject o = order(p.getString("order"), lang);
        if (o == null) {
            return notFound(p.getString("order"), lang);
        }
        return ActionResult.ok(new JsonObject().put(what + "Id", prefix + "-" + (++counter)).put("order", o.getString("id")));
    }

    private ActionResult requestReturn(JsonObject p, String lang) {
        JsonObject o = order(p.getString("order"), lang);
        if (o == null) {
            return notFound(p.getString("order"), lang);
        }
        if (!o.getBoolean("canReturn")) {
            return ActionResult.rejected("not_delivered", "zh".equals(lang) ? "订单还没有签收" : "the order hasn't been delivered yet");
        }
        return ActionResult.ok(new JsonObject().put("returnId", "RT-" + (++counter)).put("order", o.getString("id"))
                .put("refund", o.getString("total")));
    }

    private ActionResult checkStock(JsonObject p, String lang) {
        Product product = store.product(p.getString("product"));
        if (product == null) {
            return ActionResult.rejected("not_found", "zh".equals(lang) ? "没有找到这款商品" : "I couldn't find that product");
        }
        boolean zh = "zh".equals(lang);
        String color = p.getString("color");
        String size = p.getString("size");
        String title = product.title().get(lang, store.defaultLanguage());
        String colorName = color == null ? null : store.colorName(color, lang);
        String text;
        if (color == null && size == null) {
            text = ReplyComposer.product(store, product, lang);
        } else {
            int stock = 0;
            List<String> otherColors = new ArrayList<>();
            List<String> otherSizes = new ArrayList<>();
            for (Variant v : product.variants()) {
                boolean c = color == null || color.equals(v.color());
                boolean s = size == null || size.equalsIgnoreCase(String.valueOf(v.size()));
                if (c && s) {
                    stock += v.stock();
                }
                if (v.inStock() && s && v.color() != null && !otherColors.contains(store.colorName(v.color(), lang))) {
                    otherColors.add(store.colorName(v.color(), lang));
                }
                if (v.inStock() && c && v.size() != null && !otherSizes.contains(v.size())) {
                    otherSizes.add(v.size());
                }
            }
            String what = zh ? title + (colorName == null ? "" : " " + colorName) + (size == null ? "" : " " + size + " 码")
                    : title + (colorName == null ? "" : " in " + colorName) + (size == null ? "" : ", size " + size);
            if (stock > 0) {
                text = zh ? what + "有货，现在下单 48 小时内发出。" : what + " is in stock and ships within 48 hours.";
            } else if (color != null && !otherColors.isEmpty()) {
                text = zh ? what + "暂时缺货；" + (size == null ? "" : "这个尺码") + "有货的颜色：" + String.join("、", otherColors) + "。"
                        : what + " is out of stock; " + (size == null ? "" : "in that size ") + "we have " + String.join(", ", otherColors) + ".";
            } else if (!otherSizes.isEmpty()) {
                text = zh ? what + "暂时缺货；有货的尺码：" + String.join("、", otherSizes) + "。"
                        : what + " is out of stock; available sizes: " + String.join(", ", otherSizes) + ".";
            } else {
                text = zh ? what + "暂时缺货。" : what + " is out of stock.";
            }
            return ActionResult.ok(new JsonObject().put("product", product.sku()).put("stock", stock).put("available", stock > 0).put("text", text));
        }
        return ActionResult.ok(new JsonObject().put("product", product.sku()).put("available", product.totalStock() > 0).put("text", text));
    }

    private static String text(Object v, String lang) {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, String> texts = new LinkedHashMap<>();
            m.forEach((k, x) -> texts.put(String.valueOf(k), String.valueOf(x)));
            return new Localized(texts).get(lang, "en");
        }
        return String.valueOf(v);
    }
}
