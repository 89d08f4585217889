package io.nectar.gateway.reminders;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.Selling;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unpaid-order reminders (docs/decisions.md): the schedule is PostgreSQL's {@code reminders} table, so it
 * survives restarts and every node serves it. Every node {@link #tick}s (each second by default): in one
 * transaction it takes the due rows with {@code FOR UPDATE SKIP LOCKED} (a row is handled by one node at a
 * time), and for each decides: holdout (never sent), expired, quiet hours or the shopper's daily cap (due
 * again later), or sent: appended once ({@code reminder:<order>} dedupe id) to the shopper's latest live
 * conversation, delivered at once on whichever node holds it. With no live conversation it waits for the
 * shopper's next visit ({@link #visited}). Time comes from the node's clock (a test moves it).
 */
public final class Reminders {

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    static final int BATCH = 50;
    static final String DUE = "SELECT merchant_id, order_id, shopper_id, amount, expires_at, holdout FROM reminders "
            + "WHERE status = 'scheduled' AND due_at <= $1 ORDER BY due_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";
    static final String WAITING = "SELECT merchant_id, order_id, shopper_id, amount, expires_at, holdout FROM reminders "
            + "WHERE merchant_id = $1 AND shopper_id = $2 AND status = 'waiting' ORDER BY due_at FOR UPDATE SKIP LOCKED";
    static final String SET = "UPDATE reminders SET status = $3, reason = $4, due_at = COALESCE($5, due_at), due_unpaid = true, "
            + "conversation_id = COALESCE($6, conversation_id), sent_at = $7, updated_at = now() WHERE merchant_id = $1 AND order_id = $2";
    static final String SENT_TODAY = "SELECT count(*) AS n FROM reminders WHERE merchant_id = $1 AND shopper_id = $2 AND sent_at >= $3";

    private final GatewayServices services;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();
    private final LongAdder waiting = new LongAdder();
    private long timer = -1;
    private Vertx vertx;

    public Reminders(GatewayServices services) {
        this.services = services;
        services.metrics().counter("nectar_reminders_sent_total", "Unpaid-order reminders delivered into conversations (all merchants)",
                sent::sum);
        services.metrics().counter("nectar_reminders_deferred_total",
                "Due reminders whose shopper had no live conversation (sent at the next visit)", waiting::sum);
    }

    /** Starts ticking every {@code periodMillis} on this node (0: never; tests tick themselves). */
    public void start(Vertx vertx, long periodMillis) {
        this.vertx = vertx;
        if (periodMillis > 0) {
            timer = vertx.setPeriodic(periodMillis, id -> tick());
        }
    }

