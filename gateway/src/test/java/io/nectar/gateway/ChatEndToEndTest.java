package io.nectar.gateway;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway as a shopper meets it: a real node on a random port with the bundled demo store, real
 * ONNX models, real WebSocket connections.
 */
class ChatEndToEndTest {

    static Gateway gateway;
    static Vertx client;
    static ListAppender<ILoggingEvent> logged;

    @BeforeAll
    static void start() throws Exception {
        logged = new ListAppender<>();
        logged.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        List<String> errors = new ArrayList<>();
        for (ILoggingEvent e : logged.list) {
            if (e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getFormattedMessage().contains("Unhandled exception")) {
                errors.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage());
            }
        }
        assertEquals(List.of(), errors, "nothing may be logged as an error or unhandled exception");
    }

    ChatTestClient open() throws Exception {
        return ChatTestClient.open(client, gateway.port(), "merchant=demo");
    }

    @Test
    void welcomeNamesTheConversationAndTheStore() throws Exception {
        try (ChatTestClient c = open()) {
            JsonObject w = c.welcome;
            assertFalse(w.getString("conversationId").isBlank());
            assertEquals("demo", w.getString("merchant"));
            assertEquals(false, w.getBoolean("resumed"));
            assertFalse(w.getString("greeting").isBlank());
            assertEquals(2000, w.getJsonObject("limits").getInteger("maxTextChars"));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "什么时候发货？|shipping-time",
            "包邮吗|free-shipping",
            "买了不合适可以退吗|return-policy",
            "能开发票吗？|invoice",
            "不知道该穿多大码的鞋|size-guide",
            "皮鞋平时要怎么保养|leather-care",
            "Do you ship abroad?|ship-abroad",
            "Can I return shoes I don't like?|return-policy",
            "which payment methods do you accept|payment-methods",
            "I need an invoice for my order|invoice",
            "When will I get my refund?|refund-time",
            "What time are your agents online?|business-hours",
            "你好|smalltalk-greeting",
            "thank you so much|smalltalk-thanks",
    })
    void answersFromTheStoresFaq(String question, String faqId) throws Exception {
        try (ChatTestClient c = open()) {
            JsonObject r = c.ask("q1", question);
            assertEquals("reply", r.getString("type"), r.encode());
            assertEquals("faq", r.getString("source"), r.encode());
            assertEquals(faqId, r.getString("intent"), r.encode());
            assertTrue(r.getDouble("confidence") >= 0.5, r.encode());
            assertFalse(r.getString("text").isBlank());
            assertFalse(r.getString("text").contains("{{"), "fact placeholders are filled: " + r.getString("text"));
            String lang = question.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) ? "zh" : "en";
            assertEquals(lang, r.getString("language"));
            long han = r.getString("text").codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).count();
            long latin = r.getString("text").codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN).count();
            assertEquals(lang.equals("zh"), han > latin, "reply in the shopper's language: " + r.getString("text"));
        }
    }

    /**
     * Questions a shoe shop is asked that the demo store has no entry for. Before its head learnt the
     * background questions (decision 123) each got a confident answer from the nearest entry ("are you
     * hiring" from the opening hours, 0.96); now all ten get the fallback on the machine this was written on.
     * At least six must: another CPU's ONNX kernels move a reading near the line.
     */
    @Test
    void questionsTheStoreHasNoEntryForGetTheFallback() throws Exception {
        List<String> questions = List.of("are you hiring at the moment?", "how do I apply for a job with your company",
                "is your packaging recyclable?", "do you test any products on animals", "can you engrave my name on the shoes",
                "can I trade in my old trainers for credit", "do you have a podcast", "what's the wifi password in your store",
                "可以加盟你们的店吗", "登山鞋可以租一个周末吗");
        List<String> answered = new ArrayList<>();
        for (String q : questions) {
            try (ChatTestClient c = open()) {
                JsonObject r = c.ask("x", q);
                if (!"fallback".equals(r.getString("source"))) {
                    answered.add(q + " -> " + r.getString("source") + " " + r.getString("intent") + " " + r.getValue("confidence"));
                }
            }
        }
        assertTrue(answered.size() <= 4, "answered from an entry that does not answer them: " + answered);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"你们老板喜欢什么颜色的猫|zh", "What is the capital of France?|en"})
    void unknownQuestionsGetTheFallbackAndAHuman(String question, String lang) throws Exception {
        try (ChatTestClient c = open()) {
            JsonObject r = c.ask("oos", question);
            assertEquals("fallback", r.getString("source"), r.encode());
            assertEquals("out_of_scope", r.getString("intent"));
            assertTrue(r.getBoolean("handoffOffered"));
            assertTrue(r.getDouble("confidence") < 0.5);
            assertEquals(lang, r.getString("language"));
        }
    }

    @Test
    void productQuestionsAnswerFromTheCatalogue() throws Exception {
        try (ChatTestClient c = open()) {
            JsonObject r = c.ask("p1", "经典系带真皮皮鞋有什么颜色");
            assertEquals("product", r.getString("source"), r.encode());
            assertEquals("SH-LS-001", r.getString("ref"));
            assertTrue(r.getString("text").contains("棕色") && r.getString("text").contains("黑色"), r.getString("text"));
        }
    }

    @Test
    void aConversationResumesWithItsHistory() throws Exception {
        String id;
        try (ChatTestClient c = open()) {
            id = c.welcome.getString("conversationId");
            assertEquals("reply", c.ask("r1", "包邮吗").getString("type"));
        }
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo&conversation=" + id)) {
            assertEquals(id, c.welcome.getString("conversationId"));
            assertTrue(c.welcome.getBoolean("resumed"));
            JsonArray history = c.welcome.getJsonArray("history");
            assertEquals(2, history.size());
            assertEquals("包邮吗", history.getJsonObject(0).getString("text"));
            assertEquals("bot", history.getJsonObject(1).getString("role"));
            // the resumed conversation goes on
            assertEquals("reply", c.ask("r2", "Do you ship abroad?").getString("type"));
        }
    }

    @Test
    void anUnknownOrForeignConversationIdStartsAFreshOne() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo&conversation=no-such-conversation")) {
            assertFalse(c.welcome.getBoolean("resumed"));
            assertNotEquals("no-such-conversation", c.welcome.getString("conversationId"));
        }
    }

    @Test
    void aRepeatedMessageIdIsAnsweredOnce() throws Exception {
        String conversation;
        try (ChatTestClient c = open()) {
            conversation = c.welcome.getString("conversationId");
            // sent twice back to back: processed once; the second copy gets nothing or the same reply again
            c.message("dup", "什么时候发货");
            c.message("dup", "什么时候发货");
            JsonObject first = c.await(f -> "dup".equals(f.getString("replyTo")));
            assertEquals("reply", first.getString("type"));
            JsonObject second = c.poll(1000);
            if (second != null) {
                assertTrue(second.getBoolean("duplicate"), second.encode());
                assertEquals(first.getString("text"), second.getString("text"));
            }
            // sent again later (a client retrying after a lost reply): the same reply, marked duplicate
            c.message("dup", "这次的文字不同也不会重新处理");
            JsonObject again = c.await(f -> "dup".equals(f.getString("replyTo")));
            assertTrue(again.getBoolean("duplicate"));
            assertEquals(first.getString("text"), again.getString("text"));
            assertEquals(first.getString("intent"), again.getString("intent"));
        }
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo&conversation=" + conversation)) {
            assertEquals(2, c.welcome.getJsonArray("history").size(), "one shopper turn and one reply");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json|`{this is not json`|bad_json",
            "json array|`[1,2,3]`|bad_json",
            "unknown type|`{\"type\":\"dance\",\"id\":\"x1\"}`|unknown_type",
            "no type|`{\"id\":\"x2\",\"text\":\"hi\"}`|unknown_type",
            "missing text|`{\"type\":\"message\",\"id\":\"x3\"}`|empty_text",
            "blank text|`{\"type\":\"message\",\"id\":\"x4\",\"text\":\"   \"}`|empty_text",
            "text not a string|`{\"type\":\"message\",\"id\":\"x5\",\"text\":42}`|empty_text",
            "id not a string|`{\"type\":\"message\",\"id\":7,\"text\":\"hi\"}`|bad_id",
    })
    void badFramesGetAnErrorAndTheConnectionGoesOn(String name, String frame, String code) throws Exception {
        try (ChatTestClient c = open()) {
            c.sendText(frame);
            JsonObject e = c.next();
            assertEquals("error", e.getString("type"), e.encode());
            assertEquals(code, e.getString("code"));
            assertFalse(e.getString("message").isBlank());
            assertEquals("reply", c.ask("after", "包邮吗").getString("type"), "the connection still serves");
        }
    }

    @Test
    void textOverTheLimitIsRefused() throws Exception {
        try (ChatTestClient c = open()) {
            JsonObject e = c.ask("long", "鞋".repeat(2001));
            assertEquals("error", e.getString("type"));
            assertEquals("text_too_long", e.getString("code"));
            assertEquals("reply", c.ask("ok", "鞋".repeat(5) + "包邮吗").getString("type"));
        }
    }

    @Test
    void binaryFramesAreRefused() throws Exception {
        try (ChatTestClient c = open()) {
            c.sendBinary(new byte[]{1, 2, 3});
            JsonObject e = c.next();
            assertEquals("binary_not_supported", e.getString("code"));
            assertEquals("reply", c.ask("ok", "Do you ship abroad?").getString("type"));
        }
    }

    @Test
    void framesOver64KiBCloseWithMessageTooBigAndOthersAreServed() throws Exception {
        try (ChatTestClient other = open()) {
            try (ChatTestClient c = open()) {
                c.sendText(new JsonObject().put("type", "message").put("id", "huge").put("text", "x".repeat(70_000)).encode());
                assertEquals(1009, c.awaitClose());
            }
            assertEquals("reply", other.ask("ok", "包邮吗").getString("type"));
            // fragmented: each frame small, the message too big
            try (ChatTestClient c = open()) {
                c.sendFragmented("{\"type\":\"message\",\"id\":\"frag\",\"text\":\"" + "y".repeat(80_000) + "\"}", 16_000);
                assertEquals(1009, c.awaitClose());
            }
            // far beyond what the transport reads: the connection is dropped, the node goes on
            try (ChatTestClient c = open()) {
                c.sendText("z".repeat(600_000));
                short code = c.awaitClose();
                assertTrue(code == 1009 || code == 1006, "closed, code " + code);
            }
            assertEquals("reply", other.ask("ok2", "Do you ship abroad?").getString("type"));
        }
    }

    @Test
    void aFragmentedMessageUnderTheLimitIsReassembled() throws Exception {
        try (ChatTestClient c = open()) {
            c.sendFragmented("{\"type\":\"message\",\"id\":\"frag-ok\",\"text\":\"什么时候发货\"}", 7);
            JsonObject r = c.await(f -> "frag-ok".equals(f.getString("replyTo")));
            assertEquals("shipping-time", r.getString("intent"), r.encode());
        }
    }

    @Test
    void unknownAndMissingMerchantsAreRefused() throws Exception {
        try (ChatTestClient c = ChatTestClient.connect(client, gateway.port(), "merchant=nobody")) {
            JsonObject e = c.next();
            assertEquals("unknown_merchant", e.getString("code"));
            assertEquals(1008, c.awaitClose());
        }
        try (ChatTestClient c = ChatTestClient.connect(client, gateway.port(), null)) {
            assertEquals("missing_merchant", c.next().getString("code"));
            assertEquals(1008, c.awaitClose());
        }
    }

    @Test
    void aFloodIsRateLimitedAndTheConnectionSurvives() throws Exception {
        try (ChatTestClient c = open()) {
            int n = 40;
            for (int i = 0; i < n; i++) {
                c.message("f" + i, "包邮吗");
            }
            int replies = 0, limited = 0;
            for (int i = 0; i < n; i++) {
                JsonObject f = c.next();
                if ("reply".equals(f.getString("type"))) {
                    replies++;
                } else if ("rate_limited".equals(f.getString("code"))) {
                    limited++;
                    assertTrue(f.getLong("retryAfterMs") >= 0);
                }
            }
            assertEquals(n, replies + limited, "every message gets one answer");
            assertTrue(limited >= n - 15, "most of a 40-message burst is refused, got " + limited);
            assertTrue(replies >= 10, "the burst allowance is served, got " + replies);
            Thread.sleep(1000);
            assertEquals("reply", c.ask("later", "包邮吗").getString("type"));
        }
    }

    @Test
    void pingGetsPong() throws Exception {
        try (ChatTestClient c = open()) {
            c.sendText("{\"type\":\"ping\"}");
            assertEquals("pong", c.next().getString("type"));
        }
    }

    @Test
    void healthAndMetricsEndpoints() throws Exception {
        HttpClient http = client.createHttpClient();
        assertEquals(200, get(http, "/health/live").statusCode());
        HttpClientResponse ready = get(http, "/health/ready");
        assertEquals(200, ready.statusCode());
        try (ChatTestClient c = open()) {
            c.ask("m", "包邮吗");
            String metrics = body(http, "/metrics");
            assertTrue(metrics.contains("nectar_connections_open"), metrics);
            assertTrue(metrics.contains("nectar_messages_in_total"));
            assertTrue(metrics.contains("nectar_reply_latency_seconds_bucket"));
            assertTrue(metrics.contains("nectar_errors_total{code=\"bad_json\"}"));
        }
        String page = body(http, "/");
        assertTrue(page.contains("/widget.js") && page.contains("data-mode=\"page\""), "the chat page is served at /");
        assertEquals("demo", new JsonObject(body(http, "/api/chat-config")).getString("defaultMerchant"));
    }

    @Test
    void otherWebSocketPathsAreRejected() {
        Exception e = null;
        try {
            client.createWebSocketClient().connect(gateway.port(), "localhost", "/ws/other")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception x) {
            e = x;
        }
        assertNotNull(e, "handshake on an unknown path must fail");
    }

    private static HttpClientResponse get(HttpClient http, String path) throws Exception {
        return http.request(HttpMethod.GET, gateway.port(), "localhost", path)
                .compose(r -> r.send().compose(resp -> resp.body().map(b -> resp))) // read whole: the pooled connection is reused
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String body(HttpClient http, String path) throws Exception {
        return http.request(HttpMethod.GET, gateway.port(), "localhost", path)
                .compose(r -> r.send().compose(HttpClientResponse::body)).map(Object::toString)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
