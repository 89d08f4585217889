package io.nectar.gateway;

import io.nectar.gateway.merchant.ApiKeys;
import io.nectar.gateway.support.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merchant REST API of an embedded node (no PostgreSQL: edits live in the node's memory), over real
 * HTTP, with the answers checked over a real WebSocket: keys and tenancy, validation, and an FAQ entry
 * created, edited and deleted while shoppers chat.
 */
class MerchantApiTest {

    static final String DEMO_KEY = "demo-merchant-key-change-me";
    static final String TEA_KEY = "tea-house-merchant-key-0123456789";
    static Path dir;
    static Gateway gateway;
    static Vertx client;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("merchant-api");
        Path demo = Files.createDirectory(dir.resolve("demo"));
        io.nectar.gateway.support.Stores.copyDemo(demo);
        Path tea = Files.createDirectory(dir.resolve("tea-house"));
        Files.writeString(tea.resolve("store.yaml"), "languages: [en]\napiKeySha256: " + ApiKeys.hash(TEA_KEY) + "\n");
        Files.writeString(tea.resolve("faq.jsonl"), String.join("\n",
                "{\"id\":\"opening\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\",\"what time do you open\"],\"answer\":\"Every day from 8 to 20.\",\"lang\":\"en\"}",
                "{\"id\":\"delivery\",\"question\":\"Do you deliver?\",\"paraphrases\":[\"home delivery\",\"do you ship to my address\"],\"answer\":\"Yes, within the city.\",\"lang\":\"en\"}"));
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(demo, tea))
                        .withDataDir(Path.of(System.getenv().getOrDefault("NECTAR_DATA_DIR", "target/data"))))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        client = Vertx.vertx();
        http = new Http(client);
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static int port() {
        return gateway.port();
    }

    @Test
    void aKeyIsRequiredAndOpensOnlyItsMerchant() throws Exception {
        Http.Response none = http.get(port(), "/api/merchant/faq", null);
        assertEquals(401, none.status(), none.toString());
        assertTrue(none.authenticate().startsWith("Bearer"), none.authenticate());
        assertEquals(401, http.call(HttpMethod.GET, port(), "/api/merchant/faq", null, null).status());
        assertEquals(403, http.get(port(), "/api/merchant/faq", "not-a-key").status());
        assertEquals(403, http.get(port(), "/api/merchant/faq?merchant=tea-house", DEMO_KEY).status());
        assertEquals(403, http.put(port(), "/api/merchant/faq/x?merchant=demo", TEA_KEY,
                new JsonObject().put("lang", "en").put("question", "q").put("answer", "a")).status());

        Http.Response demo = http.get(port(), "/api/merchant/faq", DEMO_KEY);
        assertEquals(200, demo.status(), demo.toString());
        assertEquals("demo", demo.json().getString("merchant"));
        assertTrue(demo.json().getJsonArray("faq").size() >= 49);
        Http.Response tea = http.get(port(), "/api/merchant/faq", TEA_KEY);
        assertEquals("tea-house", tea.json().getString("merchant"));
        assertEquals(2, tea.json().getJsonArray("faq").size());
        assertEquals(29, http.get(port(), "/api/merchant/products", DEMO_KEY).json().getJsonArray("products").size());
        assertEquals("SH-LS-001", http.get(port(), "/api/merchant/products/SH-LS-001", DEMO_KEY).json().getString("sku"));
        assertEquals(404, http.get(port(), "/api/merchant/products/SH-LS-001", TEA_KEY).status(), "not the tea house's product");
    }

    @Test
    void oneMerchantsKeyNeverChangesAnothersData() throws Exception {
        String before = http.get(port(), "/api/merchant/faq/free-shipping", DEMO_KEY).text();
        // the tea house writes an entry with one of the demo store's ids: it lands in its own store only
        Http.Response put = http.put(port(), "/api/merchant/faq/free-shipping", TEA_KEY,
                new JsonObject().put("lang", "en").put("question", "Is delivery free?").put("answer", "Tea house: free over 50."));
        assertEquals(201, put.status(), put.toString());
        assertEquals("tea-house", put.json().getString("merchant"));
        assertEquals(before, http.get(port(), "/api/merchant/faq/free-shipping", DEMO_KEY).text());
        assertEquals(404, http.delete(port(), "/api/merchant/faq/track-order", TEA_KEY).status());
        assertEquals(404, http.delete(port(), "/api/merchant/products/SH-LS-001", TEA_KEY).status());
        assertEquals(200, http.get(port(), "/api/merchant/products/SH-LS-001", DEMO_KEY).status());
        assertEquals(200, http.delete(port(), "/api/merchant/faq/free-shipping", TEA_KEY).status());
        assertEquals(before, http.get(port(), "/api/merchant/faq/free-shipping", DEMO_KEY).text());
    }

    @Test
    void badRequestsSayWhatIsWrong() throws Exception {
        assertError(400, "not valid JSON", http.call(HttpMethod.PUT, port(), "/api/merchant/faq/x", DEMO_KEY, "{\"lang\":"));
        assertError(400, "one JSON object", http.call(HttpMethod.PUT, port(), "/api/merchant/faq/x", DEMO_KEY, "[1,2]"));
        assertError(400, "one JSON object", http.call(HttpMethod.PUT, port(), "/api/merchant/faq/x", DEMO_KEY, ""));
        assertError(400, "'lang' is required", http.put(port(), "/api/merchant/faq/x", DEMO_KEY,
                new JsonObject().put("question", "q").put("answer", "a")));
        assertError(400, "'lang' is 'fr'", http.put(port(), "/api/merchant/faq/x", DEMO_KEY,
                new JsonObject().put("lang", "fr").put("question", "q").put("answer", "a")));
        assertError(400, "unknown field 'anwser'", http.put(port(), "/api/merchant/faq/x", DEMO_KEY,
                new JsonObject().put("lang", "en").put("question", "q").put("anwser", "a")));
        assertError(400, "'price' must not be negative", http.put(port(), "/api/merchant/products/SK-1", DEMO_KEY,
                new JsonObject().put("title", new JsonObject().put("en", "Socks")).put("price", -3)));
        assertError(404, "use /api/merchant/faq", http.get(port(), "/api/merchant/orders", DEMO_KEY));
        assertError(404, "no FAQ entry 'nope'", http.delete(port(), "/api/merchant/faq/nope", DEMO_KEY));
        assertError(404, "has no language 'fr'", http.delete(port(), "/api/merchant/faq/shipping-time?lang=fr", DEMO_KEY));
        // a flow of the demo store starts from "track-order": deleting it is refused and changes nothing
        assertError(409, "track-order", http.delete(port(), "/api/merchant/faq/track-order", DEMO_KEY));
        assertEquals(200, http.get(port(), "/api/merchant/faq/track-order", DEMO_KEY).status());
        Http.Response big = http.call(HttpMethod.PUT, port(), "/api/merchant/faq/x", DEMO_KEY,
                new JsonObject().put("lang", "en").put("question", "q").put("answer", "a".repeat(300_000)).encode());
        assertEquals(413, big.status());
    }

    private static void assertError(int status, String says, Http.Response r) {
        assertEquals(status, r.status(), r.toString());
        assertTrue(r.json().getString("error").contains(says), r.json().getString("error") + " should say " + says);
    }

    @Test
    void ordersAndRemindersSayTheyNeedPostgreSqlOnANodeWithout() throws Exception {
        // this node keeps everything in memory: the order endpoints answer 503 with the reason, after the key
        assertEquals(401, http.call(HttpMethod.POST, port(), "/api/merchant/order-events", null, "{}").status());
        assertEquals(403, http.call(HttpMethod.GET, port(), "/api/merchant/reminders", "not-a-key", null).status());
        assertError(503, "order events need PostgreSQL", http.call(HttpMethod.POST, port(), "/api/merchant/order-events", DEMO_KEY,
                "{\"type\":\"order_created\",\"orderId\":\"A1\"}"));
        assertError(503, "reminders need PostgreSQL", http.call(HttpMethod.GET, port(), "/api/merchant/reminders", DEMO_KEY, null));
        assertError(503, "reminders need PostgreSQL", http.call(HttpMethod.POST, port(), "/api/merchant/reminders/A1/stop", TEA_KEY, ""));
    }

    @Test
    void anFaqEntryIsAnsweredAsSoonAsItIsPutAndNeverOnceItIsDeleted() throws Exception {
        try (ChatTestClient before = ChatTestClient.open(client, port(), "merchant=tea-house")) {
            JsonObject r0 = before.ask("q0", "Can I bring my dog inside?");
            assertNotEquals("dogs", r0.getString("ref"));

            Http.Response put = http.put(port(), "/api/merchant/faq/dogs", TEA_KEY, new JsonObject().put("lang", "en")
                    .put("question", "Are dogs allowed?").put("paraphrases", new JsonArray().add("can I bring my dog").add("are pets welcome"))
                    .put("answer", "Dogs are welcome on the terrace."));
            assertEquals(201, put.status(), put.toString());
            assertTrue(put.json().getLong("version") > 1);

            // a connection opened before the change and a new one both get it
            JsonObject r1 = before.ask("q1", "Can I bring my dog inside?");
            assertEquals("dogs", r1.getString("ref"), r1.encode());
            assertEquals("Dogs are welcome on the terrace.", r1.getString("text"));
            try (ChatTestClient after = ChatTestClient.open(client, port(), "merchant=tea-house")) {
                assertEquals("dogs", after.ask("a1", "are pets welcome here?").getString("ref"));
            }

            Http.Response edit = http.put(port(), "/api/merchant/faq/dogs", TEA_KEY, new JsonObject().put("lang", "en")
                    .put("question", "Are dogs allowed?").put("paraphrases", new JsonArray().add("can I bring my dog").add("are pets welcome"))
                    .put("answer", "Dogs are welcome everywhere."));
            assertEquals(200, edit.status());
            assertFalse(edit.json().getBoolean("created"));
            assertEquals("Dogs are welcome everywhere.", before.ask("q2", "Can I bring my dog inside?").getString("text"));

            assertEquals(200, http.delete(port(), "/api/merchant/faq/dogs", TEA_KEY).status());
            JsonObject r3 = before.ask("q3", "Can I bring my dog inside?");
            assertNotEquals("dogs", r3.getString("ref"), r3.encode());
            assertNotEquals("Dogs are welcome everywhere.", r3.getString("text"));
            assertEquals(404, http.get(port(), "/api/merchant/faq/dogs", TEA_KEY).status());
        }
    }
    @Test
    void theStoreCheckReportsWhatAMerchantCanFixAndOnlyForItsOwnStore() throws Exception {
        assertEquals(401, http.get(port(), "/api/merchant/check", null).status());
        assertEquals(403, http.get(port(), "/api/merchant/check?merchant=demo", TEA_KEY).status());
        Http.Response tea = http.get(port(), "/api/merchant/check", TEA_KEY);
        assertEquals(200, tea.status(), tea.toString());
        JsonObject report = tea.json();
        assertEquals("tea-house", report.getString("merchant"));
        // English only: the built-in small talk's Chinese is the gateway's, nothing of the merchant's to check
        JsonArray languages = report.getJsonArray("languages");
        assertEquals(1, languages.size(), report.encode());
        JsonObject en = languages.getJsonObject(0);
        assertEquals("en", en.getString("language"));
        // both entries have three phrasings: each is named with the number to add
        assertEquals(List.of("faq:opening", "faq:delivery"), en.getJsonArray("thin").stream()
                .map(t -> ((JsonObject) t).getString("entry")).toList(), en.encode());
        assertEquals(2, en.getJsonArray("thin").getJsonObject(0).getInteger("add"));
        for (Object c : en.getJsonArray("confusions")) {
            JsonObject pair = (JsonObject) c;
            assertFalse(pair.getString("a").startsWith("faq:smalltalk-") && pair.getString("b").startsWith("faq:smalltalk-"),
                    "two built-in small-talk entries are not the merchant's to fix: " + pair.encode());
        }
        assertTrue(report.getString("text").contains("too few phrasings: faq:opening has 3"), report.getString("text"));
        // the demo store: both languages, with the entries its held-out phrasings mix up
        Http.Response demo = http.get(port(), "/api/merchant/check", DEMO_KEY);
        assertEquals(200, demo.status(), demo.toString());
        JsonArray demoLanguages = demo.json().getJsonArray("languages");
        List<String> codes = new java.util.ArrayList<>();
        demoLanguages.forEach(l -> codes.add(((JsonObject) l).getString("language")));
        assertTrue(codes.containsAll(List.of("zh", "en")), codes.toString());
        for (Object l : demoLanguages) {
            JsonObject lang = (JsonObject) l;
            assertTrue(lang.getDouble("heldOutRight") > 0.3 && lang.getDouble("heldOutRight") <= 1.0, lang.encode());
            // what the precision leaves, and the rule that gives it: a threshold and the out-of-scope veto (or none)
            JsonObject precision = lang.getJsonObject("precision");
            assertTrue(precision.getDouble("threshold") >= 0 && precision.getDouble("threshold") <= 1, precision.encode());
            assertTrue(precision.containsKey("outOfScopeVeto"), precision.encode());
            assertFalse(lang.getJsonArray("confusions").isEmpty(), "held-out phrasings of the demo store are misread somewhere: " + lang.encode());
            assertTrue(lang.getJsonArray("confusions").getJsonObject(0).getInteger("misread") > 0);
            // an FAQ entry and the flow it starts are the same outcome: not listed, though the head mixes them up
            for (Object c : lang.getJsonArray("confusions")) {
                JsonObject pair = (JsonObject) c;
                for (String id : List.of("stock-check", "change-address")) {
                    assertFalse(List.of(pair.getString("a"), pair.getString("b")).containsAll(List.of("faq:" + id, "flow:" + id)),
                            pair.encode());
                }
            }
        }
        // the report is kept while the store is unchanged: asked again, the same check
        assertEquals(demo.json().getString("checkedAt"), http.get(port(), "/api/merchant/check", DEMO_KEY).json().getString("checkedAt"));
    }
}
