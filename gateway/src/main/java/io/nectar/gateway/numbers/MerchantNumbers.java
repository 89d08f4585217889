package io.nectar.gateway.numbers;

import io.nectar.gateway.pg.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * A merchant's numbers over a period, computed in PostgreSQL from the conversations' facts, ratings,
 * order events, reminders and offer events (every name, formula and window: docs/metrics.md). One query
 * per source, each an index range scan of the merchant's period; nothing here touches the reply path.
 */
public final class MerchantNumbers {

    /** Days after a conversation in which a paid order of its shopper counts as its conversion. */
    public static final int CONVERSION_DAYS = 3;

    private static final String CONVERSATIONS = """
            SELECT %s AS day,
              count(*) AS conversations,
              coalesce(sum(c.last_seq), 0) AS messages,
              count(*) FILTER (WHERE c.first_bot_at IS NOT NULL) AS bot_touched,
              count(*) FILTER (WHERE c.handoff_at IS NOT NULL) AS handed_off,
              count(*) FILTER (WHERE (c.handoff_at IS NULL OR c.handoff_at > c.first_shopper_at + interval '72 hours')
                                 AND (c.first_agent_at IS NULL OR c.first_agent_at > c.first_shopper_at + interval '72 hours')) AS automated,
              count(*) FILTER (WHERE c.handoff_at IS NULL AND r.rating IS DISTINCT FROM 'bad' AND NOT rep.repeated) AS resolved,
              count(*) FILTER (WHERE c.complaint OR r.rating = 'bad') AS complaints,
              count(*) FILTER (WHERE r.rating = 'good') AS good,
              count(*) FILTER (WHERE r.rating = 'bad') AS bad,
              count(*) FILTER (WHERE c.shopper_id IS NOT NULL) AS identified,
              count(*) FILTER (WHERE conv.converted) AS converted,
              percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_bot_at - c.first_shopper_at) * 1000)
                FILTER (WHERE c.first_bot_at IS NOT NULL) AS bot_ms,
              percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_agent_at - c.handoff_at) * 1000)
                FILTER (WHERE c.first_agent_at IS NOT NULL AND c.handoff_at IS NOT NULL AND c.first_agent_at >= c.handoff_at) AS agent_ms
            FROM conversations c
            LEFT JOIN ratings r ON r.conversation_id = c.id AND r.merchant_id = c.merchant_id
            CROSS JOIN LATERAL (SELECT CASE WHEN c.shopper_id IS NULL OR c.topic IS NULL THEN false ELSE EXISTS (
                SELECT 1 FROM conversations n WHERE n.merchant_id = c.merchant_id AND n.shopper_id = c.shopper_id AND n.id <> c.id
                  AND n.first_shopper_at > c.first_shopper_at AND n.first_shopper_at <= c.updated_at + interval '24 hours'
                  AND n.topic = c.topic) END AS repeated) rep
            CROSS JOIN LATERAL (SELECT CASE WHEN c.shopper_id IS NULL THEN false ELSE EXISTS (
                SELECT 1 FROM order_events o WHERE o.merchant_id = c.merchant_id AND o.type = 'paid' AND o.shopper_id = c.shopper_id
                  AND o.at > c.first_shopper_at AND o.at <= c.first_shopper_at + make_interval(days => $4)
                  AND NOT EXISTS (SELECT 1 FROM conversations l WHERE l.merchant_id = c.merchant_id AND l.shopper_id = c.shopper_id
                                  AND l.first_shopper_at > c.first_shopper_at AND l.first_shopper_at < o.at)) END AS converted) conv
            WHERE c.merchant_id = $1 AND c.first_shopper_at >= $2 AND c.first_shopper_at < $3
            %s""";
    private static final String TOTAL = CONVERSATIONS.formatted("NULL::date", "");
    private static final String DAILY = CONVERSATIONS.formatted("(c.first_shopper_at AT TIME ZONE 'UTC')::date", "GROUP BY 1 ORDER BY 1");
    private static final String REMINDERS = """
            SELECT holdout, count(*) FILTER (WHERE status = 'sent') AS sent, count(*) FILTER (WHERE due_unpaid) AS eligible,
                   count(*) FILTER (WHERE due_unpaid AND paid_at IS NOT NULL) AS recovered
            FROM reminders WHERE merchant_id = $1 AND first_due_at >= $2 AND first_due_at < $3 GROUP BY holdout""";
    private static final String OFFERS = """
            SELECT count(*) FILTER (WHERE kind = 'shown') AS shown, count(*) FILTER (WHERE kind = 'clicked') AS clicked,
                   count(*) FILTER (WHERE kind = 'bought') AS bought
            FROM offer_events WHERE merchant_id = $1 AND at >= $2 AND at < $3""";
    private static final String ASSIST = """
            SELECT count(*) AS decided, count(*) FILTER (WHERE outcome IN ('sent', 'edited')) AS used,
                   count(*) FILTER (WHERE outcome = 'sent') AS sent
            FROM assist_suggestions WHERE merchant_id = $1 AND shown_at >= $2 AND shown_at < $3""";
    private static final String COMPLAINTS = """
            SELECT c.id, c.first_shopper_at, c.complaint, c.shopper_id, r.rating, r.comment,
                   (SELECT m.text FROM messages m WHERE m.conversation_id = c.id AND m.role = 'shopper' ORDER BY m.seq DESC LIMIT 1) AS last_text
            FROM conversations c LEFT JOIN ratings r ON r.conversation_id = c.id AND r.merchant_id = c.merchant_id
            WHERE c.merchant_id = $1 AND c.first_shopper_at >= $2 AND c.first_shopper_at < $3 AND (c.complaint OR r.rating = 'bad')
            ORDER BY c.first_shopper_at DESC LIMIT 200""";

