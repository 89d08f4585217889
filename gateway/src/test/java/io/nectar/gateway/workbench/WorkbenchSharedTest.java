package io.nectar.gateway.workbench;

import io.nectar.gateway.support.AgentClient;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.support.TestServers;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench across two nodes on real Redis and PostgreSQL: the agent signs in on one node and works on
 * the other (the session is shared), the shopper is on the first; events and assist panes cross nodes;
 * when the shopper's node stops, the shopper resumes on the other node and the conversation stays the
 * agent's, with nothing lost.
 */
class WorkbenchSharedTest {

    static Vertx vertx;
    static Gateway a;
    static Gateway b;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        String prefix = "wb" + UUID.randomUUID().toString().substring(0, 6) + ":";
        TranscriptSink sink = batch -> Future.succeededFuture();
        a = node("node-a", prefix, sink);
        b = node("node-b", prefix, sink);
    }

    static Gateway node(String id, String prefix, TranscriptSink sink) throws Exception {
        ClusterConfig cluster = ClusterConfig.embedded().withNodeId(id)
                .withShared(ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), TestServers.pgUrl())
                .withKeyPrefix(prefix).withDrainGrace(Duration.ofSeconds(5));
        Gateway g = Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withCluster(cluster),
                new Gateway.Overrides(sink, null)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        g.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        return g;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Gateway g : new Gateway[]{a, b}) {
            if (g != null) {
                g.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The assist_suggestions row of a pane, waiting up to 5 s for the write that follows the agent's send. */
    static io.vertx.sqlclient.Row paneRow(String assistId) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            var rows = b.services().pg().database().pool().preparedQuery("SELECT * FROM assist_suggestions WHERE assist_id = $1")
                    .execute(io.vertx.sqlclient.Tuple.of(assistId)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (rows.size() > 0) {
                assertEquals(1, rows.size(), "one row per decided pane");
                return rows.iterator().next();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no assist_suggestions row for pane " + assistId);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void theAgentOnOneNodeServesAShopperOnTheOtherAndSurvivesTheShoppersNodeStopping() throws Exception {
        AgentClient.Answer signedIn = AgentClient.signIn(vertx, a.port(), "demo", "demo-agent", "demo-agent-password-change-me");
        assertEquals(200, signedIn.status(), String.valueOf(signedIn.body()));
        String conversation;
        long lastSeq;
        try (AgentClient agent = AgentClient.connect(vertx, b.port(), signedIn.setCookie())) {
            try (ChatTestClient shopper = ChatTestClient.open(vertx, a.port(), "merchant=demo")) {
                conversation = shopper.welcome.getString("conversationId");
                shopper.ask("h1", "转人工");
                agent.await(f -> "frames".equals(f.getString("type")) && conversation.equals(f.getString("conversationId")));
                assertEquals("owner", agent.ask("take", conversation).getString("type"));
                assertEquals("agent", shopper.await(f -> "system".equals(f.getString("type"))).getString("owner"));
                assertEquals("received", shopper.ask("q1", "你们发什么快递？").getString("type"));
                JsonObject pane = agent.await(f -> "assist".equals(f.getString("type"))).getJsonObject("assist");
                JsonObject first = pane.getJsonArray("suggestions").getJsonObject(0);
                agent.ask(new JsonObject().put("type", "send").put("conversationId", conversation).put("assistId", pane.getString("assistId"))
                        .put("suggestionId", first.getString("id")).put("text", first.getString("text")));
                lastSeq = shopper.await(f -> "agent".equals(f.getString("type"))).getLong("seq");
                // the pane's outcome is a row in PostgreSQL, whichever node decided it, for the merchant's numbers
                io.vertx.sqlclient.Row row = paneRow(pane.getString("assistId"));
                assertEquals("sent", row.getString("outcome"));
                assertEquals(first.getString("id"), row.getString("suggestion_id"));
                assertEquals(1, row.getInteger("rank"));
                assertEquals("demo-agent", row.getString("agent"));
                assertEquals(conversation, row.getString("conversation_id"));
                assertEquals("demo", row.getString("merchant_id"));
            }
            // the shopper's node goes away; the shopper resumes on the other node, still with the agent
            a.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            a = null;
            JsonObject sent = agent.ask(new JsonObject().put("type", "send").put("conversationId", conversation).put("text", "还在吗？"));
            assertEquals("sent", sent.getString("type"), sent.encode());
            try (ChatTestClient shopper = ChatTestClient.open(vertx, b.port(),
                    "merchant=demo&conversation=" + conversation + "&lastSeq=" + lastSeq)) {
                assertTrue(shopper.welcome.getBoolean("resumed"));
                assertEquals("agent", shopper.welcome.getString("owner"));
                assertTrue(shopper.welcome.getJsonArray("missed").stream()
                        .anyMatch(m -> "还在吗？".equals(((JsonObject) m).getString("text"))), shopper.welcome.encode());
                assertEquals("received", shopper.ask("q2", "在的").getString("type"));
                agent.await(f -> "assist".equals(f.getString("type")) && "在的".equals(f.getJsonObject("assist").getString("message")));
            }
        }
    }
}
