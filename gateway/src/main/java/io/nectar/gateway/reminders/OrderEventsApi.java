package io.nectar.gateway.reminders;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.merchant.MerchantApiHandler;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.Selling;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import static io.nectar.gateway.merchant.MerchantApiHandler.error;
import static io.nectar.gateway.merchant.MerchantApiHandler.json;

/**
 * The merchant API's order side (docs/protocol.md, "Order events and reminders"):
 * <pre>
 * POST /api/merchant/order-events               an order was created, paid or cancelled (idempotent on eventId)
 * GET  /api/merchant/reminders[?status=all]     queued reminders (scheduled and waiting), or every one
 * POST /api/merchant/reminders/{orderId}/stop   a queued reminder is not sent
 * </pre>
 * An event, its effect on the order's reminder and the idempotency record are one transaction. Needs
 * PostgreSQL (503 without). Runs on the event loop.
 */
public final class OrderEventsApi {

    private static final Pattern ID = Pattern.compile("[\\p{L}\\p{N}._:@+#/-]{1,128}");
    private static final Set<String> FIELDS = Set.of("eventId", "orderId", "shopperId", "type", "amount", "at", "expiresAt", "skus");
    static final String INSERT_EVENT = "INSERT INTO order_events (merchant_id, event_id, order_id, shopper_id, type, amount, at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING event_id";
    static final String CLOSED = "SELECT 1 FROM order_events WHERE merchant_id = $1 AND order_id = $2 AND type IN ('paid', 'cancelled') LIMIT 1";
    static final String SCHEDULE = "INSERT INTO reminders (merchant_id, order_id, shopper_id, amount, ordered_at, first_due_at, due_at, "
            + "expires_at, holdout, status) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, 'scheduled') ON CONFLICT DO NOTHING";
    static final String CLOSE = "UPDATE reminders SET paid_at = CASE WHEN $3 = 'paid' THEN COALESCE(paid_at, $4) ELSE paid_at END, "
            + "status = CASE WHEN status IN ('scheduled', 'waiting') THEN 'cancelled' ELSE status END, "
            + "reason = CASE WHEN status IN ('scheduled', 'waiting') THEN 'order ' || $3 ELSE reason END, updated_at = now() "
            + "WHERE merchant_id = $1 AND order_id = $2 RETURNING status, holdout";
    static final String LIST = "SELECT order_id, shopper_id, amount, ordered_at, due_at, expires_at, holdout, status, reason, "
            + "conversation_id, sent_at, paid_at FROM reminders WHERE merchant_id = $1 AND ($2 OR status IN ('scheduled', 'waiting')) "
            + "ORDER BY due_at LIMIT 500";
    static final String STOP = "UPDATE reminders SET status = 'stopped', reason = 'stopped by the merchant', updated_at = now() "
            + "WHERE merchant_id = $1 AND order_id = $2 AND status IN ('scheduled', 'waiting') RETURNING order_id";

    private final GatewayServices services;
    private final MerchantApiHandler auth;
    private final LongAdder events = new LongAdder();

    public OrderEventsApi(GatewayServices services, MerchantApiHandler auth) {
        this.services = services;
        this.auth = auth;
    }

    public void routes(Router router) {
        router.post(MerchantApiHandler.ROOT + "/order-events").handler(this::event);
        router.get(MerchantApiHandler.ROOT + "/reminders").handler(this::list);
        router.post(MerchantApiHandler.ROOT + "/reminders/:orderId/stop").handler(this::stop);
    }

    /** The order event of a request body, checked. */
    record OrderEvent(String eventId, String orderId, String shopperId, String type, BigDecimal amount, long at, Long expiresAt,
                      List<String> skus) {
    }