    private final Database db;

    public MerchantNumbers(Database db) {
        this.db = db;
    }

    /** The numbers of {@code merchant} for the UTC days {@code from} to {@code to}, both included. */
    public Future<JsonObject> period(String merchant, LocalDate from, LocalDate to) {
        Tuple range = Tuple.of(merchant, start(from), start(to.plusDays(1)));
        Future<JsonObject> conversations = db.pool().preparedQuery(TOTAL).execute(Tuple.of(merchant, start(from), start(to.plusDays(1)), CONVERSION_DAYS))
                .map(rows -> conversationNumbers(rows.iterator().next()));
        Future<JsonObject> reminders = db.pool().preparedQuery(REMINDERS).execute(range).map(rows -> {
            long[] treated = new long[3];
            long[] holdout = new long[3];
            for (Row r : rows) {
                long[] g = r.getBoolean("holdout") ? holdout : treated;
                g[0] = r.getLong("sent");
                g[1] = r.getLong("eligible");
                g[2] = r.getLong("recovered");
            }
            Double rate = ratio(treated[2], treated[1]);
            Double base = ratio(holdout[2], holdout[1]);
            return new JsonObject().put("reminders_sent", treated[0]).put("reminder_orders", treated[1])
                    .put("reminder_recovered", treated[2]).put("reminder_recovery_rate", rate)
                    .put("holdout_orders", holdout[1]).put("holdout_recovered", holdout[2]).put("holdout_recovery_rate", base)
                    .put("reminder_uplift", rate == null || base == null ? null : round(rate - base));
        });
        Future<JsonObject> offers = db.pool().preparedQuery(OFFERS).execute(range).map(rows -> {
            Row r = rows.iterator().next();
            long shown = r.getLong("shown");
            return new JsonObject().put("offers_shown", shown).put("offers_clicked", r.getLong("clicked"))
                    .put("offers_bought", r.getLong("bought")).put("offer_click_rate", ratio(r.getLong("clicked"), shown))
                    .put("offer_take_up", ratio(r.getLong("bought"), shown));
        });
        Future<JsonObject> assist = db.pool().preparedQuery(ASSIST).execute(range).map(rows -> {
            Row r = rows.iterator().next();
            long used = r.getLong("used");
            return new JsonObject().put("assist_panes", r.getLong("decided")).put("assist_adoption", ratio(used, r.getLong("decided")))
                    .put("assist_acceptance", ratio(r.getLong("sent"), used));
        });
        return Future.all(conversations, reminders, offers, assist).map(all -> {
            JsonObject out = new JsonObject().put("merchant", merchant).put("from", from.toString()).put("to", to.toString());
            out.mergeIn(conversations.result()).mergeIn(reminders.result()).mergeIn(offers.result()).mergeIn(assist.result());
            return out;
        });
    }

    /** The conversation numbers of each UTC day of the period that had conversations, oldest first. */
    public Future<JsonArray> daily(String merchant, LocalDate from, LocalDate to) {
        return db.pool().preparedQuery(DAILY).execute(Tuple.of(merchant, start(from), start(to.plusDays(1)), CONVERSION_DAYS))
                .map(rows -> {
                    JsonArray out = new JsonArray();
                    for (Row r : rows) {
                        out.add(conversationNumbers(r).put("day", r.getLocalDate("day").toString()));
                    }
                    return out;
                });
    }

    /** Conversations with anger words or a bad rating, newest first (at most 200). */
    public Future<JsonArray> complaints(String merchant, LocalDate from, LocalDate to) {
        return db.pool().preparedQuery(COMPLAINTS).execute(Tuple.of(merchant, start(from), start(to.plusDays(1)))).map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                out.add(new JsonObject().put("conversationId", r.getString("id"))
                        .put("at", r.getOffsetDateTime("first_shopper_at").toInstant().toString())
                        .put("angerWords", r.getBoolean("complaint")).put("rating", r.getString("rating"))
                        .put("comment", r.getString("comment")).put("shopperId", r.getString("shopper_id"))
                        .put("lastShopperMessage", r.getString("last_text")));
            }
            return out;
        });
    }

    private static JsonObject conversationNumbers(Row r) {
        long conversations = r.getLong("conversations");
        long touched = r.getLong("bot_touched");
        long good = r.getLong("good");
        long bad = r.getLong("bad");
        return new JsonObject().put("conversations", conversations).put("messages", r.getLong("messages"))
                .put("bot_touched_conversations", touched).put("handed_off_conversations", r.getLong("handed_off"))
                .put("automation_rate", ratio(r.getLong("automated"), conversations))
                .put("resolution_rate", ratio(r.getLong("resolved"), conversations))
                .put("handoff_rate", ratio(r.getLong("handed_off"), touched))
                .put("identified_conversations", r.getLong("identified")).put("converted_conversations", r.getLong("converted"))
                .put("conversion_rate", ratio(r.getLong("converted"), r.getLong("identified")))
                .put("ratings_good", good).put("ratings_bad", bad).put("csat", ratio(good, good + bad))
                .put("complaints", r.getLong("complaints"))
                .put("bot_first_reply_ms", percentiles(r.getArrayOfDoubles("bot_ms")))
                .put("agent_first_reply_ms", percentiles(r.getArrayOfDoubles("agent_ms")));
    }

    private static JsonObject percentiles(Double[] p) {
        JsonObject j = new JsonObject();
        String[] names = {"p50", "p90", "p99"};
        for (int i = 0; i < names.length; i++) {
            j.put(names[i], p == null || p[i] == null ? null : Math.round(p[i]));
        }
        return j;
    }

    static Double ratio(long a, long b) {
        return b == 0 ? null : round((double) a / b);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    private static OffsetDateTime start(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
