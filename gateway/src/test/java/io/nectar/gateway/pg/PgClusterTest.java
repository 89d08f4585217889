package io.nectar.gateway.pg;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.golden.GoldenRunner;
import io.nectar.gateway.golden.GoldenScript;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.Http;
import io.nectar.gateway.support.TestDatabases;
import io.nectar.gateway.support.TestServers;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gateway nodes in one JVM on one real PostgreSQL (started together on an empty database): the
 * demo store imported once and served from PostgreSQL, merchant API edits made on one node answered over
 * the WebSocket of every node, the shared handoff queue, a lost notification, and a server restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class PgClusterTest {

    static final String KEY = "demo-merchant-key-change-me";
    static final String AGENT = "demo-agent-token-change-me";
    static final int NODES = 3;
    static String url;
    static final List<Gateway> nodes = new ArrayList<>();
    static Vertx client;
    static Http http;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        url = TestDatabases.fresh("cluster");
        Path root = Files.createTempDirectory("pg-cluster");
        List<Future<Gateway>> starting = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            Path data = root.resolve("node-" + i);
            seed(data);
            ClusterConfig cluster = ClusterConfig.embedded().withNodeId("node-" + i)
                    .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), url);
            starting.add(Gateway.start(GatewayConfig.defaults().withPort(0).withDataDir(data).withCluster(cluster).withRate(1000, 1000)));
        }
        for (Future<Gateway> f : starting) {
            nodes.add(Await.result(f));
        }
        for (Gateway g : nodes) {
            Await.result(g.ready(), 300);
        }
        client = Vertx.vertx();
        http = new Http(client);
        db = Database.create(client, url);
    }

    /** A node's data directory, with the intent heads and index snapshots earlier tests left (so it loads, not trains). */
    public static void seed(Path data) throws IOException {
        Files.createDirectories(data);
        Path shared = Path.of(System.getenv().getOrDefault("NECTAR_DATA_DIR", "target/data"));
        if (!Files.isDirectory(shared)) {
            return;
        }
        try (Stream<Path> all = Files.walk(shared)) {
            for (Path p : all.toList()) {
                String rel = shared.relativize(p).toString();
                if (!(rel.startsWith("models/demo:") || rel.startsWith("index/demo.") || rel.equals("models") || rel.equals("index"))) {
                    continue;
                }
                Path to = data.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
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

    static long count(String sql) throws Exception {
        return Await.result(db.pool().query(sql).execute()).iterator().next().getLong(0);
    }

    @Test
    @Order(1)
    void nodesStartingTogetherMigrateAndImportTheDemoStoreOnce() throws Exception {
        assertEquals(Migrations.available().size(), count("SELECT count(*) FROM schema_migrations"));
        assertEquals(1, count("SELECT count(*) FROM merchants"));
        assertEquals(1, count("SELECT version FROM merchants WHERE id = 'demo'"), "imported once");
        assertEquals(49, count("SELECT count(*) FROM faq_entries WHERE merchant_id = 'demo' AND NOT deleted"));
        assertEquals(29, count("SELECT count(*) FROM products WHERE merchant_id = 'demo'"));
        for (Gateway g : nodes) {
            assertEquals(java.util.Set.of("demo"), g.services().knowledge().merchants());
            Http.Response ready = http.get(g.port(), "/health/ready", null);
            assertEquals(200, ready.status(), ready.toString());
            JsonObject pg = ready.json().getJsonObject("dependencies").getJsonObject("postgresql");
            assertEquals("UP", pg.getString("status"), ready.toString());
            assertEquals(true, pg.getBoolean("listening"), ready.toString());
            assertEquals(false, ready.json().getBoolean("degraded"));
        }
    }

    @Test
    @Order(2)
    void theSeedDialogueIsAnsweredTheSameFromPostgres() throws Exception {
        Path golden = Path.of(PgClusterTest.class.getClassLoader().getResource("golden").toURI());
        for (String name : List.of("seed-exchange-zh.yaml", "seed-exchange-en.yaml", "interruption-free-shipping-zh.yaml")) {
            GoldenScript script = GoldenRunner.read(golden.resolve(name));
            for (Gateway g : nodes) {
                GoldenRunner.ScriptResult r = new GoldenRunner(client, "localhost", g.port(), "demo", 15_000).run(script);
                assertTrue(r.passed(), name + " on a node serving PostgreSQL's demo store: " + r.report());
            }
        }
    }

    /** Asks on every node's open connection until {@code ok} holds; returns the milliseconds each took from {@code t0}. */
    static long[] untilEveryNode(List<ChatTestClient> chats, String question, Predicate<JsonObject> ok, long t0) throws Exception {
        long[] took = new long[chats.size()];
        for (int i = 0; i < chats.size(); i++) {
            long deadline = System.currentTimeMillis() + 20_000;
            int n = 0;
            while (true) {
                JsonObject r = chats.get(i).ask("probe-" + System.nanoTime() + "-" + n++, question);
                if (ok.test(r)) {
                    took[i] = (System.nanoTime() - t0) / 1_000_000;
                    break;
                }
                assertTrue(System.currentTimeMillis() < deadline, "node " + i + " still answers " + r.encode());
                Thread.sleep(5);
            }
        }
        return took;
    }

    @Test
    @Order(3)
    void anFaqEditOnOneNodeIsAnsweredByEveryNode() throws Exception {
        List<ChatTestClient> chats = new ArrayList<>();
        try {
            for (Gateway g : nodes) {
                chats.add(ChatTestClient.open(client, g.port(), "merchant=demo"));
            }
            String q = "Do you recycle old shoes?";
            for (ChatTestClient c : chats) {
                assertNotEquals("recycling", c.ask("before", q).getString("ref"));
            }
            long t0 = System.nanoTime();
            Http.Response put = http.put(nodes.get(0).port(), "/api/merchant/faq/recycling", KEY, new JsonObject().put("lang", "en")
                    .put("question", "Do you recycle old shoes?").put("paraphrases", new JsonArray()
                            .add("can I drop off my old sneakers for recycling").add("shoe recycling program"))
                    .put("answer", "Yes: bring any old pair to our Hangzhou warehouse and we recycle it."));
            assertEquals(201, put.status(), put.toString());
            long[] added = untilEveryNode(chats, q, r -> "recycling".equals(r.getString("ref")), t0);
            System.out.printf("knowledge fan-out: PUT on node 0 answered by nodes 0..2 after %s ms%n", java.util.Arrays.toString(added));

            // the heads catch up in the background on every node; the entry stays answered throughout
            for (Gateway g : nodes) {
                long deadline = System.currentTimeMillis() + 120_000;
                while (!g.services().knowledge().headsCurrent("demo")) {
                    assertTrue(System.currentTimeMillis() < deadline, "heads retrained");
                    Thread.sleep(100);
                }
            }
            untilEveryNode(chats, "is there a shoe recycling program?", r -> "recycling".equals(r.getString("ref")), System.nanoTime());

            // deleted through another node: no node answers it any more
            t0 = System.nanoTime();
            Http.Response del = http.delete(nodes.get(1).port(), "/api/merchant/faq/recycling", KEY);
            assertEquals(200, del.status(), del.toString());
            long[] removed = untilEveryNode(chats, q, r -> !"recycling".equals(r.getString("ref")), t0);
            System.out.printf("knowledge fan-out: DELETE on node 1 no longer answered by nodes 0..2 after %s ms%n",
                    java.util.Arrays.toString(removed));
            for (ChatTestClient c : chats) {
                for (String again : List.of(q, "shoe recycling program", "can I drop off my old sneakers for recycling")) {
                    JsonObject r = c.ask("after-" + again.hashCode(), again);
                    assertNotEquals("recycling", r.getString("ref"), r.encode());
                }
            }
            assertEquals(1, count("SELECT count(*) FROM faq_entries WHERE merchant_id = 'demo' AND id = 'recycling' AND deleted"),
                    "a tombstone");
            // an edited answer is served by every node
            t0 = System.nanoTime();
            Http.Response edit = http.put(nodes.get(2).port(), "/api/merchant/faq/free-shipping", KEY, new JsonObject().put("lang", "en")
                    .put("question", "Is shipping free?").put("paraphrases", new JsonArray().add("Do you offer free shipping?"))
                    .put("answer", "Shipping is free on every order this week."));
            assertEquals(200, edit.status(), edit.toString());
            untilEveryNode(chats, "Do you offer free shipping?", r -> r.getString("text").startsWith("Shipping is free on every order"), t0);
        } finally {
            chats.forEach(ChatTestClient::close);
        }
    }

    @Test
    @Order(4)
    void everyNodeShowsTheSameHandoffQueue() throws Exception {
        JsonObject dialogue = new JsonObject().put("active", (Object) null).put("context", new JsonObject().put("order", "DX1001"));
        Await.result(nodes.get(0).services().pg().sink().write(List.of(
                new LoggedMessage("hq-1", "demo", 1, "shopper", "m1", "我要投诉", null, null, "zh", 1_000, null, null, null),
                new LoggedMessage("hq-1", "demo", 2, "bot", "m1", "已为您转人工", "complaint", "handoff", "zh", 1_001, "complaint", dialogue, null))));
        // the earlier tests' chats may have handed conversations off too, and their last messages may still be
        // on their way to the durable log: the nodes are read until they agree (or the time is up)
        List<String> bodies = new ArrayList<>();
        long until = System.nanoTime() + 10_000_000_000L;
        do {
            if (!bodies.isEmpty()) {
                Thread.sleep(200);
            }
            bodies.clear();
            for (Gateway g : nodes) {
                Http.Response r = http.get(g.port(), "/api/agent/handoffs", AGENT);
                assertEquals(200, r.status(), r.toString());
                bodies.add(r.text());
            }
        } while (!(bodies.get(0).equals(bodies.get(1)) && bodies.get(0).equals(bodies.get(2))) && System.nanoTime() < until);
        // this test looks at its own conversation
        assertEquals(1, ofHq1(new JsonObject(bodies.get(0))).size(), bodies.get(0));
        assertEquals(bodies.get(0), bodies.get(1));
        assertEquals(bodies.get(0), bodies.get(2));
        JsonObject h = ofHq1(new JsonObject(bodies.get(0))).get(0);
        assertEquals("hq-1", h.getString("conversationId"));
        assertEquals(2, h.getJsonArray("transcript").size());
        assertEquals("DX1001", h.getJsonObject("dialogue").getJsonObject("context").getString("order"));

        assertEquals(204, http.call(HttpMethod.POST, nodes.get(2).port(), "/api/agent/handoffs/hq-1/close", AGENT, null).status());
        for (Gateway g : nodes) {
            assertEquals(0, ofHq1(http.get(g.port(), "/api/agent/handoffs", AGENT).json()).size());
        }
        assertEquals(404, http.call(HttpMethod.POST, nodes.get(0).port(), "/api/agent/handoffs/hq-1/close", AGENT, null).status());
    }

    @Test
    @Order(5)
    void aChangeWhoseNotificationWasLostArrivesWithTheResync() throws Exception {
        long resyncsBefore = nodes.get(1).services().pg().sync().resyncCount();
        // a change committed without NOTIFY (as if the notification were lost), then every listener's connection cut
        Await.result(db.inTransaction(conn -> conn.query("UPDATE merchants SET version = version + 1 WHERE id = 'demo' RETURNING version")
                .execute().compose(rows -> {
                    long v = rows.iterator().next().getLong("version");
                    return conn.query("UPDATE faq_entries SET version = " + v + ", doc = jsonb_set(doc, '{answer,en}', "
                            + "'\"Orders ship within 24 hours.\"') WHERE merchant_id = 'demo' AND id = 'shipping-time'").execute();
                })));
        Await.result(db.pool().query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'").execute());
        List<ChatTestClient> chats = new ArrayList<>();
        try {
            for (Gateway g : nodes) {
                chats.add(ChatTestClient.open(client, g.port(), "merchant=demo"));
            }
            untilEveryNode(chats, "When will my order ship?", r -> "Orders ship within 24 hours.".equals(r.getString("text")), System.nanoTime());
        } finally {
            chats.forEach(ChatTestClient::close);
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (nodes.get(1).services().pg().sync().resyncCount() <= resyncsBefore) {
            assertTrue(System.currentTimeMillis() < deadline, "the listener reconnected and resynced");
            Thread.sleep(50);
        }
        for (Gateway g : nodes) {
            assertEquals(0, g.services().pg().sync().lag());
        }
    }

    @Test
    @Order(6)
    void withPostgresAwayNodesAnswerFromMemoryAndEditsWaitForIt() throws Exception {
        TestServers.pg("stop");
        try (ChatTestClient c = ChatTestClient.open(client, nodes.get(0).port(), "merchant=demo")) {
            Http.Response ready = http.get(nodes.get(0).port(), "/health/ready", null);
            assertEquals(200, ready.status(), "PostgreSQL away does not stop a node from answering: " + ready);
            assertEquals(true, ready.json().getBoolean("degraded"));
            assertEquals("DOWN", ready.json().getJsonObject("dependencies").getJsonObject("postgresql").getString("status"));
            assertEquals("free-shipping", c.ask("1", "包邮吗").getString("ref"));
            Http.Response put = http.put(nodes.get(1).port(), "/api/merchant/faq/x", KEY,
                    new JsonObject().put("lang", "en").put("question", "q?").put("answer", "a."));
            assertEquals(503, put.status(), put.toString());
        } finally {
            TestServers.pg("start");
        }
        // back: edits work again and reach every node (their listeners reconnected)
        long deadline = System.currentTimeMillis() + 30_000;
        Http.Response put;
        do {
            Thread.sleep(200);
            put = http.put(nodes.get(1).port(), "/api/merchant/faq/umbrella", KEY, new JsonObject().put("lang", "en")
                    .put("question", "Can I borrow an umbrella?").put("answer", "Yes, at the front desk."));
        } while (put.status() == 503 && System.currentTimeMillis() < deadline);
        assertEquals(201, put.status(), put.toString());
        List<ChatTestClient> chats = new ArrayList<>();
        try {
            for (Gateway g : nodes) {
                chats.add(ChatTestClient.open(client, g.port(), "merchant=demo"));
            }
            untilEveryNode(chats, "Can I borrow an umbrella?", r -> "umbrella".equals(r.getString("ref")), System.nanoTime());
        } finally {
            chats.forEach(ChatTestClient::close);
        }
        String metrics = http.get(nodes.get(2).port(), "/metrics", null).text();
        for (String m : List.of("nectar_knowledge_version_lag", "nectar_knowledge_changes_applied_total", "nectar_pg_pool_connections",
                "nectar_pg_sink_batches_total", "nectar_knowledge_notifications_total")) {
            assertTrue(metrics.contains(m), m);
        }
    }

    @Test
    @Order(7)
    void aKeyOfNoMerchantOpensNothingAndANewKeyReplacesTheOld() throws Exception {
        assertEquals(403, http.get(nodes.get(0).port(), "/api/merchant/faq", "demo-merchant-key-change-mE").status());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, StoreTool.run(new String[]{"new-key", "demo", "--pg", url}, new java.io.PrintStream(out, true), null));
        String line = out.toString().strip();
        String key = line.substring(line.lastIndexOf(' ') + 1);
        assertTrue(key.startsWith("nk_") && key.length() == 46, line);
        for (Gateway g : nodes) {
            long deadline = System.currentTimeMillis() + 10_000;
            while (http.get(g.port(), "/api/merchant/faq", key).status() != 200) {
                assertTrue(System.currentTimeMillis() < deadline, "the new key works on every node");
                Thread.sleep(50);
            }
            assertEquals(403, http.get(g.port(), "/api/merchant/faq", KEY).status(), "the old key no longer does");
        }
    }

    private static List<JsonObject> ofHq1(JsonObject queue) {
        List<JsonObject> out = new ArrayList<>();
        for (Object o : queue.getJsonArray("handoffs")) {
            if ("hq-1".equals(((JsonObject) o).getString("conversationId"))) {
                out.add((JsonObject) o);
            }
        }
        return out;
    }
}