    static OrderEvent parse(JsonObject b) {
        for (String f : b.fieldNames()) {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown field '" + f + "'; an order event has " + new java.util.TreeSet<>(FIELDS));
            }
        }
        String type = b.getValue("type") instanceof String t ? t : null;
        if (!"created".equals(type) && !"paid".equals(type) && !"cancelled".equals(type)) {
            throw new IllegalArgumentException("'type' must be \"created\", \"paid\" or \"cancelled\"");
        }
        BigDecimal amount = null;
        if (b.getValue("amount") != null) {
            if (!(b.getValue("amount") instanceof Number n)) {
                throw new IllegalArgumentException("'amount' must be a number");
            }
            amount = new BigDecimal(n.toString());
            if (amount.signum() < 0 || amount.compareTo(new BigDecimal("1e12")) >= 0) {
                throw new IllegalArgumentException("'amount' must be from 0 to below 10^12");
            }
        }
        List<String> skus = new ArrayList<>();
        if (b.getValue("skus") != null) {
            if (!(b.getValue("skus") instanceof JsonArray a) || a.size() > 200) {
                throw new IllegalArgumentException("'skus' must be a list of at most 200 SKUs");
            }
            for (Object o : a) {
                skus.add(id(o, "skus[]"));
            }
        }
        return new OrderEvent(id(b.getValue("eventId"), "eventId"), id(b.getValue("orderId"), "orderId"),
                b.getValue("shopperId") == null ? null : id(b.getValue("shopperId"), "shopperId"), type, amount,
                instant(b.getValue("at"), "at"), b.getValue("expiresAt") == null ? null : instant(b.getValue("expiresAt"), "expiresAt"),
                skus);
    }

    private static String id(Object v, String field) {
        if (!(v instanceof String s) || !ID.matcher(s).matches()) {
            throw new IllegalArgumentException("'" + field + "' must be a text of 1-128 letters, digits or . _ : @ + # / -");
        }
        return s;
    }

    private static long instant(Object v, String field) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // below
            }
        }
        throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 time with an offset (2026-11-11T20:15:00+08:00) or epoch ms");
    }

    /** Who is calling and the node's PostgreSQL. */
    private record Caller(String merchant, PgServices pg) {
    }

    /** The signed-in merchant and PostgreSQL, or null once the request is answered (401, or 503 without PostgreSQL). */
    private Caller caller(RoutingContext ctx, String what) {
        String merchant = auth.authenticate(ctx);
        if (merchant == null) {
            return null;
        }
        PgServices pg = services.pg();
        if (pg == null) {
            error(ctx, 503, what + " need PostgreSQL (start the gateway with --pg)");
            return null;
        }
        return new Caller(merchant, pg);
    }

    private void event(RoutingContext ctx) {
        Caller c = caller(ctx, "order events");
        if (c == null) {
            return;
        }
        String merchant = c.merchant();
        PgServices pg = c.pg();
        OrderEvent e;
        try {
            Object parsed = ctx.body().length() == 0 ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (!(parsed instanceof JsonObject o)) {
                error(ctx, 400, "the body must be one JSON object");
                return;
            }
            e = parse(o);
        } catch (DecodeException x) {
            error(ctx, 400, "the body is not valid JSON: " + x.getMessage());
            return;
        } catch (IllegalArgumentException x) {
            error(ctx, 400, x.getMessage());
            return;
        }
        Store store = services.knowledge().store(merchant);
        if (store == null) {
            error(ctx, 404, "merchant '" + merchant + "' is not served by this node yet");
            return;
        }
        events.increment();
        pg.database().inTransaction(conn -> conn.preparedQuery(INSERT_EVENT).execute(Tuple.of(merchant, e.eventId(), e.orderId(),
                        e.shopperId(), e.type(), e.amount(), Reminders.time(e.at())))
                .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(new JsonObject().put("duplicate", true))
                        : apply(conn, store, e).map(x -> x.put("duplicate", false))))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        MerchantApiHandler.failed(ctx, ar.cause());
                        return;
                    }
                    JsonObject out = ar.result().put("merchant", merchant).put("eventId", e.eventId()).put("orderId", e.orderId())
                            .put("type", e.type());
                    json(ctx, ar.result().getBoolean("duplicate") ? 200 : 201, out);
                });
    }

    private Future<JsonObject> apply(SqlConnection conn, Store store, OrderEvent e) {
        String merchant = store.merchantId();
        if (!"created".equals(e.type())) {
            Future<JsonObject> closed = conn.preparedQuery(CLOSE).execute(Tuple.of(merchant, e.orderId(), e.type(), Reminders.time(e.at())))
                    .map(rows -> {
                        JsonObject out = new JsonObject();
                        for (Row r : rows) {
                            out.put("reminder", new JsonObject().put("status", r.getString("status")).put("holdout", r.getBoolean("holdout")));
                        }
                        return out;
                    });
            if ("paid".equals(e.type()) && e.shopperId() != null) {
                return closed.compose(out -> services.offers().bought(conn, merchant, e.shopperId(), e.skus(), e.at(), 3)
                        .map(n -> out.put("offersBought", n)));
            }
            return closed;
        }
        Selling.Reminders settings = store.selling().reminders();
        if (e.shopperId() == null || !settings.enabled()) {
            return Future.succeededFuture(new JsonObject().put("reminder", (Object) null)
                    .put("why", e.shopperId() == null ? "no shopperId: no reminder" : "reminders are off for this store"));
        }
        return conn.preparedQuery(CLOSED).execute(Tuple.of(merchant, e.orderId())).compose(closed -> {
            if (closed.size() > 0) {
                return Future.succeededFuture(new JsonObject().put("reminder", (Object) null).put("why", "the order is already paid or cancelled"));
            }
            long due = e.at() + settings.delayMinutes() * 60_000L;
            long expires = e.expiresAt() != null ? e.expiresAt() : e.at() + settings.orderExpiryMinutes() * 60_000L;
            boolean holdout = Reminders.holdout(merchant, e.orderId(), settings.holdout());
            return conn.preparedQuery(SCHEDULE).execute(Tuple.of(merchant, e.orderId(), e.shopperId(), e.amount(),
                            Reminders.time(e.at()), Reminders.time(due), Reminders.time(expires), holdout))
                    .map(r -> new JsonObject().put("reminder", new JsonObject().put("status", "scheduled").put("holdout", holdout)
                            .put("dueAt", Instant.ofEpochMilli(due).toString())));
        });
    }

    private void list(RoutingContext ctx) {
        Caller c = caller(ctx, "reminders");
        if (c == null) {
            return;
        }
        String merchant = c.merchant();
        PgServices pg = c.pg();
        boolean all = "all".equals(ctx.request().getParam("status"));
        pg.database().pool().preparedQuery(LIST).execute(Tuple.of(merchant, all)).onComplete(ar -> {
            if (ar.failed()) {
                MerchantApiHandler.failed(ctx, ar.cause());
                return;
            }
            JsonArray out = new JsonArray();
            for (Row r : ar.result()) {
                JsonObject j = new JsonObject().put("orderId", r.getString("order_id")).put("shopperId", r.getString("shopper_id"))
                        .put("amount", r.getBigDecimal("amount") == null ? null : r.getBigDecimal("amount").toPlainString())
                        .put("status", r.getString("status")).put("holdout", r.getBoolean("holdout")).put("reason", r.getString("reason"))
                        .put("orderedAt", iso(r, "ordered_at")).put("dueAt", iso(r, "due_at")).put("expiresAt", iso(r, "expires_at"))
                        .put("sentAt", iso(r, "sent_at")).put("paidAt", iso(r, "paid_at")).put("conversationId", r.getString("conversation_id"));
                out.add(j);
            }
            json(ctx, 200, new JsonObject().put("merchant", merchant).put("reminders", out));
        });
    }

    private void stop(RoutingContext ctx) {
        Caller c = caller(ctx, "reminders");
        if (c == null) {
            return;
        }
        String merchant = c.merchant();
        PgServices pg = c.pg();
        String order = ctx.pathParam("orderId");
        pg.database().pool().preparedQuery(STOP).execute(Tuple.of(merchant, order)).onComplete(ar -> {
            if (ar.failed()) {
                MerchantApiHandler.failed(ctx, ar.cause());
            } else if (ar.result().rowCount() == 0) {
                error(ctx, 404, "no queued reminder for order '" + order + "'");
            } else {
                json(ctx, 200, new JsonObject().put("merchant", merchant).put("orderId", order).put("status", "stopped"));
            }
        });
    }

    private static String iso(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant().toString();
    }
}
