package io.nectar.gateway.offers;

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
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offers on a real node (Redis, PostgreSQL) with the demo store's rules (offers.yaml) and caps (2 per
 * conversation, 3 per shopper a day): made after an answered question, never while a task is under way,
 * once per rule per conversation, within both caps; clicks and purchases recorded.
 */
class OffersTest {

    static final String KEY = "demo-merchant-key-change-me";
    static final String CARE = "How do I care for leather shoes?";
    static final String OXFORDS = "Tell me about the Classic Lace-up Leather Shoes";
    static final String LOAFERS = "Tell me about the Leather Penny Loafers";
    static final TestClock clock = new TestClock(Instant.parse("2026-11-12T02:00:00Z"));
    static Gateway node;
    static Vertx client;
    static Http http;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        String url = TestDatabases.fresh("offers");
        Path data = Files.createTempDirectory("offers").resolve("node");
        PgClusterTest.seed(data);
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId("offers").withKeyPrefix("off" + System.nanoTime() + ":")
                .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), url);
        node = Await.result(Gateway.start(GatewayConfig.defaults().withPort(0).withDataDir(data).withCluster(cluster).withRate(1000, 1000),
                Gateway.Overrides.clock(clock, 0)));
        Await.result(node.ready(), 300);
        client = Vertx.vertx();
        http = new Http(client);
        db = Database.create(client, url);
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

    static ChatTestClient chat(String shopper) throws Exception {
        String q = "merchant=demo&lang=en";
        if (shopper != null) {
            q += "&shopper=" + ShopperTokens.sign("demo-shopper-secret-change-me", "demo", shopper, 4_102_444_800L);
        }
        return ChatTestClient.open(client, node.port(), q);
    }

    static String offerOf(JsonObject reply) {
        JsonObject o = reply.getJsonObject("offer");
        return o == null ? null : o.getString("id");
    }

    static long events(String conversation, String kind) throws Exception {
        long deadline = System.currentTimeMillis() + 5_000;
        long n;
        do {
            n = Await.result(db.pool().preparedQuery("SELECT count(*) FROM offer_events WHERE conversation_id = $1 AND kind = $2")
                    .execute(Tuple.of(conversation, kind))).iterator().next().getLong(0);
            if (n > 0) {
                return n;
            }
            Thread.sleep(20);
        } while (System.currentTimeMillis() < deadline);
        return n;
    }

    @Test
    void anAnsweredQuestionGetsItsOfferOnceAndAClickAndAPurchaseAreRecorded() throws Exception {
        try (ChatTestClient c = chat("s-once")) {
            String conversation = c.welcome.getString("conversationId");
            JsonObject r = c.ask("q1", CARE);
            assertEquals("leather-care", r.getString("ref"), r.encode());
            assertEquals("care-kit-for-leather-care", offerOf(r), r.encode());
            JsonObject card = r.getJsonObject("offer").getJsonObject("card");
            assertNotNull(card, r.encode());
            assertTrue(r.getJsonObject("offer").getString("text").contains("leather care kit"), r.encode());
            assertEquals(1, events(conversation, "shown"));

            JsonObject again = c.ask("q2", "how should I clean leather shoes?");
            assertEquals("leather-care", again.getString("ref"), again.encode());
            assertNull(offerOf(again), "once per offer per conversation: " + again.encode());

            c.sendText(new JsonObject().put("type", "offer").put("id", "x1").put("offer", "polish-for-leather-shoes").encode());
            JsonObject refused = c.await(f -> "error".equals(f.getString("type")));
            assertEquals("bad_event", refused.getString("code"), "an offer not shown here: " + refused.encode());
            c.sendText(new JsonObject().put("type", "offer").put("id", "x2").put("offer", "care-kit-for-leather-care").encode());
            JsonObject clicked = c.await(f -> "offer_recorded".equals(f.getString("type")));
            assertEquals("care-kit-for-leather-care", clicked.getString("offer"));
            assertEquals(1, events(conversation, "clicked"));
        }
        // a paid order with another product buys nothing; one with the kit buys the offer, once
        clock.advance(Duration.ofHours(5));
        Http.Response other = order("buy-1", "s-once", new JsonArray().add("SH-LS-001-BLK-42"));
        assertEquals(0, other.json().getInteger("offersBought"), other.toString());
        Http.Response kit = order("buy-2", "s-once", new JsonArray().add("CARE-KIT-001"));
        assertEquals(1, kit.json().getInteger("offersBought"), kit.toString());
        assertEquals(0, order("buy-3", "s-once", new JsonArray().add("CARE-KIT-001")).json().getInteger("offersBought"));
    }

    static Http.Response order(String event, String shopper, JsonArray skus) throws Exception {
        Http.Response r = http.call(HttpMethod.POST, node.port(), "/api/merchant/order-events", KEY, new JsonObject().put("eventId", event)
                .put("orderId", event).put("shopperId", shopper).put("type", "paid").put("amount", 99).put("skus", skus)
                .put("at", clock.instant().toString()).encode());
        assertEquals(201, r.status(), r.toString());
        return r;
    }

    @Test
    void noOfferWhileATaskIsUnderWay() throws Exception {
        try (ChatTestClient c = chat(null)) {
            JsonObject started = c.ask("q1", "I need to change my delivery address");
            assertEquals("change-address", started.getJsonObject("flow") == null ? null : started.getJsonObject("flow").getString("id"), started.encode());
            JsonObject midTask = c.ask("q2", CARE);
            assertEquals("leather-care", midTask.getString("ref"), midTask.encode());
            assertNull(offerOf(midTask), "never in the middle of a task: " + midTask.encode());
        }
        try (ChatTestClient c = chat(null)) {
            JsonObject r = c.ask("q1", CARE);
            assertEquals("care-kit-for-leather-care", offerOf(r), "the same question outside a task: " + r.encode());
        }
    }

    @Test
    void theConversationAndDailyCapsHold() throws Exception {
        clock.set(Instant.parse("2026-11-20T02:00:00Z"));
        try (ChatTestClient c = chat("s-cap")) {
            assertEquals("polish-for-leather-shoes", offerOf(c.ask("q1", OXFORDS)));
            assertEquals("care-kit-for-leather-care", offerOf(c.ask("q2", CARE)));
            JsonObject third = c.ask("q3", LOAFERS);
            assertNull(offerOf(third), "two per conversation: " + third.encode());
        }
        try (ChatTestClient c = chat("s-cap")) {
            assertEquals("polish-for-leather-shoes", offerOf(c.ask("q1", OXFORDS)), "the shopper's third today");
            JsonObject fourth = c.ask("q2", CARE);
            assertNull(offerOf(fourth), "three a day per shopper: " + fourth.encode());
        }
        clock.advance(Duration.ofDays(1));
        try (ChatTestClient c = chat("s-cap")) {
            assertEquals("polish-for-leather-shoes", offerOf(c.ask("q1", OXFORDS)), "a new day");
        }
    }
}
