package io.nectar.gateway.numbers;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.pg.Database;
import io.nectar.gateway.pg.PgClusterTest;
import io.nectar.gateway.shoppers.ShopperTokens;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.Http;
import io.nectar.gateway.support.TestClock;
import io.nectar.gateway.support.TestDatabases;
import io.nectar.gateway.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merchant's numbers (docs/metrics.md) over a scripted month whose every value is worked out by hand
 * below, plus one conversation driven through a real node to show the facts the numbers need are recorded
 * from real chats, ratings and order events. Real PostgreSQL and Redis.
 */
class MerchantNumbersTest {

    static final String KEY = "demo-merchant-key-change-me";
    static final Instant T = Instant.parse("2026-11-10T02:00:00Z");
    static final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
    static Gateway node;
    static Vertx client;
    static Http http;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        String url = TestDatabases.fresh("numbers");
        Path data = Files.createTempDirectory("numbers").resolve("node");
        PgClusterTest.seed(data);
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId("numbers").withKeyPrefix("num" + System.nanoTime() + ":")
                .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), url);
        node = Await.result(Gateway.start(GatewayConfig.defaults().withPort(0).withDataDir(data).withCluster(cluster).withRate(1000, 1000),
                Gateway.Overrides.clock(clock, 0)));
        Await.result(node.ready(), 300);
        client = Vertx.vertx();
        http = new Http(client);
        db = Database.create(client, url);
        script();
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (node != null) {
            Await.result(node.stop());
        }
        if (client != null) {
            Await.result(client.close());
        }
    }

    static OffsetDateTime t(Duration after) {
        return OffsetDateTime.ofInstant(T.plus(after), ZoneOffset.UTC);
    }

    static OffsetDateTime plus(OffsetDateTime a, Duration d) {
        return a == null ? null : a.plus(d);
    }

    static void conversation(String merchant, String id, String shopper, OffsetDateTime start, Long botMs, Duration handoff,
                             Duration agent, String topic, boolean complaint, long lastSeq, Duration updated) throws Exception {
        Await.result(db.pool().preparedQuery("INSERT INTO conversations (id, merchant_id, created_at, updated_at, language, last_seq, "
                        + "shopper_id, first_shopper_at, first_bot_at, first_agent_at, handoff_at, topic, complaint) "
                        + "VALUES ($1, $2, $3, $4, 'en', $5, $6, $3, $7, $8, $9, $10, $11)")
                .execute(Tuple.tuple().addString(id).addString(merchant).addOffsetDateTime(start).addOffsetDateTime(start.plus(updated))
                        .addLong(lastSeq).addString(shopper).addOffsetDateTime(botMs == null ? null : start.plus(Duration.ofMillis(botMs)))
                        .addOffsetDateTime(agent == null ? null : start.plus(agent)).addOffsetDateTime(handoff == null ? null : start.plus(handoff))
                        .addString(topic).addBoolean(complaint)));
    }

    static void sql(String statement, Object... args) throws Exception {
        Await.result(db.pool().preparedQuery(statement).execute(Tuple.wrap(args)));
    }

    static void paid(String merchant, String event, String shopper, OffsetDateTime at) throws Exception {
        sql("INSERT INTO order_events (merchant_id, event_id, order_id, shopper_id, type, amount, at) VALUES ($1, $2, $2, $3, 'paid', 10, $4)",
                merchant, event, shopper, at);
    }

    static void reminder(String merchant, String order, boolean holdout, String status, boolean dueUnpaid, OffsetDateTime paidAt,
                         OffsetDateTime due) throws Exception {
        sql("INSERT INTO reminders (merchant_id, order_id, shopper_id, ordered_at, first_due_at, due_at, expires_at, holdout, status, "
                        + "due_unpaid, paid_at, sent_at) VALUES ($1, $2, 'x', $3, $3, $3, $3, $4, $5, $6, $7, $8)",
                merchant, order, due, holdout, status, dueUnpaid, paidAt, "sent".equals(status) ? due : null);
    }

    static void offer(String merchant, String conversation, String offer, String kind, OffsetDateTime at) throws Exception {
        sql("INSERT INTO offer_events (merchant_id, conversation_id, offer_id, kind, at) VALUES ($1, $2, $3, $4, $5)",
                merchant, conversation, offer, kind, at);
    }

    /**
     * November 2026 of merchant demo (and rows of other merchants and other months that must not count):
     * <pre>
     * id  shopper start     bot ms  handoff   agent       topic     last_seq  rating
     * c1  A       T         800     -         -           shipping  4         good
     * c2  A       T+2h      1200    -         -           shipping  2         -       (A's repeat of c1 within 24 h)
     * c3  B       T+1d      400     +2m       +2m30s      returns   8         bad "slow"
     * c4  -       T+2d      2000    +1s       -           -         2         -       anger words
     * c5  -       T+3d      -       -         +73h        -         1         -       an agent after 72 h only
     * c6  C       T+4d      600     +10s      +1m40s      sizes     6         -
     * paid: A at T+1d (after c2: c2 converts, not c1), B at T+6d (past 3 days), C at T+4d+1h (c6 converts)
     * </pre>
     */
    static void script() throws Exception {
        conversation("demo", "c1", "A", t(Duration.ZERO), 800L, null, null, "shipping", false, 4, Duration.ofMinutes(5));
        conversation("demo", "c2", "A", t(Duration.ofHours(2)), 1200L, null, null, "shipping", false, 2, Duration.ofMinutes(1));
        conversation("demo", "c3", "B", t(Duration.ofDays(1)), 400L, Duration.ofMinutes(2), Duration.ofSeconds(150), "returns", false, 8,
                Duration.ofMinutes(10));
        conversation("demo", "c4", null, t(Duration.ofDays(2)), 2000L, Duration.ofSeconds(1), null, null, true, 2, Duration.ofMinutes(1));
        conversation("demo", "c5", null, t(Duration.ofDays(3)), null, null, Duration.ofHours(73), null, false, 1, Duration.ofHours(73));
        conversation("demo", "c6", "C", t(Duration.ofDays(4)), 600L, Duration.ofSeconds(10), Duration.ofSeconds(100), "sizes", false, 6,
                Duration.ofMinutes(5));
        // not counted: another month, another merchant
        conversation("demo", "c-oct", "D", OffsetDateTime.parse("2026-10-31T23:00:00Z"), 100L, null, null, "shipping", false, 2,
                Duration.ofMinutes(1));
        conversation("other", "o1", "A", t(Duration.ZERO), 100L, Duration.ofSeconds(1), null, "shipping", true, 50, Duration.ofMinutes(1));
        sql("INSERT INTO ratings (conversation_id, merchant_id, shopper_id, rating, comment, at) VALUES ('c1', 'demo', 'A', 'good', NULL, $1)",
                t(Duration.ofMinutes(5)));
        sql("INSERT INTO ratings (conversation_id, merchant_id, shopper_id, rating, comment, at) VALUES ('c3', 'demo', 'B', 'bad', 'slow', $1)",
                t(Duration.ofDays(1).plusMinutes(10)));
        sql("INSERT INTO ratings (conversation_id, merchant_id, shopper_id, rating, comment, at) VALUES ('o1', 'other', 'A', 'bad', NULL, $1)",
                t(Duration.ZERO));
        paid("demo", "pa", "A", t(Duration.ofDays(1)));
        paid("demo", "pb", "B", t(Duration.ofDays(6)));
        paid("demo", "pc", "C", t(Duration.ofDays(4).plusHours(1)));
        paid("other", "po", "D", t(Duration.ofDays(1)));
        // reminders: sent and paid, sent and unpaid, cancelled before due; holdout: paid, unpaid, unpaid, cancelled before due
        OffsetDateTime due = t(Duration.ofDays(5));
        reminder("demo", "r1", false, "sent", true, due.plusHours(1), due);
        reminder("demo", "r2", false, "sent", true, null, due);
        reminder("demo", "r3", false, "cancelled", false, due.minusMinutes(5), due);
        reminder("demo", "h1", true, "holdout", true, due.plusHours(2), due);
        reminder("demo", "h2", true, "holdout", true, null, due);
        reminder("demo", "h3", true, "holdout", true, null, due);
        reminder("demo", "h4", true, "cancelled", false, due.minusMinutes(1), due);
        reminder("other", "r1", false, "sent", true, due.plusHours(1), due);
        // offers: three shown, one of them clicked and bought
        offer("demo", "c1", "o-a", "shown", t(Duration.ofMinutes(1)));
        offer("demo", "c2", "o-a", "shown", t(Duration.ofHours(2)));
        offer("demo", "c6", "o-b", "shown", t(Duration.ofDays(4)));
        offer("demo", "c1", "o-a", "clicked", t(Duration.ofMinutes(2)));
        offer("demo", "c1", "o-a", "bought", t(Duration.ofDays(1)));
        offer("other", "o1", "o-a", "shown", t(Duration.ZERO));
        // assist panes: c3 one sent as is and one edited; c6 one ignored and one sent as is; none of other merchants or months
        pane("demo", "c3", "p1", "faq:returns", 1, "sent", t(Duration.ofDays(1).plusMinutes(3)));
        pane("demo", "c3", "p2", "faq:returns", 2, "edited", t(Duration.ofDays(1).plusMinutes(4)));
        pane("demo", "c6", "p3", "flow:exchange", 0, "ignored", t(Duration.ofDays(4).plusMinutes(2)));
        pane("demo", "c6", "p4", "faq:sizes", 1, "sent", t(Duration.ofDays(4).plusMinutes(3)));
        pane("other", "o1", "p5", "faq:shipping", 1, "sent", t(Duration.ofMinutes(1)));
        pane("demo", "c-oct", "p6", "faq:shipping", 0, "ignored", OffsetDateTime.parse("2026-10-31T23:01:00Z"));
    }

    static void pane(String merchant, String conversation, String pane, String intent, int rank, String outcome, OffsetDateTime shown)
            throws Exception {
        sql("INSERT INTO assist_suggestions (merchant_id, conversation_id, assist_id, suggestion_id, rank, kind, ref, intent, shown_at, "
                        + "outcome, outcome_at, agent) VALUES ($1, $2, $3, $4, $5, 'faq', NULL, $6, $7, $8, $7, 'ann')",
                merchant, conversation, pane, rank == 0 ? "-" : "s" + rank, (short) rank, intent, shown, outcome);
    }

    @Test
    void aScriptedMonthGivesTheNumbersWorkedOutByHand() throws Exception {
        Http.Response r = http.get(node.port(), "/api/merchant/metrics?from=2026-11-01&to=2026-11-30", KEY);
        assertEquals(200, r.status(), r.toString());
        JsonObject n = r.json();
        assertEquals("demo", n.getString("merchant"));
        assertEquals(6, n.getLong("conversations"), "c1..c6; not October's, not another merchant's");
        assertEquals(4 + 2 + 8 + 2 + 1 + 6, n.getLong("messages"));
        assertEquals(5, n.getLong("bot_touched_conversations"), "all but c5");
        assertEquals(3, n.getLong("handed_off_conversations"), "c3, c4, c6");
        assertEquals(0.6, n.getDouble("handoff_rate"), "3 handed off / 5 bot-touched");
        assertEquals(0.5, n.getDouble("automation_rate"), "c1, c2, c5 (its agent came after 72 h) / 6");
        assertEquals(0.3333, n.getDouble("resolution_rate"), "c2, c5 / 6 (c1 repeated by c2; c3, c4, c6 handed off)");
        assertEquals(4, n.getLong("identified_conversations"));
        assertEquals(2, n.getLong("converted_conversations"), "c2 (the latest before A's order), c6");
        assertEquals(0.5, n.getDouble("conversion_rate"), "2 / 4 identified");
        assertEquals(1, n.getLong("ratings_good"));
        assertEquals(1, n.getLong("ratings_bad"));
        assertEquals(0.5, n.getDouble("csat"));
        assertEquals(2, n.getLong("complaints"), "c3 (bad rating), c4 (anger words)");
        // bot: 400, 600, 800, 1200, 2000 ms; linear interpolation between ranks (percentile_cont)
        JsonObject bot = n.getJsonObject("bot_first_reply_ms");
        assertEquals(800, bot.getLong("p50"));
        assertEquals(1680, bot.getLong("p90"), "1200 + 0.6 * 800");
        assertEquals(1968, bot.getLong("p99"), "1200 + 0.96 * 800");
        // agent, from the handoff: c3 30 000 ms, c6 90 000 ms (c5 had no handoff)
        JsonObject agent = n.getJsonObject("agent_first_reply_ms");
        assertEquals(60_000, agent.getLong("p50"));
        assertEquals(84_000, agent.getLong("p90"));
        assertEquals(89_400, agent.getLong("p99"));
        // reminders: treated 2 due unpaid, 1 paid; holdout 3 due unpaid, 1 paid
        assertEquals(2, n.getLong("reminders_sent"));
        assertEquals(2, n.getLong("reminder_orders"));
        assertEquals(0.5, n.getDouble("reminder_recovery_rate"));
        assertEquals(3, n.getLong("holdout_orders"));
        assertEquals(0.3333, n.getDouble("holdout_recovery_rate"));
        assertEquals(0.1667, n.getDouble("reminder_uplift"));
        // offers: 3 shown, 1 clicked, 1 bought
        assertEquals(3, n.getLong("offers_shown"));
        assertEquals(1, n.getLong("offers_clicked"));
        assertEquals(1, n.getLong("offers_bought"));
        assertEquals(0.3333, n.getDouble("offer_take_up"));
        // assist: 4 panes decided (p1..p4), 3 used (sent, edited, sent), 2 of them as is
        assertEquals(4, n.getLong("assist_panes"));
        assertEquals(0.75, n.getDouble("assist_adoption"));
        assertEquals(0.6667, n.getDouble("assist_acceptance"));

        JsonArray complaints = http.get(node.port(), "/api/merchant/complaints?from=2026-11-01&to=2026-11-30", KEY).json()
                .getJsonArray("complaints");
        assertEquals(2, complaints.size(), complaints.encode());
        assertEquals("c4", complaints.getJsonObject(0).getString("conversationId"), "newest first");
        assertEquals("slow", complaints.getJsonObject(1).getString("comment"));

        JsonArray days = http.get(node.port(), "/api/merchant/metrics/daily?from=2026-11-01&to=2026-11-30", KEY).json().getJsonArray("days");
        assertEquals(5, days.size(), "c1 and c2 share a day: " + days.encode());
        assertEquals("2026-11-10", days.getJsonObject(0).getString("day"));
        assertEquals(2, days.getJsonObject(0).getLong("conversations"));

        // the same numbers for a Prometheus scrape of the last 30 days (to 30 November)
        clock.set(Instant.parse("2026-11-30T12:00:00Z"));
        Http.Response prom = http.get(node.port(), "/api/merchant/metrics/prometheus", KEY);
        assertEquals(200, prom.status(), prom.toString());
        assertTrue(prom.text().contains("nectar_merchant_conversations{merchant=\"demo\",window=\"30d\"} 6.0"), prom.text());
        assertTrue(prom.text().contains("nectar_merchant_automation_rate{merchant=\"demo\",window=\"30d\"} 0.5"), prom.text());
        assertTrue(prom.text().contains("nectar_merchant_bot_first_reply_ms{merchant=\"demo\",window=\"30d\",quantile=\"0.9\"} 1680.0"),
                prom.text());
        assertTrue(!prom.text().contains("other"), "only this merchant");
        // the node-wide /metrics names no merchant's numbers
        assertTrue(!http.get(node.port(), "/metrics", null).text().contains("nectar_merchant_"));
    }

    @Test
    void badPeriodsAndMissingKeysAreRefused() throws Exception {
        assertEquals(401, http.get(node.port(), "/api/merchant/metrics", null).status());
        assertEquals(403, http.get(node.port(), "/api/merchant/metrics", "not-a-key").status());
        assertEquals(400, http.get(node.port(), "/api/merchant/metrics?from=2026-11-30&to=2026-11-01", KEY).status());
        assertEquals(400, http.get(node.port(), "/api/merchant/metrics?from=yesterday", KEY).status());
        assertEquals(400, http.get(node.port(), "/api/merchant/metrics?from=2024-01-01&to=2026-01-01", KEY).status());
        assertEquals(400, http.get(node.port(), "/api/merchant/metrics/prometheus?days=0", KEY).status());
        JsonObject empty = http.get(node.port(), "/api/merchant/metrics?from=2025-01-01&to=2025-01-31", KEY).json();
        assertEquals(0, empty.getLong("conversations"));
        assertNull(empty.getValue("automation_rate"), "a rate over nothing has no value");
    }

    /** Waits until the conversation's row satisfies {@code ready} (the durable log drains in the background). */
    static Row until(String conversation, java.util.function.Predicate<Row> ready) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            var rows = Await.result(db.pool().preparedQuery("SELECT * FROM conversations WHERE id = $1").execute(Tuple.of(conversation)));
            if (rows.size() > 0 && ready.test(rows.iterator().next())) {
                return rows.iterator().next();
            }
            assertTrue(System.currentTimeMillis() < deadline, "conversation " + conversation + " not drained as expected");
            Thread.sleep(50);
        }
    }

    @Test
    void aRealConversationRatingAndOrderAreCounted() throws Exception {
        clock.set(Instant.parse("2026-12-02T03:00:00Z"));
        String token = ShopperTokens.sign("demo-shopper-secret-change-me", "demo", "real-shopper", 4_102_444_800L);
        String conversation;
        try (ChatTestClient c = ChatTestClient.open(client, node.port(), "merchant=demo&shopper=" + token)) {
            conversation = c.welcome.getString("conversationId");
            assertEquals("reply", c.ask("q1", "how long does shipping take?").getString("type"));
            clock.advance(Duration.ofMinutes(1));
            JsonObject angry = c.ask("q2", "this is terrible, I want to complain");
            assertEquals("reply", angry.getString("type"), angry.encode());
            c.sendText(new JsonObject().put("type", "rate").put("id", "r1").put("rating", "meh").encode());
            JsonObject refused = c.await(f -> "error".equals(f.getString("type")));
            assertEquals("bad_event", refused.getString("code"), refused.encode());
            c.sendText(new JsonObject().put("type", "rate").put("id", "r2").put("rating", "bad")
                    .put("comment", "<script>alert(1)</script> too slow").encode());
            JsonObject rated = c.await(f -> "rated".equals(f.getString("type")));
            assertEquals("bad", rated.getString("rating"));
        }
        Row row = until(conversation, r -> r.getOffsetDateTime("handoff_at") != null);
        assertEquals("real-shopper", row.getString("shopper_id"));
        assertNotNull(row.getOffsetDateTime("first_bot_at"));
        assertTrue(row.getBoolean("complaint"), "anger words");
        assertNotNull(row.getString("topic"));
        Http.Response order = http.call(HttpMethod.POST, node.port(), "/api/merchant/order-events", KEY, new JsonObject()
                .put("eventId", "real-paid").put("orderId", "real-1").put("shopperId", "real-shopper").put("type", "paid")
                .put("amount", 59).put("at", "2026-12-03T01:00:00Z").encode());
        assertEquals(201, order.status(), order.toString());

        JsonObject n = http.get(node.port(), "/api/merchant/metrics?from=2026-12-02&to=2026-12-02", KEY).json();
        assertEquals(1, n.getLong("conversations"));
        assertEquals(1, n.getLong("bot_touched_conversations"));
        assertEquals(1.0, n.getDouble("handoff_rate"));
        assertEquals(0.0, n.getDouble("automation_rate"));
        assertEquals(1.0, n.getDouble("conversion_rate"), "paid within 3 days");
        assertEquals(0.0, n.getDouble("csat"));
        assertEquals(1, n.getLong("complaints"));
        assertTrue(n.getJsonObject("bot_first_reply_ms").getLong("p50") >= 0);
        JsonObject complaint = http.get(node.port(), "/api/merchant/complaints?from=2026-12-02&to=2026-12-02", KEY).json()
                .getJsonArray("complaints").getJsonObject(0);
        assertEquals("<script>alert(1)</script> too slow", complaint.getString("comment"), "kept as text, shown as text");
    }
}