    public void stop() {
        if (vertx != null && timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Handles every reminder due now; completes with how many rows it decided on (0 when another tick still runs). */
    public Future<Integer> tick() {
        PgServices pg = services.pg();
        if (pg == null || services.knowledge() == null || !ticking.compareAndSet(false, true)) {
            return Future.succeededFuture(0);
        }
        long now = services.clock().millis();
        return pg.database().inTransaction(conn -> conn.preparedQuery(DUE).execute(Tuple.of(time(now)))
                        .compose(rows -> each(conn, rows, now, false)))
                .onFailure(t -> log.warn("reminder tick failed: {}", t.toString()))
                .andThen(ar -> ticking.set(false));
    }

    /**
     * A shopper opened a conversation: reminders waiting for their visit are sent into it (quiet hours do
     * not hold them: the shopper is here), within the daily cap and before the order expires.
     */
    public Future<Integer> visited(String merchant, String shopper, String conversationId) {
        PgServices pg = services.pg();
        if (pg == null) {
            return Future.succeededFuture(0);
        }
        long now = services.clock().millis();
        return pg.database().inTransaction(conn -> conn.preparedQuery(WAITING).execute(Tuple.of(merchant, shopper))
                        .compose(rows -> each(conn, rows, now, true)))
                .onFailure(t -> log.warn("reminders for a visit of {} not sent: {}", merchant, t.toString()));
    }

    private Future<Integer> each(SqlConnection conn, RowSet<Row> rows, long now, boolean visit) {
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        Future<Void> f = Future.succeededFuture();
        for (Row r : list) {
            f = f.compose(v -> decide(conn, r, now, visit));
        }
        return f.map(list.size());
    }

    private Future<Void> decide(SqlConnection conn, Row r, long now, boolean visit) {
        String merchant = r.getString("merchant_id");
        String order = r.getString("order_id");
        String shopper = r.getString("shopper_id");
        Store store = services.knowledge().store(merchant);
        if (store == null) {
            return Future.succeededFuture(); // a merchant this node does not serve (yet): another tick
        }
        Selling.Reminders settings = store.selling().reminders();
        long expires = r.getOffsetDateTime("expires_at").toInstant().toEpochMilli();
        if (r.getBoolean("holdout")) {
            return set(conn, merchant, order, "holdout", "in the holdout share: no reminder", null, null, null);
        }
        if (expires <= now) {
            return set(conn, merchant, order, "expired", "the order expired before a reminder could be sent", null, null, null);
        }
        ZonedDateTime local = Instant.ofEpochMilli(now).atZone(settings.timeZone());
        if (!visit && settings.quiet(local.toLocalTime())) {
            ZonedDateTime end = local.with(settings.quietTo());
            if (!end.isAfter(local)) {
                end = end.plusDays(1);
            }
            return later(conn, merchant, order, end.toInstant().toEpochMilli(), expires, "quiet hours");
        }
        long dayStart = local.toLocalDate().atStartOfDay(settings.timeZone()).toInstant().toEpochMilli();
        return conn.preparedQuery(SENT_TODAY).execute(Tuple.of(merchant, shopper, time(dayStart))).compose(c -> {
            long today = c.iterator().next().getLong("n");
            if (today >= settings.perShopperPerDay()) {
                if (visit) {
                    return Future.<Void>succeededFuture(); // stays waiting for a visit on another day
                }
                long tomorrow = local.toLocalDate().plusDays(1).atStartOfDay(settings.timeZone()).toInstant().toEpochMilli();
                return later(conn, merchant, order, tomorrow, expires, "the shopper's daily cap");
            }
            return send(conn, store, r, now);
        });
    }

    private Future<Void> later(SqlConnection conn, String merchant, String order, long at, long expires, String why) {
        if (at >= expires) {
            return set(conn, merchant, order, "expired", why + " lasted until the order expired", null, null, null);
        }
        return set(conn, merchant, order, "scheduled", "held back by " + why, at, null, null);
    }

    private Future<Void> send(SqlConnection conn, Store store, Row r, long now) {
        String merchant = r.getString("merchant_id");
        String order = r.getString("order_id");
        String shopper = r.getString("shopper_id");
        return services.conversations().conversationOf(merchant, shopper).compose(conversation -> {
            if (conversation == null) {
                waiting.increment();
                return set(conn, merchant, order, "waiting", "no live conversation: sent at the shopper's next visit", null, null, null);
            }
            String lang = store.defaultLanguage();
            BigDecimal amount = r.getBigDecimal("amount");
            String text = store.selling().reminders().text().get(lang, store.defaultLanguage())
                    .replace("{order}", order).replace("{amount}", amount == null ? "" : amount.toPlainString());
            JsonObject frame = new JsonObject().put("type", "reminder").put("order", order).put("text", text).put("at", now);
            LoggedMessage m = new LoggedMessage(conversation, merchant, 0, "system", null, text, "reminder", "reminder", lang, now,
                    null, null, frame, shopper);
            return services.conversations().append(merchant, conversation, m, "reminder:" + order).compose(stored -> {
                if (stored == null) {
                    waiting.increment();
                    return set(conn, merchant, order, "waiting", "no live conversation: sent at the shopper's next visit", null, null, null);
                }
                sent.increment();
                return set(conn, merchant, order, "sent", null, null, conversation, now);
            });
        });
    }

    private static Future<Void> set(SqlConnection conn, String merchant, String order, String status, String reason, Long dueAt,
                                    String conversation, Long sentAt) {
        return conn.preparedQuery(SET).execute(Tuple.of(merchant, order, status, reason, dueAt == null ? null : time(dueAt),
                conversation, sentAt == null ? null : time(sentAt))).mapEmpty();
    }

    /** Whether an order is in the holdout share: the first 8 bytes of SHA-256(merchant|order) as a fraction below {@code share}. */
    public static boolean holdout(String merchant, String order, double share) {
        if (share <= 0) {
            return false;
        }
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((merchant + "|" + order).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long v = java.nio.ByteBuffer.wrap(h).getLong() >>> 11; // 53 bits
            return v / (double) (1L << 53) < share;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
