package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the chat widget needs from a gateway, over real HTTP and WebSocket: {@code /widget.js} and the
 * store's configuration and media for pages of other origins, the favicon, the welcome's brand, names
 * and time to live, cards and quick replies in replies, and the per-store origin fence.
 */
class WidgetEndpointsTest {

    static final String SHOP = "https://shop.example";
    @TempDir
    static Path stores;
    static Gateway gateway;
    static Vertx vertx;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        Path demo = TestStores.copyDemo(stores);
        Path fenced = TestStores.write(stores, "fenced", Map.of(
                "store.yaml", "languages: [en]\nallowedOrigins: [\"" + SHOP + "\", \"http://localhost:3000/\"]\n",
                "faq.jsonl", "{\"id\":\"hours\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\"],"
                        + "\"answer\":\"Nine to five.\",\"lang\":\"en\"}\n"));
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(demo, fenced)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    record Response(int status, io.vertx.core.MultiMap headers, Buffer body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    static Response get(String path, String origin) throws Exception {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost").setPort(gateway.port()).setURI(path);
        if (origin != null) {
            o.addHeader("Origin", origin);
        }
        return http.request(o).compose(r -> r.send().compose(res -> res.body()
                        .map(b -> new Response(res.statusCode(), res.headers(), b))))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void widgetScriptIsServedToPagesOfAnyOrigin() throws Exception {
        Response r = get("/widget.js", SHOP);
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").contains("javascript"), r.header("content-type"));
        assertEquals("*", r.header("access-control-allow-origin"));
        assertTrue(r.header("cache-control").contains("max-age=300"), r.header("cache-control"));
        assertTrue(r.body().toString().contains("attachShadow"));
    }

    @Test
    void faviconIsAnIcon() throws Exception {
        Response r = get("/favicon.ico", null);
        assertEquals(200, r.status());
        assertTrue(r.header("content-type").startsWith("image/"), r.header("content-type"));
        byte[] b = r.body().getBytes();
        assertTrue(b.length > 22 && b[0] == 0 && b[1] == 0 && b[2] == 1 && b[3] == 0, "an ICO header");
    }

    @Test
    void chatConfigDescribesTheStoreForOtherOrigins() throws Exception {
        Response r = get("/api/chat-config?merchant=demo", SHOP);
        assertEquals(200, r.status());
        assertEquals("*", r.header("access-control-allow-origin"));
        JsonObject c = r.json();
        assertEquals("demo", c.getString("merchant"));
        assertEquals(true, c.getBoolean("ready"));
        assertEquals("#e8590c", c.getJsonObject("brand").getString("color"));
        assertEquals("/media/demo/logo.svg", c.getJsonObject("brand").getString("logo"));
        assertEquals("步履鞋服旗舰店", c.getJsonObject("storeNames").getString("zh"));
        assertEquals("Stride Shoes & Apparel", c.getJsonObject("storeNames").getString("en"));
        assertTrue(c.getJsonObject("greetings").getString("en").startsWith("Hi, welcome"));
        assertEquals(new JsonArray(List.of("zh", "en")), c.getJsonArray("languages"));
        assertEquals("zh", c.getString("defaultLanguage"));
        assertEquals(1800L, c.getLong("conversationTtlSeconds"));
        assertEquals(2000, c.getJsonObject("limits").getInteger("maxTextChars"));
        assertEquals(true, c.getBoolean("originAllowed"));

        Response unknown = get("/api/chat-config?merchant=nope", SHOP);
        assertEquals(404, unknown.status());
        assertEquals("*", unknown.header("access-control-allow-origin"));
        assertEquals("unknown_merchant", unknown.json().getString("error"));

        assertEquals(false, get("/api/chat-config?merchant=fenced", "http://evil.example").json().getBoolean("originAllowed"));
        assertEquals(true, get("/api/chat-config?merchant=fenced", SHOP).json().getBoolean("originAllowed"));
        assertEquals(true, get("/api/chat-config?merchant=fenced", "http://localhost:3000").json().getBoolean("originAllowed"),
                "a listed origin written with a trailing slash");
        assertEquals("demo", get("/api/chat-config", null).json().getString("merchant"), "no merchant: the default store");
    }

    @Test
    void mediaFilesAreServedFromMemoryAndNothingElse() throws Exception {
        Response logo = get("/media/demo/logo.svg", SHOP);
        assertEquals(200, logo.status());
        assertEquals("image/svg+xml", logo.header("content-type"));
        assertEquals("*", logo.header("access-control-allow-origin"));
        assertEquals("nosniff", logo.header("x-content-type-options"));
        assertTrue(logo.header("content-security-policy").contains("sandbox"));
        assertTrue(logo.body().toString(StandardCharsets.UTF_8).startsWith("<svg"));
        assertEquals(200, get("/media/demo/products/oxford.svg", null).status());
        assertEquals(404, get("/media/demo/store.yaml", null).status(), "only media files the store names");
        assertEquals(404, get("/media/demo/../store.yaml", null).status());
        assertEquals(404, get("/media/demo/%2e%2e/store.yaml", null).status());
        assertEquals(404, get("/media/fenced/logo.svg", null).status(), "another merchant's media are not this one's");
        assertEquals(404, get("/media/nope/logo.svg", null).status());
    }

    @Test
    void welcomeCarriesBrandNamesTimeToLiveAndTheRequestedLanguage() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo&lang=en")) {
            JsonObject w = c.welcome;
            assertEquals("en", w.getString("language"));
            assertEquals("Stride Shoes & Apparel", w.getString("storeName"));
            assertTrue(w.getString("greeting").startsWith("Hi, welcome"), w.getString("greeting"));
            assertEquals("步履鞋服旗舰店", w.getJsonObject("storeNames").getString("zh"));
            assertEquals("#e8590c", w.getJsonObject("brand").getString("color"));
            assertEquals(1800L, w.getLong("conversationTtlSeconds"));
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo&lang=fr")) {
            assertEquals("zh", c.welcome.getString("language"), "a language the store does not serve: its default");
        }
        String id;
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo&lang=zh")) {
            id = c.welcome.getString("conversationId");
            assertEquals("en", c.ask("1", "Do you ship abroad?").getString("language"));
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo&lang=zh&conversation=" + id)) {
            assertEquals(true, c.welcome.getBoolean("resumed"));
            assertEquals("en", c.welcome.getString("language"), "a conversation keeps the language the shopper wrote in");
        }
    }

    @Test
    void productAndPromotionAnswersCarryCards() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            JsonObject r = c.ask("p", "经典系带真皮皮鞋有什么颜色");
            assertEquals("product", r.getString("source"), r.encode());
            JsonObject card = r.getJsonArray("cards").getJsonObject(0);
            assertEquals("product", card.getString("type"));
            assertEquals("SH-LS-001", card.getString("sku"));
            assertEquals("经典系带真皮皮鞋", card.getString("title"));
            assertEquals("¥459.00", card.getString("price"));
            assertEquals("459.00", card.getString("amount"));
            assertEquals("/media/demo/products/oxford.svg", card.getString("image"));
            assertEquals("https://stride-demo.example/products/sh-ls-001", card.getString("url"));
            JsonArray stock = card.getJsonArray("stock");
            assertEquals(List.of("red", "brown", "black"), stock.stream().map(s -> ((JsonObject) s).getString("color")).toList());
            JsonObject red = stock.getJsonObject(0);
            assertEquals("红色", red.getString("name"));
            assertEquals(false, red.getBoolean("inStock"));
            assertEquals(List.of(), red.getJsonArray("sizes").getList());
            assertEquals(List.of("39", "40", "41", "42", "43", "44"), red.getJsonArray("soldOut").getList());
            assertEquals(List.of("39", "40", "41", "42", "43", "44"), stock.getJsonObject(2).getJsonArray("sizes").getList());

            JsonObject en = c.ask("p2", "Tell me about the Classic Leather Oxford Shoes");
            JsonObject oxford = en.getJsonArray("cards").getJsonObject(0);
            assertEquals("Classic Leather Oxford Shoes", oxford.getString("title"), en.encode());
            assertEquals("brown", oxford.getJsonArray("stock").getJsonObject(1).getString("color"));
            assertEquals(List.of("42"), oxford.getJsonArray("stock").getJsonObject(1).getJsonArray("soldOut").getList());
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            JsonObject r = c.ask("q", "满300减40的活动是怎么回事");
            assertEquals("promotion", r.getString("source"), r.encode());
            JsonObject card = r.getJsonArray("cards").getJsonObject(0);
            assertEquals("promotion", card.getString("type"));
            assertEquals("spend-300-save-40", card.getString("id"));
            assertEquals("满300减40", card.getString("name"));
            assertEquals("2026-11-30", card.getString("validTo"));
            assertEquals("threshold_discount", card.getString("kind"));
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            assertNull(c.ask("f", "什么时候发货").getJsonArray("cards"), "an FAQ answer has no card");
        }
    }

    @Test
    void repliesOfferQuickRepliesInTheShoppersLanguage() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            JsonObject accept = c.ask("1", "我的订单DX1001到哪了");
            assertEquals(List.of("好的", "不用"), labels(accept), accept.encode());
            JsonObject confirm = c.ask("2", "给我换个棕色的……不，黑色的吧");
            assertEquals("confirm", confirm.getJsonObject("flow").getString("step"), confirm.encode());
            assertEquals(List.of("确认", "取消"), labels(confirm));
            assertEquals("算了", confirm.getJsonArray("quickReplies").getJsonObject(1).getString("text"));
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            JsonObject r = c.ask("1", "Where is my order DX1001?");
            assertEquals(List.of("Yes", "No"), labels(r), r.encode());
        }
        try (ChatTestClient c = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            JsonObject fallback = c.ask("1", "what is the airspeed velocity of an unladen swallow");
            assertEquals("fallback", fallback.getString("source"), fallback.encode());
            JsonArray quick = fallback.getJsonArray("quickReplies");
            JsonObject human = quick.getJsonObject(quick.size() - 1);
            assertEquals("Talk to a person", human.getString("label"));
            assertTrue(fallback.getBoolean("handoffOffered"), "the older field stays for existing clients");
        }
    }

    @Test
    void aStoreWithAllowedOriginsRefusesPagesOfOtherOrigins() throws Exception {
        try (ChatTestClient c = ChatTestClient.connect(vertx, gateway.port(), "merchant=fenced", "http://evil.example")) {
            JsonObject e = c.next();
            assertEquals("origin_not_allowed", e.getString("code"), e.encode());
            assertEquals(1008, c.awaitClose());
        }
        try (ChatTestClient c = ChatTestClient.connect(vertx, gateway.port(), "merchant=fenced", SHOP)) {
            assertEquals("welcome", c.next().getString("type"));
        }
        try (ChatTestClient c = ChatTestClient.connect(vertx, gateway.port(), "merchant=fenced", null)) {
            assertEquals("welcome", c.next().getString("type"), "no Origin (an app): allowed");
        }
        try (ChatTestClient c = ChatTestClient.connect(vertx, gateway.port(), "merchant=fenced",
                "http://localhost:" + gateway.port())) {
            assertEquals("welcome", c.next().getString("type"), "the gateway's own page");
        }
        try (ChatTestClient c = ChatTestClient.connect(vertx, gateway.port(), "merchant=demo", "http://evil.example")) {
            assertEquals("welcome", c.next().getString("type"), "a store without a list: any origin");
        }
    }

    private static List<String> labels(JsonObject reply) {
        JsonArray q = reply.getJsonArray("quickReplies");
        assertNotNull(q, reply.encode());
        assertFalse(q.isEmpty());
        return q.stream().map(o -> ((JsonObject) o).getString("label")).toList();
    }

    @Test
    void aClientOfferingHttp2InClearTextIsAnsweredOverHttp11() throws Exception {
        // Java's HttpClient prefers HTTP/2 and asks to upgrade (Upgrade: h2c); the node answers in HTTP/1.1,
        // whole, every time (the upgraded stream hung once on a large /metrics reply)
        var client = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, client.version());
        for (int i = 0; i < 3; i++) {
            var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                    .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, r.version());
            assertTrue(r.body().contains("nectar_connections_open ") && r.body().contains("process_cpu_usage "), "the whole reply");
        }
    }
}
