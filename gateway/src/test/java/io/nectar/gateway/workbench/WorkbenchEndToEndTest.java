package io.nectar.gateway.workbench;

import io.nectar.gateway.support.AgentClient;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.TestStores;
import io.nectar.gateway.auth.PasswordHashing;
import io.nectar.gateway.webhook.WebhookSigner;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The workbench on a real embedded node with the demo store (and a second merchant): agents sign in with
 * hashed passwords, take a handed-off conversation exclusively, answer with the assist pane's suggestions
 * (one click, or edited first), hand it back; the bot stays silent while the agent owns it and answers
 * again afterwards; the merchant's webhook hears of every ownership change, signed, retried, with stable
 * ids; another merchant's agent gets nothing. Real sockets, real models.
 */
class WorkbenchEndToEndTest {

    static final String SECRET = "webhook-secret-of-the-demo-shop";
    static Vertx vertx;
    static HttpServer hook;
    static Gateway gateway;
    static int port;
    @TempDir
    static Path stores;
    static final List<JsonObject> webhooks = new CopyOnWriteArrayList<>();
    static final AtomicInteger hookCalls = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            int n = hookCalls.incrementAndGet();
            webhooks.add(new JsonObject().put("id", req.getHeader("x-nectar-event-id")).put("attempt", req.getHeader("x-nectar-attempt"))
                    .put("valid", WebhookSigner.verify(SECRET, body.getBytes(), req.getHeader(WebhookSigner.HEADER)))
                    .put("body", body.toJsonObject()));
            // the first delivery fails: the event must come again, with the same id
            req.response().setStatusCode(n == 1 ? 503 : 200).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path demo = TestStores.copyDemo(stores);
        Files.writeString(demo.resolve("store.yaml"), "\nwebhook: {url: \"http://127.0.0.1:" + hook.actualPort() + "/events\", secret: "
                + SECRET + "}\n", StandardOpenOption.APPEND);
        String hashB = PasswordHashing.hash("shop-b-agent-password".toCharArray());
        TestStores.write(stores, "shop-b", Map.of("store.yaml", """
                merchant: shop-b
                name: {en: "Shop B"}
                languages: [en]
                agentToken: agent-token-for-shop-b-5678
                agents:
                  - {login: demo-agent, name: Bea, passwordHash: "%s"}
                """.formatted(hashB), "faq.yaml", """
                - id: opening-hours
                  questions: {en: ["When are you open?", "opening hours?"]}
                  answer: {en: "We are open 9 to 5."}
                """));
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(demo, stores.resolve("shop-b"))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        port = gateway.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        vertx.close();
    }

    @Test
    void wrongPasswordsAreRefusedWithoutSayingWhichPartWasWrong() throws Exception {
        AgentClient.Answer wrongPassword = AgentClient.signIn(vertx, port, "demo", "demo-agent", "not-the-password");
        AgentClient.Answer unknownLogin = AgentClient.signIn(vertx, port, "demo", "nobody-here", "demo-agent-password-change-me");
        AgentClient.Answer otherStore = AgentClient.signIn(vertx, port, "shop-b", "demo-agent", "demo-agent-password-change-me");
        for (AgentClient.Answer a : List.of(wrongPassword, unknownLogin, otherStore)) {
            assertEquals(401, a.status());
            assertNull(a.setCookie());
        }
        assertEquals(wrongPassword.body(), unknownLogin.body());
        assertEquals(wrongPassword.body(), otherStore.body());
        // no session, no workbench
        assertEquals(401, AgentClient.http(vertx, port, HttpMethod.GET, "/api/agent/session", null, null).status());
        assertEquals(401, AgentClient.http(vertx, port, HttpMethod.GET, "/api/agent/assist/stats", "nectar_agent=forged", null).status());
        AgentClient.Answer right = AgentClient.signIn(vertx, port, "demo", "demo-agent", "demo-agent-password-change-me");
        assertEquals(200, right.status());
        assertEquals("demo-agent", right.body().getString("login"));
        assertNotNull(right.setCookie());
    }

    @Test
    void anAgentTakesAnswersWithSuggestionsAndHandsBackWhileTheBotStaysSilent() throws Exception {
        try (ChatTestClient shopper = ChatTestClient.open(vertx, port, "merchant=demo");
             AgentClient agent = AgentClient.open(vertx, port, "demo", "demo-agent", "demo-agent-password-change-me");
             AgentClient second = AgentClient.open(vertx, port, "demo", "demo-agent-2", "demo-agent-2-password-change-me")) {
            String id = shopper.welcome.getString("conversationId");
            assertEquals("bot", shopper.welcome.getString("owner"));
            JsonObject handedOff = shopper.ask("h1", "转人工");
            assertEquals("reply", handedOff.getString("type"));
            // the agent sees the shopper's messages live, and the handoff in the queue
            agent.await(f -> "frames".equals(f.getString("type")) && id.equals(f.getString("conversationId")));
            JsonObject queue = agent.ask(new JsonObject().put("type", "queue"));
            assertTrue(contains(queue.getJsonArray("handoffs"), id), queue.encode());

            JsonObject taken = agent.ask("take", id);
            assertEquals("owner", taken.getString("type"), taken.encode());
            assertEquals("agent", taken.getString("owner"));
            JsonObject joined = shopper.await(f -> "system".equals(f.getString("type")));
            assertEquals("agent", joined.getString("owner"));
            assertTrue(joined.getString("text").contains("小李"), joined.encode());
            // exclusive: the second agent sees who has it and cannot take it or write into it
            JsonObject refused = second.ask("take", id);
            assertEquals("taken", refused.getString("code"), refused.encode());
            assertEquals("demo-agent", refused.getString("ownerLogin"));
            JsonObject notOwner = second.ask(new JsonObject().put("type", "send").put("conversationId", id).put("text", "hi"));
            assertEquals("not_owner", notOwner.getString("code"), notOwner.encode());

            // the bot does not answer while the agent owns it; the agent gets the assist pane
            JsonObject ack = shopper.ask("q1", "你们发什么快递？");
            assertEquals("received", ack.getString("type"), ack.encode());
            JsonObject pane = agent.await(f -> "assist".equals(f.getString("type"))).getJsonObject("assist");
            assertEquals(id, pane.getString("conversationId"));
            assertEquals("faq:carrier", pane.getString("intent"), pane.encode());
            JsonArray suggestions = pane.getJsonArray("suggestions");
            assertTrue(suggestions.size() >= 1 && suggestions.size() <= 3, pane.encode());
            JsonObject first = suggestions.getJsonObject(0);
            assertTrue(first.getString("text").contains("顺丰"), first.encode());
            assertFalse(second.anyQueued(f -> "assist".equals(f.getString("type"))), "the pane is for the owner only");

            // one click sends the suggestion as it is
            JsonObject sent = agent.ask(new JsonObject().put("type", "send").put("conversationId", id)
                    .put("assistId", pane.getString("assistId")).put("suggestionId", first.getString("id")).put("text", first.getString("text")));
            assertEquals("sent", sent.getString("type"), sent.encode());
            JsonObject got = shopper.await(f -> "agent".equals(f.getString("type")));
            assertEquals(first.getString("text"), got.getString("text"));
            assertEquals(sent.getLong("seq"), got.getLong("seq"));

            // the next one edited first
            shopper.ask("q2", "包邮吗");
            JsonObject pane2 = agent.await(f -> "assist".equals(f.getString("type"))).getJsonObject("assist");
            JsonObject s2 = pane2.getJsonArray("suggestions").getJsonObject(0);
            String edited = s2.getString("text") + " 有问题随时找我。";
            agent.ask(new JsonObject().put("type", "send").put("conversationId", id).put("assistId", pane2.getString("assistId"))
                    .put("suggestionId", s2.getString("id")).put("text", edited));
            assertEquals(edited, shopper.await(f -> "agent".equals(f.getString("type")) && edited.equals(f.getString("text"))).getString("text"));

            JsonObject stats = AgentClient.http(vertx, port, HttpMethod.GET, "/api/agent/assist/stats", agent.cookie, null).body();
            assertEquals(2, stats.getJsonObject("total").getLong("shown"), stats.encode());
            assertEquals(1, stats.getJsonObject("total").getLong("sent"), stats.encode());
            assertEquals(1, stats.getJsonObject("total").getLong("edited"), stats.encode());
            assertEquals(1.0, stats.getJsonObject("total").getDouble("adoption"), stats.encode());
            assertEquals(0.5, stats.getJsonObject("total").getDouble("acceptance"), stats.encode());
            String metrics = scrape();
            assertTrue(metrics.contains("nectar_assist_panes_total{intent_kind=\"faq\",outcome=\"edited\"} 1.0"), metrics);

            // hand back: the shopper is told, and the bot answers the next question
            JsonObject back = agent.ask("handback", id);
            assertEquals("bot", back.getString("owner"), back.encode());
            JsonObject left = shopper.await(f -> "system".equals(f.getString("type")) && "bot".equals(f.getString("owner")));
            assertNotNull(left);
            JsonObject reply = shopper.ask("q3", "几天能到");
            assertEquals("reply", reply.getString("type"), reply.encode());
            assertEquals("delivery-time", reply.getString("intent").replace("faq:", ""), reply.encode());
            // an agent who handed back cannot write any more
            assertEquals("not_owner", agent.ask(new JsonObject().put("type", "send").put("conversationId", id).put("text", "x"))
                    .getString("code"));

            // the merchant's system heard of both changes: signed, the failed first delivery retried with the same id
            long deadline = System.currentTimeMillis() + 20_000;
            while (webhooks.stream().filter(w -> w.getString("id").startsWith(id)).map(w -> w.getString("id")).distinct().count() < 2
                    || webhooks.stream().filter(w -> w.getString("id").startsWith(id)).count() < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "webhooks: " + webhooks);
                Thread.sleep(100);
            }
            List<JsonObject> ours = webhooks.stream().filter(w -> w.getString("id").startsWith(id)).toList();
            assertTrue(ours.stream().allMatch(w -> w.getBoolean("valid")), ours.toString());
            // the failed first delivery came again with the same id (events may overtake each other: "seq" orders them)
            JsonObject firstTry = ours.get(0);
            assertEquals("1", firstTry.getString("attempt"));
            assertTrue(ours.stream().skip(1).anyMatch(w -> w.getString("id").equals(firstTry.getString("id")) && "2".equals(w.getString("attempt"))),
                    ours.toString());
            List<String> events = ours.stream().map(w -> w.getJsonObject("body"))
                    .sorted(java.util.Comparator.comparingLong(b -> b.getLong("seq")))
                    .map(b -> b.getString("event")).distinct().toList();
            assertEquals(List.of("agent_joined", "agent_left"), events);
        }
    }

    @Test
    void anAgentOfAnotherMerchantGetsNothingOfTheConversation() throws Exception {
        try (ChatTestClient shopper = ChatTestClient.open(vertx, port, "merchant=demo");
             AgentClient other = AgentClient.open(vertx, port, "shop-b", "demo-agent", "shop-b-agent-password")) {
            String id = shopper.welcome.getString("conversationId");
            shopper.ask("h1", "转人工");
            for (String action : List.of("open", "take", "handback", "close")) {
                assertEquals("not_found", other.ask(action, id).getString("code"), action);
            }
            assertEquals("not_found", other.ask(new JsonObject().put("type", "send").put("conversationId", id).put("text", "x"))
                    .getString("code"));
            JsonObject queue = other.ask(new JsonObject().put("type", "queue"));
            assertFalse(contains(queue.getJsonArray("handoffs"), id));
            assertFalse(contains(queue.getJsonArray("live"), id));
            shopper.ask("h2", "你们发什么快递？");
            Thread.sleep(300);
            assertFalse(other.anyQueued(f -> f.encode().contains(id)), "no event of another merchant's conversation");
            assertEquals("bot", shopper.welcome.getString("owner"));
        }
    }

    static boolean contains(JsonArray list, String conversationId) {
        return list.stream().anyMatch(o -> conversationId.equals(((JsonObject) o).getString("conversationId")));
    }

    static String scrape() throws Exception {
        var http = vertx.createHttpClient();
        try {
            return http.request(HttpMethod.GET, port, "localhost", "/metrics").compose(r -> r.send().compose(x -> x.body()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
        } finally {
            http.close();
        }
    }
}
