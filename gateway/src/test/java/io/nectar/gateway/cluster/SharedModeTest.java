package io.nectar.gateway.cluster;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.support.TestServers;
import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateway nodes on one real Redis: a shopper moves between them mid-flow and goes on with the same
 * conversation (flow and slots intact, missed replies in the welcome, repeated ids answered once), an
 * agent's message appended on one node reaches the shopper on the other, and a draining node moves its
 * shoppers away. The durable log is drained into a list here (PostgreSQL has tests of its own).
 */
class SharedModeTest {

    static Vertx vertx;
    static ClusterConfig.RedisEndpoints redis;
    static Gateway a;
    static Gateway b;
    static final List<LoggedMessage> drained = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() throws Exception {
        restart(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()));
    }

    static void restart(ClusterConfig.RedisEndpoints endpoints) throws Exception {
        stop();
        redis = endpoints;
        drained.clear();
        vertx = Vertx.vertx();
        String prefix = "sm" + UUID.randomUUID().toString().substring(0, 6) + ":";
        TranscriptSink sink = batch -> {
            drained.addAll(batch);
            return Future.succeededFuture();
        };
        a = node("node-a", prefix, sink);
        b = node("node-b", prefix, sink);
    }

    static Gateway node(String id, String prefix, TranscriptSink sink) throws Exception {
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId(id)
                .withShared(redis, TestServers.pgUrl())
                .withKeyPrefix(prefix).withDrainGrace(Duration.ofSeconds(10));
        Gateway g = Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withCluster(cluster),
                new Gateway.Overrides(sink, null)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return g;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Gateway g : new Gateway[]{a, b}) {
            if (g != null) {
                g.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        }
        a = b = null;
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx = null;
        }
    }

    @Test
    void aShopperMovesBetweenNodesMidFlowAndLosesNothing() throws Exception {
        String conversation;
        try (ChatTestClient c = ChatTestClient.open(vertx, a.port(), "merchant=demo")) {
            conversation = c.welcome.getString("conversationId");
            assertEquals(0L, c.welcome.getLong("seq"));
            JsonObject r = c.ask("m1", "我的订单DX1001到哪了");
            assertEquals("exchange-out-of-stock", r.getJsonObject("flow").getString("id"));
            assertEquals(2L, r.getLong("seq"));
        }

        // the shopper's connection now lands on the other node: same conversation, flow and slots intact
        try (ChatTestClient c = ChatTestClient.open(vertx, b.port(), "merchant=demo&conversation=" + conversation + "&lastSeq=2")) {
            assertEquals(conversation, c.welcome.getString("conversationId"));
            assertTrue(c.welcome.getBoolean("resumed"));
            assertEquals(2L, c.welcome.getLong("seq"));
            assertEquals(0, c.welcome.getJsonArray("missed").size());
            JsonObject flow = c.welcome.getJsonObject("flow");
            assertEquals("exchange-out-of-stock", flow.getString("id"));
            assertEquals("DX1001", flow.getJsonObject("slots").getString("order"));

            JsonObject r = c.ask("m2", "给我换个棕色的……不，黑色的吧");
            assertEquals("confirm", r.getJsonObject("flow").getString("step"));
            assertEquals("black", r.getJsonObject("flow").getJsonObject("slots").getString("color"));
            assertEquals(4L, r.getLong("seq"));

            // a message sent again after a reconnect is answered once: the same reply, marked as a duplicate
            JsonObject again = c.ask("m1", "我的订单DX1001到哪了");
            assertTrue(again.getBoolean("duplicate", false));
            assertEquals(2L, again.getLong("seq"));
        }

        // back on the first node, having seen nothing since seq 2: the welcome carries what was missed
        try (ChatTestClient c = ChatTestClient.open(vertx, a.port(), "merchant=demo&conversation=" + conversation + "&lastSeq=2")) {
            JsonArray missed = c.welcome.getJsonArray("missed");
            assertEquals(List.of(3L, 4L), missed.stream().map(f -> ((JsonObject) f).getLong("seq")).toList());
            assertEquals("message", missed.getJsonObject(0).getString("type"));
            assertEquals("reply", missed.getJsonObject(1).getString("type"));
            JsonObject r = c.ask("m3", "好的");
            assertEquals("completed", r.getJsonObject("flow").getString("status"));
            assertTrue(r.getString("text").contains("EX-"), r.getString("text"));
        }

        waitUntil(() -> seqs(conversation).size() == 6, 10_000);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(conversation), "every message once, in order, in the durable log");
    }

    @Test
    void anAgentMessageAppendedOnOneNodeReachesTheShopperOnTheOther() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(vertx, b.port(), "merchant=demo")) {
            String conversation = c.welcome.getString("conversationId");
            c.ask("h1", "转人工");
            JsonObject agentFrame = new JsonObject().put("type", "agent").put("text", "您好，我是客服小李").put("at", System.currentTimeMillis());
            JsonObject stored = a.services().conversations().append("demo", conversation, new LoggedMessage(conversation, "demo", 0,
                    "agent", null, "您好，我是客服小李", null, null, "zh", System.currentTimeMillis(), null, null, agentFrame))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertNotNull(stored);
            JsonObject got = c.await(f -> "agent".equals(f.getString("type")));
            assertEquals("您好，我是客服小李", got.getString("text"));
            assertEquals(stored.getLong("seq"), got.getLong("seq"));
            // another merchant's id reaches nobody
            assertEquals(null, a.services().conversations().append("other", conversation, new LoggedMessage(conversation, "other", 0,
                    "agent", null, "x", null, null, "zh", 0L, null, null, agentFrame)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theSameConversationOpenedTwiceLeavesTheOlderConnectionAside() throws Exception {
        try (ChatTestClient first = ChatTestClient.open(vertx, a.port(), "merchant=demo")) {
            String conversation = first.welcome.getString("conversationId");
            first.ask("x1", "包邮吗");
            try (ChatTestClient second = ChatTestClient.open(vertx, b.port(), "merchant=demo&conversation=" + conversation + "&lastSeq=0")) {
                assertEquals(2, second.welcome.getJsonArray("missed").size());
                // the first connection's next message cannot be written under its old claim
                first.message("x2", "Do you ship abroad?");
                JsonObject moved = first.await(f -> "moved".equals(f.getString("type")));
                assertEquals("opened_elsewhere", moved.getString("reason"));
                assertEquals(4001, first.awaitClose());
                JsonObject r = second.ask("y1", "Do you ship abroad?");
                assertEquals(4L, r.getLong("seq"), "nothing of the refused message was written");
            }
        }
    }

    @Test
    void aDrainingNodeMovesItsShoppersWhoResumeElsewhere() throws Exception {
        Gateway c = node("node-c", prefixOf(a), batch -> {
            drained.addAll(batch);
            return Future.succeededFuture();
        });
        List<ChatTestClient> shoppers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                ChatTestClient s = ChatTestClient.open(vertx, c.port(), "merchant=demo");
                s.ask("d" + i + "-1", "包邮吗");
                shoppers.add(s);
            }
            shoppers.get(0).message("d0-2", "Do you ship abroad?"); // may be in flight when the drain starts
            var stopped = c.drainAndStop(Duration.ofSeconds(10));
            for (ChatTestClient s : shoppers) {
                JsonObject reconnect = s.await(f -> "reconnect".equals(f.getString("type")));
                assertEquals("draining", reconnect.getString("reason"));
                assertEquals(1012, s.awaitClose());
            }
            stopped.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            // the first shopper resumes on another node and gets its question answered exactly once
            String conversation = shoppers.get(0).welcome.getString("conversationId");
            try (ChatTestClient back = ChatTestClient.open(vertx, a.port(), "merchant=demo&conversation=" + conversation + "&lastSeq=2")) {
                boolean answered = back.welcome.getJsonArray("missed").stream()
                        .anyMatch(f -> "d0-2".equals(((JsonObject) f).getString("replyTo")));
                JsonObject r = back.ask("d0-2", "Do you ship abroad?");
                assertEquals(answered, r.getBoolean("duplicate", false), "answered on the old node iff it says so now");
                assertEquals(4L, r.getLong("seq"));
            }
            waitUntil(() -> seqs(conversation).size() == 4, 10_000);
        } finally {
            shoppers.forEach(ChatTestClient::close);
        }
    }

    private static String prefixOf(Gateway g) {
        return g.services().config().cluster().keyPrefix();
    }

    @Test
    void readinessReportsRedis() throws Exception {
        var client = vertx.createHttpClient();
        String body = client.request(io.vertx.core.http.HttpMethod.GET, a.port(), "127.0.0.1", "/health/ready")
                .compose(r -> r.send().compose(io.vertx.core.http.HttpClientResponse::body))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toString();
        JsonObject j = new JsonObject(body);
        assertEquals("READY", j.getString("status"), body);
        assertEquals("UP", j.getJsonObject("dependencies").getJsonObject("redis").getString("status"), body);
        assertEquals("node-a", j.getString("node"));
    }

    static List<Long> seqs(String conversation) {
        Map<Long, Integer> count = new TreeMap<>();
        synchronized (drained) {
            for (LoggedMessage m : drained) {
                if (m.conversationId().equals(conversation)) {
                    count.merge(m.seq(), 1, Integer::sum);
                }
            }
        }
        assertFalse(count.values().stream().anyMatch(n -> n > 1), "a message drained twice: " + count);
        return new ArrayList<>(count.keySet());
    }

    static void waitUntil(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }
}
