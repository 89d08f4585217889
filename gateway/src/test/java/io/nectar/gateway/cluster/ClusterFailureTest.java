package io.nectar.gateway.cluster;

import io.nectar.gateway.support.AgentClient;
import io.nectar.gateway.support.LoadBalancer;
import io.nectar.gateway.support.NodeProcess;
import io.nectar.gateway.support.ScriptedShopper;
import io.nectar.gateway.support.TestDatabases;
import io.nectar.gateway.support.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures of real processes: three gateway nodes (each a JVM of its own) behind a real HAProxy, on one
 * Redis and one PostgreSQL. Scripted shoppers (the seed's exchange dialogue after an FAQ question, in
 * zh and en) talk through the load balancer while a node is killed with SIGKILL, PostgreSQL is stopped
 * and started again, a node is frozen with SIGSTOP while its lease is taken, and a node is stopped with
 * SIGTERM. Afterwards every message sent and every reply is in PostgreSQL exactly once, in order, every
 * flow finished, and no message was answered twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailureTest {

    static final List<String> ZH = List.of("什么时候发货？", "我的订单DX1001到哪了", "给我换个棕色的……不，黑色的吧", "好的");
    static final List<String> EN = List.of("Do you ship abroad?", "Where is my order DX1001?",
            "Give me a brown one... no, make it black", "yes");

    static Vertx vertx;
    static HttpClient metricsClient;
    static Path dir;
    static String pgUrl;
    static Pool pg;
    static final List<NodeProcess> nodes = new ArrayList<>();
    static LoadBalancer lb;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        metricsClient = vertx.createHttpClient();
        dir = Files.createTempDirectory("cluster-failure");
        pgUrl = TestDatabases.fresh("failures");
        pg = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(pgUrl)).using(vertx).build();
        String prefix = "cf" + UUID.randomUUID().toString().substring(0, 6) + ":";
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            int port = LoadBalancer.freePort();
            ports.add(port);
            NodeProcess n = NodeProcess.start("node-" + i, port, dir, Map.of("NECTAR_LOG_LEVEL", "DEBUG"), "--redis", TestServers.redisUrl(), "--pg", pgUrl,
                    "--redis-prefix", prefix, "--drain-grace", "10");
            nodes.add(n);
            if (i == 1) {
                // the first node imports the demo store and trains its models; the others find them in the data directory
                n.awaitReady(Duration.ofSeconds(180));
            }
        }
        for (NodeProcess n : nodes) {
            n.awaitReady(Duration.ofSeconds(180));
        }
        lb = LoadBalancer.start(dir, ports);
    }

    /** What the nodes logged about a conversation (at most 60 lines), for a failure's message. */
    static String nodeLogsAbout(String conversationId) {
        if (conversationId == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.contains(conversationId) && b.length() < 12_000) {
                        b.append('\n').append(f.getFileName()).append(": ").append(line);
                    }
                }
            }
        } catch (java.io.IOException e) {
            return "\n(node logs unreadable: " + e + ")";
        }
        return b.length() == 0 ? "\n(no node logged anything about " + conversationId + ")" : b.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (lb != null) {
            lb.close();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (pg != null) {
            pg.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Every node up before each test, whatever the one before did to them. */
    @BeforeEach
    void allNodesUp() throws Exception {
        for (NodeProcess n : nodes) {
            if (!n.alive()) {
                n.restart();
            }
        }
        for (NodeProcess n : nodes) {
            n.awaitReady(Duration.ofSeconds(120));
        }
        Thread.sleep(600); // HAProxy's health checks (every 200 ms, rise 1) see them again
    }

    @Test
    @Order(1)
    void aNodeKilledMidConversationCostsItsShoppersNothing() throws Exception {
        int shoppers = 200;
        List<ScriptedShopper> all = new ArrayList<>();
        List<CompletableFuture<ScriptedShopper.Result>> results = new ArrayList<>();
        for (int i = 0; i < shoppers; i++) {
            ScriptedShopper s = new ScriptedShopper(vertx, lb.port(), "demo", "k" + i, i % 2 == 0 ? ZH : EN, 240_000);
            all.add(s);
            results.add(s.run());
            Thread.sleep(10);
        }
        long t0 = System.currentTimeMillis();
        // kill -9 the second node once about a third of all messages are answered
        while (answered(nodes) < shoppers * 4 / 3 && System.currentTimeMillis() - t0 < 120_000) {
            Thread.sleep(50);
        }
        nodes.get(1).kill();
        List<ScriptedShopper.Result> done = new ArrayList<>();
        for (CompletableFuture<ScriptedShopper.Result> f : results) {
            done.add(f.get(240, TimeUnit.SECONDS));
        }
        List<Long> recoveries = new ArrayList<>();
        int moved = 0;
        for (ScriptedShopper.Result r : done) {
            assertTrue(r.problems().isEmpty(), r.name() + ": " + r.problems() + nodeLogsAbout(r.conversationId()));
            assertEquals(0, r.answeredTwice(), r.name());
            assertEquals(4, r.replies().size(), r.name() + " got " + r.replies().keySet());
            JsonObject last = r.replies().get(r.name() + "-3");
            assertEquals("completed", last.getJsonObject("flow").getString("status"), r.name() + ": " + last.encode());
            recoveries.addAll(r.recoveries());
            moved += r.recoveries().isEmpty() ? 0 : 1;
        }
        assertTrue(moved > 0, "the killed node had shoppers");
        recoveries.sort(null);
        System.out.printf("kill -9: %d of %d shoppers moved; time from the drop to the first reply on the new node: "
                        + "p50 %d ms, p99 %d ms, max %d ms%n", moved, shoppers, recoveries.get(recoveries.size() / 2),
                recoveries.get(Math.min(recoveries.size() - 1, (int) Math.ceil(recoveries.size() * 0.99) - 1)),
                recoveries.get(recoveries.size() - 1));
        assertEveryMessageOnceInOrder(done);
    }

    @Test
    @Order(2)
    void postgresGoneForAWhileDelaysTheDrainAndLosesNothing() throws Exception {
        TestServers.pg("stop");
        List<ScriptedShopper.Result> done = new ArrayList<>();
        try {
            // whole conversations while PostgreSQL is away: it is not on the reply path
            List<CompletableFuture<ScriptedShopper.Result>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(new ScriptedShopper(vertx, lb.port(), "demo", "p" + i, i % 2 == 0 ? ZH : EN, 120_000).run());
                Thread.sleep(20);
            }
            for (CompletableFuture<ScriptedShopper.Result> f : results) {
                ScriptedShopper.Result r = f.get(120, TimeUnit.SECONDS);
                assertTrue(r.problems().isEmpty(), r.name() + ": " + r.problems());
                assertEquals(4, r.replies().size(), r.name() + " got " + r.replies().keySet());
                done.add(r);
            }
            // the lag gauge is refreshed every 5 s
            long seen = System.currentTimeMillis() + 12_000;
            while (maxMetric("nectar_drain_lag_entries") == 0 && System.currentTimeMillis() < seen) {
                Thread.sleep(250);
            }
            assertTrue(maxMetric("nectar_drain_lag_entries") > 0, "entries wait in Redis meanwhile");
        } finally {
            TestServers.pg("start");
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (maxMetric("nectar_drain_lag_entries") > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertEquals(0, maxMetric("nectar_drain_lag_entries"), "the drain caught up");
        assertEveryMessageOnceInOrder(done);
    }

    @Test
    @Order(3)
    void aFrozenNodeWhoseConversationWasTakenCannotWrite() throws Exception {
        NodeProcess frozen = nodes.get(0);
        NodeProcess other = nodes.get(2);
        LinkedBlockingQueue<JsonObject> atFrozen = new LinkedBlockingQueue<>();
        ClientWebSocket a = socket(frozen.port(), "merchant=demo", atFrozen);
        JsonObject welcome = atFrozen.poll(10, TimeUnit.SECONDS);
        assertNotNull(welcome);
        String conversation = welcome.getString("conversationId");
        String id = "stale-" + UUID.randomUUID();
        frozen.signal("STOP");
        try {
            // sent to the frozen node: it sits in the socket until the node wakes up
            a.writeTextMessage(new JsonObject().put("type", "message").put("id", id).put("text", "包邮吗").encode());
            Thread.sleep(300);
            // the shopper gives up on it and resumes on another node, which takes the conversation over
            LinkedBlockingQueue<JsonObject> atOther = new LinkedBlockingQueue<>();
            ClientWebSocket b = socket(other.port(), "merchant=demo&conversation=" + conversation + "&lastSeq=0", atOther);
            assertEquals(conversation, atOther.poll(10, TimeUnit.SECONDS).getString("conversationId"));
            b.writeTextMessage(new JsonObject().put("type", "message").put("id", id).put("text", "包邮吗").encode());
            JsonObject reply = awaitType(atOther, "reply");
            assertEquals(2L, reply.getLong("seq"));
            assertFalse(reply.getBoolean("duplicate", false));
        } finally {
            frozen.signal("CONT");
        }
        // the woken node answers the message it read under its old claim: the write is refused, the socket moved
        JsonObject moved = awaitType(atFrozen, "moved");
        assertEquals("opened_elsewhere", moved.getString("reason"));
        Thread.sleep(1_000);
        List<Row> rows = waitForRows(conversation, 2);
        assertEquals(2, rows.size(), "one question and one answer, not two");
        assertEquals(List.of(id, id), rows.stream().map(r -> r.getString("message_id")).toList());
    }

    @Test
    @Order(4)
    void aNodeStoppedUnderLoadMovesEveryShopperWithoutAnError() throws Exception {
        List<CompletableFuture<ScriptedShopper.Result>> results = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            results.add(new ScriptedShopper(vertx, lb.port(), "demo", "d" + i, i % 2 == 0 ? ZH : EN, 180_000).run());
            Thread.sleep(15);
        }
        long t0 = System.currentTimeMillis();
        while (answered(nodes) < 60 && System.currentTimeMillis() - t0 < 60_000) {
            Thread.sleep(50);
        }
        // the JVM reports 143 (128 + SIGTERM) after its shutdown hook ran the drain to the end
        assertEquals(143, nodes.get(2).terminate(Duration.ofSeconds(30)));
        // the whole log: a connection accepted while the node closes logs a long warning after the drain
        assertTrue(nodes.get(2).logged("drained in"), nodes.get(2).tail());
        List<ScriptedShopper.Result> done = new ArrayList<>();
        int moved = 0;
        for (CompletableFuture<ScriptedShopper.Result> f : results) {
            ScriptedShopper.Result r = f.get(180, TimeUnit.SECONDS);
            assertTrue(r.problems().isEmpty(), r.name() + ": " + r.problems());
            assertEquals(0, r.errorFrames(), r.name() + " saw an error frame");
            assertEquals(4, r.replies().size());
            moved += r.reconnects() > 0 ? 1 : 0;
            done.add(r);
        }
        assertTrue(moved > 0, "the stopped node had shoppers");
        assertEveryMessageOnceInOrder(done);
    }

    // ---- checks against PostgreSQL ----

    /** Every shopper's conversation in PostgreSQL: seq 1..2n, shopper then bot, each message id once, in script order. */
    @Test
    @Order(5)
    void anAgentWhoseNodeIsKilledGoesOnFromAnotherNodeAndMissesNothing() throws Exception {
        NodeProcess agentsNode = nodes.get(0);
        AgentClient.Answer signedIn = AgentClient.signIn(vertx, agentsNode.port(), "demo", "demo-agent", "demo-agent-password-change-me");
        assertEquals(200, signedIn.status(), String.valueOf(signedIn.body()));
        LinkedBlockingQueue<JsonObject> atShopper = new LinkedBlockingQueue<>();
        ClientWebSocket shopper = socket(nodes.get(2).port(), "merchant=demo", atShopper);
        String conversation = awaitType(atShopper, "welcome").getString("conversationId");
        AgentClient agent = AgentClient.connect(vertx, agentsNode.port(), signedIn.setCookie());
        shopper.writeTextMessage(new JsonObject().put("type", "message").put("id", "h1").put("text", "转人工").encode());
        assertNotNull(awaitType(atShopper, "reply").getJsonObject("handoff"));
        assertEquals("owner", agent.ask("take", conversation).getString("type"));
        assertEquals("agent", awaitType(atShopper, "system").getString("owner"));
        agent.ask(new JsonObject().put("type", "send").put("conversationId", conversation).put("text", "您好，我是小美"));
        assertEquals("您好，我是小美", awaitType(atShopper, "agent").getString("text"));

        agentsNode.kill();
        agent.close();
        // while the agent is away the shopper writes: the message is kept for the agent, the bot stays silent
        shopper.writeTextMessage(new JsonObject().put("type", "message").put("id", "q1").put("text", "你们发什么快递？").encode());
        assertEquals("agent", awaitType(atShopper, "received").getString("owner"));

        // the agent's session is in Redis: the same cookie opens the workbench on another node, where the
        // conversation is still theirs, with the message that came meanwhile
        AgentClient again = AgentClient.connect(vertx, nodes.get(1).port(), signedIn.setCookie());
        try {
            JsonObject opened = again.ask("open", conversation);
            assertEquals("agent", opened.getString("owner"), opened.encode());
            assertEquals("demo-agent", opened.getString("ownerLogin"));
            assertTrue(opened.getJsonArray("frames").stream().anyMatch(f -> "你们发什么快递？".equals(((JsonObject) f).getString("text"))),
                    opened.encode());
            JsonObject sent = again.ask(new JsonObject().put("type", "send").put("conversationId", conversation).put("text", "顺丰和京东"));
            assertEquals("sent", sent.getString("type"), sent.encode());
            assertEquals("顺丰和京东", awaitType(atShopper, "agent").getString("text"));
            assertFalse(atShopper.stream().anyMatch(f -> "reply".equals(f.getString("type"))), "the bot never answered meanwhile");
        } finally {
            again.close();
            shopper.close();
        }
        // every line of it, once and in order, in PostgreSQL
        List<Row> rows = waitForRows(conversation, 6);
        assertEquals(List.of("shopper", "bot", "system", "agent", "shopper", "agent"), rows.stream().map(r -> r.getString("role")).toList());
    }

    private static void assertEveryMessageOnceInOrder(List<ScriptedShopper.Result> done) throws Exception {
        for (ScriptedShopper.Result r : done) {
            int expected = 2 * r.replies().size();
            List<Row> rows = waitForRows(r.conversationId(), expected);
            assertEquals(expected, rows.size(), r.name() + " in PostgreSQL");
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                assertEquals(i + 1, row.getLong("seq"), r.name());
                assertEquals(i % 2 == 0 ? "shopper" : "bot", row.getString("role"), r.name() + " seq " + (i + 1));
                assertEquals(r.name() + "-" + (i / 2), row.getString("message_id"), r.name() + " seq " + (i + 1));
            }
        }
    }

    private static List<Row> waitForRows(String conversation, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        List<Row> rows;
        do {
            rows = new ArrayList<>();
            for (Row row : pg.preparedQuery("SELECT seq, role, message_id FROM messages WHERE conversation_id = $1 ORDER BY seq")
                    .execute(Tuple.of(conversation)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
                rows.add(row);
            }
            if (rows.size() >= expected) {
                return rows;
            }
            Thread.sleep(200);
        } while (System.currentTimeMillis() < deadline);
        return rows;
    }

    // ---- the nodes' own figures ----

    /** Replies sent so far by the live nodes (their Prometheus counters). */
    private static long answered(List<NodeProcess> ns) {
        long total = 0;
        for (NodeProcess n : ns) {
            if (n.alive()) {
                total += (long) metric(n, "nectar_messages_out_total{type=\"reply\"");
            }
        }
        return total;
    }

    private static double maxMetric(String name) {
        double max = 0;
        for (NodeProcess n : nodes) {
            if (n.alive()) {
                max = Math.max(max, metric(n, name));
            }
        }
        return max;
    }

    /** The sum of a node's metric lines starting with {@code prefix}; fails when the node does not answer. */
    private static double metric(NodeProcess n, String prefix) {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                String body = metricsClient.request(new RequestOptions().setHost("127.0.0.1").setPort(n.port())
                                .setURI("/metrics").setIdleTimeout(3_000))
                        .compose(r -> r.send().compose(res -> res.body()))
                        .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS).toString();
                double sum = 0;
                for (String line : body.split("\n")) {
                    if (line.startsWith(prefix)) {
                        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
                return sum;
            } catch (Exception e) {
                last = e;
            }
        }
        throw new AssertionError(n.name() + " did not serve /metrics", last);
    }

    private static ClientWebSocket socket(int port, String query, LinkedBlockingQueue<JsonObject> frames) throws Exception {
        ClientWebSocket ws = vertx.createWebSocketClient().webSocket();
        ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        ws.exceptionHandler(t -> { });
        ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/chat?" + query))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return ws;
    }

    private static JsonObject awaitType(LinkedBlockingQueue<JsonObject> frames, String type) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        Map<String, Integer> seen = new HashMap<>();
        while (System.currentTimeMillis() < deadline) {
            JsonObject f = frames.poll(200, TimeUnit.MILLISECONDS);
            if (f != null) {
                if (type.equals(f.getString("type"))) {
                    return f;
                }
                seen.merge(f.getString("type"), 1, Integer::sum);
            }
        }
        throw new AssertionError("no '" + type + "' frame; saw " + seen);
    }
}
