package io.nectar.gateway.webhook;

import io.nectar.gateway.pg.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook outbox in PostgreSQL. Rows are written by the transcript sink in the transaction that stores
 * the ownership change's message ({@link #add}); every node leases due rows with
 * {@code FOR UPDATE SKIP LOCKED} (nodes never wait on each other's rows, and a row goes to one node),
 * pushing their next attempt past the lease so nobody else takes them while they are being delivered.
 */
public final class PgOutbox implements Outbox {

    static final String ADD = "INSERT INTO webhook_outbox (event_id, merchant_id, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
    static final String LEASE = "UPDATE webhook_outbox SET next_attempt_at = now() + make_interval(secs => $2) "
            + "WHERE event_id IN (SELECT event_id FROM webhook_outbox WHERE delivered_at IS NULL AND failed_at IS NULL "
            + "AND next_attempt_at <= now() ORDER BY next_attempt_at, created_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
            + "RETURNING event_id, merchant_id, body, attempts";
    static final String DELIVERED = "UPDATE webhook_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL "
            + "WHERE event_id = $1 AND delivered_at IS NULL";
    static final String RETRY = "UPDATE webhook_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3 "
            + "WHERE event_id = $1 AND delivered_at IS NULL";
    static final String GIVE_UP = "UPDATE webhook_outbox SET attempts = attempts + 1, failed_at = now(), last_error = $2 "
            + "WHERE event_id = $1 AND delivered_at IS NULL";

    private final Database db;

    public PgOutbox(Database db) {
        this.db = db;
    }

    /** Adds an event in the caller's transaction (once per event id). */
    public static Future<Void> add(SqlConnection conn, List<Tuple> events) {
        return events.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(ADD).executeBatch(events).mapEmpty();
    }

    public static Tuple event(String eventId, String merchant, String body) {
        return Tuple.of(eventId, merchant, body);
    }

    @Override
    public Future<List<Pending>> lease(int max, long leaseMillis) {
        return db.pool().preparedQuery(LEASE).execute(Tuple.of(max, leaseMillis / 1000.0)).map(rows -> {
            List<Pending> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Pending(r.getString("event_id"), r.getString("merchant_id"), r.getString("body"), r.getInteger("attempts")));
            }
            return out;
        });
    }

    @Override
    public Future<Void> delivered(Pending p) {
        return db.pool().preparedQuery(DELIVERED).execute(Tuple.of(p.eventId())).mapEmpty();
    }

    @Override
    public Future<Void> retry(Pending p, long nextAttemptAt, String error) {
        return db.pool().preparedQuery(RETRY).execute(Tuple.of(p.eventId(),
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(nextAttemptAt), ZoneOffset.UTC), truncate(error))).mapEmpty();
    }

    @Override
    public Future<Void> giveUp(Pending p, String error) {
        return db.pool().preparedQuery(GIVE_UP).execute(Tuple.of(p.eventId(), truncate(error))).mapEmpty();
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() <= 500 ? s : s.substring(0, 500);
    }
}
