package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Merchant stores with their own flows: a flow action goes to a real HTTP webhook started here (success,
 * retries with one idempotency key, timeouts, refusals, the merchant's system down and back), and
 * handoffs are visible only to the merchant's own agents. Real gateway, real models, real sockets.
 */
class DialogueEndToEndTest {

    static Vertx vertx;
    static HttpServer hook;
    static Gateway gateway;
    @TempDir
    static Path stores;
    /** How the webhook answers: ok, down (503), slow (after the timeout), reject (422), hangup, refuse (ok:false). */
    static volatile String mode = "ok";
    static final List<JsonObject> requests = new CopyOnWriteArrayList<>();

    static final String TOKEN_A = "agent-token-for-shop-a-1234";
    static final String TOKEN_B = "agent-token-for-shop-b-5678";

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            requests.add(new JsonObject().put("key", req.getHeader("idempotency-key"))
                    .put("auth", req.getHeader("authorization")).put("attempt", req.getHeader("x-nectar-attempt"))
                    .put("body", body.toJsonObject()));
            switch (mode) {
                case "down" -> req.response().setStatusCode(503).end("{\"error\":\"maintenance\"}");
                case "slow" -> vertx.setTimer(1500, id -> req.response().end("{\"data\":{\"ticket\":\"LATE\"}}"));
                case "reject" -> req.response().setStatusCode(422).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"code\":\"full\",\"message\":\"no repair slots that day\"}}");
                case "refuse" -> req.response().end("{\"ok\":false,\"error\":\"the order is archived\"}");
                case "hangup" -> req.connection().close();
                default -> req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("ok", true).put("data", new JsonObject().put("ticket", "T-" + requests.size())).encode());
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        store("shop-a", TOKEN_A);
        store("shop-b", TOKEN_B);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0)
                        .withStores(List.of(stores.resolve("shop-a"), stores.resolve("shop-b"))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static void store(String name, String token) throws Exception {
        Path dir = Files.createDirectories(stores.resolve(name));
        Files.writeString(dir.resolve("store.yaml"), """
                name: {en: "%s"}
                languages: [en]
                agentToken: %s
                """.formatted(name, token));
        Files.writeString(dir.resolve("faq.yaml"), """
                - id: opening-hours
                  questions: {en: ["When are you open?", "opening hours", "what time do you open"]}
                  answer: {en: "Every day from 9 to 18."}
                - id: agent
                  questions: {en: ["I want to talk to a human", "human agent please", "real person"]}
                  answer: {en: "Connecting you."}
                """);
        Files.writeString(dir.resolve("flows.yaml"), """
                actions:
                  book_repair: {type: webhook, url: "http://127.0.0.1:%d/actions", timeoutMs: 400, retries: 2, secret: hook-secret}
                flows:
                  - id: repair
                    name: {en: repair booking}
                    triggers: {en: ["I want to book a repair", "book a shoe repair", "can you repair my shoes"]}
                    slots:
                      - {name: order, type: order_id, prompt: {en: "Which order are the shoes from?"}}
                      - {name: day, type: date, prompt: {en: "Which day suits you?"}}
                    confirm: {en: "Book a repair for order {{order}} on {{day}}?"}
                    action: {name: book_repair}
                    reply: {en: "Booked, ticket {{result.ticket}}."}
                    failure: {en: "The repair could not be booked: {{error}}"}
                  - id: human
                    name: {en: handoff}
                    triggers: {faq: [agent]}
                    action: handoff
                    reply: {en: "Connecting you to a person now."}
                """.formatted(hook.actualPort()));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void reset() {
        mode = "ok";
        requests.clear();
    }

    ChatTestClient open(String merchant) throws Exception {
        return ChatTestClient.open(vertx, gateway.port(), "merchant=" + merchant);
    }

    /** Walks the repair flow up to its confirmation. */
    static void upToConfirm(ChatTestClient c) throws Exception {
        JsonObject r = c.ask("1", "I want to book a repair");
        assertEquals("repair", r.getJsonObject("flow").getString("id"), r.encode());
        assertEquals("order", r.getJsonObject("flow").getString("step"));
        r = c.ask("2", "it's AB12345");
        assertEquals("day", r.getJsonObject("flow").getString("step"), r.encode());
        r = c.ask("3", "tomorrow");
        assertEquals("confirm", r.getJsonObject("flow").getString("step"), r.encode());
        assertTrue(r.getString("text").contains(LocalDate.now().plusDays(1).toString()), r.getString("text"));
    }

    @Test
    void aFlowActionIsPostedToTheWebhookWithAnIdempotencyKey() throws Exception {
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            JsonObject r = c.ask("4", "yes");
            assertEquals("Booked, ticket T-1.", r.getString("text"), r.encode());
            assertEquals("completed", r.getJsonObject("flow").getString("status"));
            assertEquals(1, requests.size());
            JsonObject req = requests.get(0);
            assertEquals("Bearer hook-secret", req.getString("auth"));
            assertEquals(32, req.getString("key").length());
            JsonObject body = req.getJsonObject("body");
            assertEquals("book_repair", body.getString("action"));
            assertEquals("shop-a", body.getString("merchant"));
            assertEquals("repair", body.getString("flow"));
            assertEquals(c.welcome.getString("conversationId"), body.getString("conversationId"));
            assertEquals("AB12345", body.getJsonObject("params").getString("order"));
            assertEquals(LocalDate.now().plusDays(1).toString(), body.getJsonObject("params").getString("day"));
        }
    }

    @Test
    void aFlowInProgressSurvivesAReconnectAndGoesOnWhereItWas() throws Exception {
        String id;
        try (ChatTestClient c = open("shop-a")) {
            id = c.welcome.getString("conversationId");
            upToConfirm(c);
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=shop-a&conversation=" + id)) {
            JsonObject flow = c.welcome.getJsonObject("flow");
            assertEquals("repair", flow.getString("id"), c.welcome.encode());
            assertEquals("confirm", flow.getString("step"));
            assertEquals("AB12345", flow.getJsonObject("slots").getString("order"));
            JsonObject r = c.ask("4", "yes");
            assertTrue(r.getString("text").startsWith("Booked, ticket"), r.encode());
        }
        String metrics = get(vertx.createHttpClient(), "/metrics", null, 200);
        assertTrue(metrics.contains("nectar_flow_actions_total{kind=\"webhook\",outcome=\"ok\"}"), metrics);
    }

    @Test
    void whenTheMerchantsSystemIsDownTheShopperIsToldAndARetryLaterSucceedsWithTheSameKey() throws Exception {
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            mode = "down";
            JsonObject r = c.ask("4", "yes");
            assertTrue(r.getString("text").contains("isn't responding"), r.encode());
            assertEquals("retry", r.getJsonObject("flow").getString("step"));
            assertEquals("AB12345", r.getJsonObject("flow").getJsonObject("slots").getString("order"), "slots are kept");
            assertEquals(3, requests.size(), "one attempt and two retries");
            assertEquals(List.of("1", "2", "3"), requests.stream().map(j -> j.getString("attempt")).toList());
            String key = requests.get(0).getString("key");
            assertTrue(requests.stream().allMatch(j -> key.equals(j.getString("key"))), "every attempt carries one key");

            // the conversation goes on meanwhile
            assertEquals("opening-hours", c.ask("5", "When are you open?").getString("intent"));

            mode = "ok";
            r = c.ask("6", "retry");
            assertTrue(r.getString("text").startsWith("Booked, ticket"), r.encode());
            assertEquals(key, requests.get(requests.size() - 1).getString("key"), "the retry is the same request");
        }
    }

    @Test
    void aSlowWebhookTimesOutAndIsRetried() throws Exception {
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            mode = "slow";
            JsonObject r = c.ask("4", "yes");
            assertTrue(r.getString("text").contains("isn't responding"), r.encode());
            assertEquals(3, requests.size());
        }
    }

    @Test
    void aDroppedConnectionIsRetried() throws Exception {
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            mode = "hangup";
            JsonObject r = c.ask("4", "yes");
            assertEquals("retry", r.getJsonObject("flow").getString("step"), r.encode());
            assertEquals(3, requests.size());
        }
    }

    @Test
    void aRefusalIsToldToTheShopperWithoutRetrying() throws Exception {
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            mode = "reject";
            JsonObject r = c.ask("4", "yes");
            assertEquals("The repair could not be booked: no repair slots that day", r.getString("text"), r.encode());
            assertEquals("failed", r.getJsonObject("flow").getString("status"));
            assertEquals(1, requests.size());
        }
        requests.clear();
        try (ChatTestClient c = open("shop-a")) {
            upToConfirm(c);
            mode = "refuse";
            JsonObject r = c.ask("4", "yes");
            assertEquals("The repair could not be booked: the order is archived", r.getString("text"), r.encode());
            assertEquals(1, requests.size());
        }
    }

    @Test
    void handoffsAreVisibleOnlyToTheMerchantsOwnAgents() throws Exception {
        String convA, convB;
        try (ChatTestClient a = open("shop-a"); ChatTestClient b = open("shop-b")) {
            convA = a.welcome.getString("conversationId");
            convB = b.welcome.getString("conversationId");
            a.ask("1", "When are you open?");
            JsonObject r = a.ask("2", "human agent please");
            assertEquals("requested", r.getJsonObject("handoff").getString("reason"), r.encode());
            r = b.ask("1", "this is a scam, I want a refund now");
            assertEquals("complaint", r.getJsonObject("handoff").getString("reason"), r.encode());
            b.ask("2", "hello?");
        }
        HttpClient http = vertx.createHttpClient();
        JsonObject listA = new JsonObject(get(http, "/api/agent/handoffs", TOKEN_A, 200));
        assertEquals("shop-a", listA.getString("merchant"));
        JsonArray handoffsA = listA.getJsonArray("handoffs");
        assertEquals(1, handoffsA.size(), listA.encode());
        JsonObject h = handoffsA.getJsonObject(0);
        assertEquals(convA, h.getString("conversationId"));
        assertEquals("requested", h.getString("reason"));
        JsonArray transcript = h.getJsonArray("transcript");
        assertEquals(4, transcript.size(), "the conversation so far is attached: " + transcript.encode());
        assertEquals("When are you open?", transcript.getJsonObject(0).getString("text"));

        JsonArray handoffsB = new JsonObject(get(http, "/api/agent/handoffs", TOKEN_B, 200)).getJsonArray("handoffs");
        assertEquals(1, handoffsB.size());
        assertEquals(convB, handoffsB.getJsonObject(0).getString("conversationId"));
        assertEquals("complaint", handoffsB.getJsonObject(0).getString("reason"));
        assertEquals(4, handoffsB.getJsonObject(0).getJsonArray("transcript").size(), "later turns are added");
        assertFalse(get(http, "/api/agent/handoffs", TOKEN_B, 200).contains(convA), "nothing of shop-a in shop-b's view");

        get(http, "/api/agent/handoffs", null, 401);
        get(http, "/api/agent/handoffs", "not-a-token-of-anyone", 403);
        get(http, "/api/agent/handoffs?merchant=shop-b", TOKEN_A, 403);
        assertEquals(404, post(http, "/api/agent/handoffs/" + convB + "/close", TOKEN_A), "shop-a cannot close shop-b's");
        assertEquals(204, post(http, "/api/agent/handoffs/" + convB + "/close", TOKEN_B));
        assertEquals(0, new JsonObject(get(http, "/api/agent/handoffs", TOKEN_B, 200)).getJsonArray("handoffs").size());
        assertEquals(1, new JsonObject(get(http, "/api/agent/handoffs", TOKEN_A, 200)).getJsonArray("handoffs").size());
        String metrics = get(http, "/metrics", null, 200);
        assertTrue(metrics.contains("nectar_handoffs_total{reason=\"complaint\"}"), metrics);
        assertFalse(metrics.contains("shop-a"), "metrics are never tagged by merchant");
    }

    static String get(HttpClient http, String path, String token, int status) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(gateway.port()).setURI(path);
        if (token != null) {
            o.putHeader("authorization", "Bearer " + token);
        }
        HttpClientResponse[] resp = new HttpClientResponse[1];
        // the body is read in the response's own callback: a stage chained on the outer future may run on
        // another thread after the response has ended, and the body is then never delivered
        String body = http.request(o).compose(req -> req.send().compose(r -> {
            resp[0] = r;
            return r.body();
        })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
        assertEquals(status, resp[0].statusCode(), body);
        assertNotNull(body);
        return body;
    }

    static int post(HttpClient http, String path, String token) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("localhost").setPort(gateway.port()).setURI(path)
                .putHeader("authorization", "Bearer " + token);
        return http.request(o).compose(req -> req.send().compose(r -> r.body().map(b -> r.statusCode())))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
