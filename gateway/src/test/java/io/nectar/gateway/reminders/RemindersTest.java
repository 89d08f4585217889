package io.nectar.gateway.reminders;

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
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unpaid-order reminders on two nodes sharing a real Redis and PostgreSQL, time driven by a test clock
 * (the nodes never tick on their own: the test ticks them). The demo store's settings: 30 minutes' delay,
 * quiet hours 22:00-08:00 Asia/Shanghai, one reminder per shopper a day, a holdout of 10%.
 */
class RemindersTest {

    static final String KEY = "demo-merchant-key-change-me";
    static final String SECRET = "demo-shopper-secret-change-me";
    /** 10:00 in Shanghai. */
    static final Instant MORNING = Instant.parse("2026-11-11T02:00:00Z");
    static final TestClock clock = new TestClock(MORNING);
    static final List<Gateway> nodes = new ArrayList<>();
    static Path root;
    static String url;
    static String prefix;
    static Vertx client;
    static Http http;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.fresh("reminders");
        root = Files.createTempDirectory("reminders");
        prefix = "rem" + System.nanoTime() + ":";
        nodes.add(Await.result(node(0)));
        nodes.add(Await.result(node(1)));
        for (Gateway g : nodes) {
            Await.result(g.ready(), 300);
        }
        client = Vertx.vertx();
        http = new Http(client);
        db = Database.create(client, url);
    }

    static io.vertx.core.Future<Gateway> node(int i) throws Exception {
        Path data = root.resolve("node-" + i);
        PgClusterTest.seed(data);
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId("node-" + i).withKeyPrefix(prefix)
                .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), url);
        return Gateway.start(GatewayConfig.defaults().withPort(0).withDataDir(data).withCluster(cluster).withRate(1000, 1000),
                Gateway.Overrides.clock(clock, 0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        for (Gateway g : nodes) {
            Await.result(g.stop());
        }
        if (client != null) {
            Await.result(client.close());
        }
    }

    static String token(String shopper) {
        return ShopperTokens.sign(SECRET, "demo", shopper, 4_102_444_800L);
    }

    static ChatTestClient chat(Gateway node, String shopper, String resume) throws Exception {
        return ChatTestClient.open(client, node.port(), "merchant=demo&shopper=" + token(shopper) + (resume == null ? "" : "&" + resume));
    }

    static Http.Response event(String eventId, String order, String shopper, String type, Instant at) throws Exception {
        JsonObject body = new JsonObject().put("eventId", eventId).put("orderId", order).put("shopperId", shopper).put("type", type)
                .put("amount", 199.0).put("at", at.toString());
        return http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/order-events", KEY, body.encode());
    }

    static Row reminder(String order) throws Exception {
        var rows = Await.result(db.pool().preparedQuery("SELECT * FROM reminders WHERE merchant_id = 'demo' AND order_id = $1")
                .execute(Tuple.of(order)));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    static void tickAll() throws Exception {
        for (Gateway g : nodes) {
            Await.result(g.services().reminders().tick());
        }
    }

    /** An order id of the given group (holdout or not), found by the same hash the gateway uses. */
    static String order(String base, boolean holdout) {
        for (int i = 0; ; i++) {
            String id = base + "-" + i;
            if (Reminders.holdout("demo", id, 0.1) == holdout) {
                return id;
            }
        }
    }

    /** The seq the next frame of {@code c} gets: asking a question shows whether anything was appended meanwhile. */
    static long askSeq(ChatTestClient c, String id) throws Exception {
        return c.ask(id, "how long does shipping take?").getLong("seq");
    }

    @Test
    void orderEventsAreIdempotentAndChecked() throws Exception {
        clock.set(MORNING);
        String order = order("idem", false);
        Http.Response first = event("idem-e1", order, "s-idem", "created", MORNING);
        assertEquals(201, first.status(), first.toString());
        assertEquals(false, first.json().getBoolean("duplicate"));
        assertEquals("scheduled", first.json().getJsonObject("reminder").getString("status"));
        Http.Response again = event("idem-e1", order, "s-idem", "created", MORNING);
        assertEquals(200, again.status(), again.toString());
        assertEquals(true, again.json().getBoolean("duplicate"));
        assertEquals(1L, Await.result(db.pool().preparedQuery("SELECT count(*) FROM order_events WHERE order_id = $1")
                .execute(Tuple.of(order))).iterator().next().getLong(0));

        Http.Response noKey = http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/order-events", null, "{}");
        assertEquals(401, noKey.status());
        Http.Response badType = http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/order-events", KEY,
                new JsonObject().put("eventId", "x").put("orderId", "o").put("type", "shipped").put("at", MORNING.toString()).encode());
        assertEquals(400, badType.status());
        assertTrue(badType.json().getString("error").contains("'type'"), badType.toString());
        Http.Response notJson = http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/order-events", KEY, "{nope");
        assertEquals(400, notJson.status());
        // the node goes on serving
        assertEquals(200, http.get(nodes.get(0).port(), "/health/ready", null).status());
    }

    @Test
    void anOrderPaidWithinTheDelayGetsNoReminderAndOneCancelledDuringTheDelayNeither() throws Exception {
        clock.set(MORNING.plus(Duration.ofDays(1)));
        Instant t = clock.instant();
        try (ChatTestClient c = chat(nodes.get(1), "s-paid", null)) {
            long before = askSeq(c, "q1");
            String paid = order("paid", false);
            String cancelled = order("cancelled", false);
            assertEquals(201, event("paid-c", paid, "s-paid", "created", t).status());
            assertEquals(201, event("cancel-c", cancelled, "s-paid", "created", t).status());
            clock.advance(Duration.ofMinutes(10));
            Http.Response p = event("paid-p", paid, "s-paid", "paid", clock.instant());
            assertEquals(201, p.status(), p.toString());
            assertEquals("cancelled", p.json().getJsonObject("reminder").getString("status"));
            assertEquals(201, event("cancel-x", cancelled, "s-paid", "cancelled", clock.instant()).status());
            clock.advance(Duration.ofMinutes(25));
            tickAll();
            assertEquals("cancelled", reminder(paid).getString("status"));
            assertEquals("cancelled", reminder(cancelled).getString("status"));
            assertNull(reminder(paid).getOffsetDateTime("sent_at"));
            // nothing was appended: the next answer follows the last one directly
            assertEquals(before + 2, askSeq(c, "q2"));
            // a paid event arriving before its created event: no reminder is scheduled at all
            String late = order("late", false);
            assertEquals(201, event("late-p", late, "s-paid", "paid", clock.instant()).status());
            Http.Response created = event("late-c", late, "s-paid", "created", clock.instant());
            assertEquals(201, created.status());
            assertNull(reminder(late));
        }
    }

    @Test
    void anUnpaidOrderGetsExactlyOneReminderAcrossANodeRestartAndAReconnect() throws Exception {
        clock.set(MORNING.plus(Duration.ofDays(2)));
        String order = order("restart", false);
        String conversation;
        long lastSeq;
        try (ChatTestClient c = chat(nodes.get(1), "s-restart", null)) {
            conversation = c.welcome.getString("conversationId");
            lastSeq = askSeq(c, "q1");
        }
        assertEquals(201, event("restart-c", order, "s-restart", "created", clock.instant()).status());
        // the node the shopper talked to restarts before the reminder is due
        Await.result(nodes.get(1).stop());
        nodes.set(1, Await.result(node(1)));
        Await.result(nodes.get(1).ready(), 300);

        clock.advance(Duration.ofMinutes(29));
        tickAll();
        assertEquals("scheduled", reminder(order).getString("status"), "not due yet");
        clock.advance(Duration.ofMinutes(2));
        Await.result(nodes.get(1).services().reminders().tick());
        Row sent = reminder(order);
        assertEquals("sent", sent.getString("status"));
        assertEquals(conversation, sent.getString("conversation_id"));
        tickAll();
        // a node that appended the reminder but died before recording it: the next tick finds it scheduled again
        Await.result(db.pool().query("UPDATE reminders SET status = 'scheduled', sent_at = NULL WHERE order_id = '" + order + "'").execute());
        tickAll();
        assertEquals("sent", reminder(order).getString("status"));

        // the shopper comes back (to the other node) and finds exactly one reminder waiting
        try (ChatTestClient c = chat(nodes.get(0), "s-restart", "conversation=" + conversation + "&lastSeq=" + lastSeq)) {
            assertEquals(conversation, c.welcome.getString("conversationId"));
            JsonArray missed = c.welcome.getJsonArray("missed");
            assertNotNull(missed, c.welcome.encode());
            long reminders = missed.stream().map(o -> (JsonObject) o).filter(f -> "reminder".equals(f.getString("type"))).count();
            assertEquals(1, reminders, missed.encode());
            JsonObject r = missed.stream().map(o -> (JsonObject) o).filter(f -> "reminder".equals(f.getString("type"))).findFirst().get();
            assertEquals(order, r.getString("order"));
            assertTrue(r.getString("text").contains(order), r.encode());
            assertEquals(lastSeq + 1, r.getLong("seq"));
            assertEquals(lastSeq + 3, askSeq(c, "q2"), "nothing else was appended");
        }
    }

    @Test
    void aConnectedShopperGetsTheReminderAtOnceOnAnotherNode() throws Exception {
        clock.set(MORNING.plus(Duration.ofDays(3)));
        String order = order("live", false);
        try (ChatTestClient c = chat(nodes.get(1), "s-live", null)) {
            long seq = askSeq(c, "q1");
            assertEquals(201, event("live-c", order, "s-live", "created", clock.instant()).status());
            clock.advance(Duration.ofMinutes(31));
            Await.result(nodes.get(0).services().reminders().tick());
            JsonObject f = c.await(x -> "reminder".equals(x.getString("type")));
            assertEquals(order, f.getString("order"));
            assertEquals(seq + 1, f.getLong("seq"));
            tickAll();
            assertEquals(seq + 3, askSeq(c, "q2"), "one reminder only");
        }
    }

    @Test
    void quietHoursHoldAReminderUntilMorning() throws Exception {
        // 21:50 in Shanghai: due at 22:20, inside quiet hours (22:00-08:00)
        Instant evening = Instant.parse("2026-11-15T13:50:00Z");
        clock.set(evening);
        String order = order("quiet", false);
        try (ChatTestClient c = chat(nodes.get(0), "s-quiet", null)) {
            long seq = askSeq(c, "q1");
            assertEquals(201, event("quiet-c", order, "s-quiet", "created", evening).status());
            clock.advance(Duration.ofMinutes(31));
            tickAll();
            Row held = reminder(order);
            assertEquals("scheduled", held.getString("status"));
            assertEquals(Instant.parse("2026-11-16T00:00:00Z"), held.getOffsetDateTime("due_at").toInstant(), "08:00 in Shanghai");
            clock.set(Instant.parse("2026-11-15T23:59:00Z")); // 07:59
            tickAll();
            assertEquals("scheduled", reminder(order).getString("status"));
            assertEquals(seq + 2, askSeq(c, "q2"));
            clock.set(Instant.parse("2026-11-16T00:00:30Z")); // 08:00:30
            tickAll();
            assertEquals("sent", reminder(order).getString("status"));
            JsonObject f = c.await(x -> "reminder".equals(x.getString("type")));
            assertEquals(order, f.getString("order"));
        }
    }

    @Test
    void theDailyCapHoldsAndTheNextReminderWaitsForTomorrow() throws Exception {
        Instant t = Instant.parse("2026-11-20T02:00:00Z"); // 10:00 in Shanghai
        clock.set(t);
        String first = order("cap-a", false);
        String second = order("cap-b", false);
        try (ChatTestClient c = chat(nodes.get(0), "s-cap", null)) {
            long seq = askSeq(c, "q1");
            assertEquals(201, event("cap-a-c", first, "s-cap", "created", t).status());
            assertEquals(201, event("cap-b-c", second, "s-cap", "created", t.plusSeconds(60)).status());
            clock.advance(Duration.ofMinutes(40));
            tickAll();
            assertEquals("sent", reminder(first).getString("status"));
            Row capped = reminder(second);
            assertEquals("scheduled", capped.getString("status"));
            assertEquals(Instant.parse("2026-11-20T16:00:00Z"), capped.getOffsetDateTime("due_at").toInstant(), "midnight in Shanghai");
            assertEquals(seq + 3, askSeq(c, "q2"), "one reminder today");
            clock.set(Instant.parse("2026-11-21T00:00:10Z")); // 08:00:10 the next day (midnight is quiet)
            tickAll();
            assertEquals("sent", reminder(second).getString("status"));
        }
    }

    @Test
    void theHoldoutGetsNoneExpiredOrdersNeitherAndTheMerchantCanStopOne() throws Exception {
        Instant t = Instant.parse("2026-11-25T02:00:00Z");
        clock.set(t);
        String held = order("hold", true);
        String expiring = order("expire", false);
        String stopped = order("stop", false);
        try (ChatTestClient c = chat(nodes.get(0), "s-hold", null)) {
            long seq = askSeq(c, "q1");
            Http.Response h = event("hold-c", held, "s-hold", "created", t);
            assertEquals(true, h.json().getJsonObject("reminder").getBoolean("holdout"), h.toString());
            JsonObject exp = new JsonObject().put("eventId", "expire-c").put("orderId", expiring).put("shopperId", "s-hold")
                    .put("type", "created").put("at", t.toString()).put("expiresAt", t.plus(Duration.ofMinutes(20)).toString());
            assertEquals(201, http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/order-events", KEY, exp.encode()).status());
            assertEquals(201, event("stop-c", stopped, "s-hold", "created", t).status());

            Http.Response queued = http.get(nodes.get(0).port(), "/api/merchant/reminders", KEY);
            assertEquals(200, queued.status());
            List<String> ids = queued.json().getJsonArray("reminders").stream().map(o -> ((JsonObject) o).getString("orderId")).toList();
            assertTrue(ids.containsAll(List.of(held, expiring, stopped)), ids.toString());
            Http.Response stop = http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/reminders/" + stopped + "/stop", KEY, null);
            assertEquals(200, stop.status(), stop.toString());
            assertEquals(404, http.call(HttpMethod.POST, nodes.get(0).port(), "/api/merchant/reminders/" + stopped + "/stop", KEY, null)
                    .status(), "stopped once");

            clock.advance(Duration.ofMinutes(31));
            tickAll();
            assertEquals("holdout", reminder(held).getString("status"));
            assertTrue(reminder(held).getBoolean("due_unpaid"), "counted for the recovery numbers");
            assertEquals("expired", reminder(expiring).getString("status"));
            assertEquals("stopped", reminder(stopped).getString("status"));
            assertEquals(seq + 2, askSeq(c, "q2"), "no reminder at all");
            assertFalse(Await.result(db.pool().query("SELECT sent_at IS NOT NULL AS s FROM reminders WHERE order_id IN ('"
                    + held + "','" + expiring + "','" + stopped + "')").execute()).iterator().next().getBoolean("s"));
        }
    }

    @Test
    void aShopperWithoutALiveConversationGetsTheReminderAtTheNextVisit() throws Exception {
        Instant t = Instant.parse("2026-11-28T02:00:00Z");
        clock.set(t);
        String order = order("visit", false);
        assertEquals(201, event("visit-c", order, "s-visit", "created", t).status());
        clock.advance(Duration.ofMinutes(31));
        tickAll();
        assertEquals("waiting", reminder(order).getString("status"));
        try (ChatTestClient c = chat(nodes.get(1), "s-visit", null)) {
            JsonObject f = c.await(x -> "reminder".equals(x.getString("type")));
            assertEquals(order, f.getString("order"));
            // the frame goes out during the visit's transaction; its status commits right after
            assertEquals("sent", statusWithin(order, "sent", Duration.ofSeconds(5)));
        }
    }

    private String statusWithin(String order, String expected, Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        String status = reminder(order).getString("status");
        while (!expected.equals(status) && System.nanoTime() < end) {
            Thread.sleep(20);
            status = reminder(order).getString("status");
        }
        return status;
    }
}
