package io.nectar.gateway.merchant;

import io.nectar.gateway.merchant.MerchantKnowledge.EditRejected;
import io.nectar.gateway.store.ClasspathStoreSource;
import io.nectar.gateway.store.DirectoryStoreSource;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nectar.gateway.support.Stores.assertSameStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store as documents (what PostgreSQL keeps and the merchant API edits) makes the same store as its files. */
class StoreDocumentsTest {

    @Test
    void theDemoStoreMadeFromDocumentsEqualsTheOneReadFromItsFiles() {
        Store files = ClasspathStoreSource.DEMO.load().get(0);
        StoreDocuments docs = StoreFiles.demo();
        assertSameStore(files, docs.toStore());
        assertEquals(49, docs.items(StoreDocuments.Kind.FAQ).size());
        assertEquals(29, docs.items(StoreDocuments.Kind.PRODUCT).size());
        assertEquals(3, docs.items(StoreDocuments.Kind.OFFER).size());
        assertEquals(files.flows().flows().size(), docs.items(StoreDocuments.Kind.FLOW).size());
        assertNotNull(docs.item(StoreDocuments.Kind.DOCUMENT, StoreDocuments.FLOW_CONFIG));
        assertNotNull(docs.item(StoreDocuments.Kind.DOCUMENT, StoreDocuments.BACKEND));
        assertEquals(ApiKeys.hash("demo-merchant-key-change-me"), docs.apiKeyHash(), "the README's demo key");
        // through JSON text and back (as PostgreSQL's jsonb hands it over)
        StoreDocuments copy = StoreDocuments.of(docs.merchantId(), new JsonObject(docs.settings().encode()), java.util.Map.of(
                StoreDocuments.Kind.FAQ, reparse(docs, StoreDocuments.Kind.FAQ, "id"),
                StoreDocuments.Kind.PRODUCT, reparse(docs, StoreDocuments.Kind.PRODUCT, "sku"),
                StoreDocuments.Kind.PROMOTION, reparse(docs, StoreDocuments.Kind.PROMOTION, "id"),
                StoreDocuments.Kind.OFFER, reparse(docs, StoreDocuments.Kind.OFFER, "id"),
                StoreDocuments.Kind.FLOW, reparse(docs, StoreDocuments.Kind.FLOW, "id"),
                StoreDocuments.Kind.DOCUMENT, documents(docs)));
        assertSameStore(files, copy.toStore());
    }

    /** The whole documents (flow settings, backend, media files) through JSON text and back. */
    private static java.util.Map<String, JsonObject> documents(StoreDocuments docs) {
        java.util.Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
        for (String id : docs.ids(StoreDocuments.Kind.DOCUMENT)) {
            out.put(id, new JsonObject(docs.item(StoreDocuments.Kind.DOCUMENT, id).encode()));
        }
        return out;
    }

    private static java.util.Map<String, JsonObject> reparse(StoreDocuments docs, StoreDocuments.Kind kind, String idField) {
        java.util.Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
        for (JsonObject j : docs.items(kind)) {
            out.put(j.getString(idField), new JsonObject(j.encode()));
        }
        return out;
    }

    @Test
    void faqJsonlLinesMergeIntoEntriesAsTheReaderMergesThem(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("tea"));
        Files.writeString(dir.resolve("store.yaml"), "languages: [en, zh]\nflows:\n");
        Files.writeString(dir.resolve("faq.yaml"), """
                - id: hours
                  questions: {en: ["When are you open?", opening hours]}
                  answer: {en: "9 to 5"}
                  tags: [info]
                """);
        Files.writeString(dir.resolve("faq.jsonl"), String.join("\n",
                "{\"id\":\"hours\",\"question\":\"几点开门\",\"paraphrases\":[\"营业时间\"],\"answer\":\"九点到五点\",\"lang\":\"zh\"}",
                "{\"id\":\"tea\",\"question\":\"Do you sell green tea?\",\"answer\":\"Yes: sencha / matcha, \\\"50%\\\" off\\ttoday #1 - ok: yes\",\"lang\":\"en\"}",
                "",
                "{\"id\":\"tea\",\"question\":\"有绿茶吗\",\"paraphrases\":\"卖绿茶吗\",\"answer\":\"有 🍵\",\"lang\":\"zh\"}"));
        Store files = new DirectoryStoreSource(dir).load().get(0);
        StoreDocuments docs = StoreFiles.directory(dir);
        assertSameStore(files, docs.toStore());
        JsonObject hours = docs.item(StoreDocuments.Kind.FAQ, "hours");
        assertEquals(new JsonArray().add("几点开门").add("营业时间"), hours.getJsonObject("questions").getJsonArray("zh"));
        assertEquals(new JsonArray().add("info"), hours.getJsonArray("tags"));
        assertEquals("Yes: sencha / matcha, \"50%\" off\ttoday #1 - ok: yes", docs.toStore().faq("tea").answer().get("en", null));
    }

    @Test
    void aBrokenStoreFailsAsItWouldFromItsFiles(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("bad"));
        Files.writeString(dir.resolve("faq.jsonl"), "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"a\"}");
        StoreException e = assertThrows(StoreException.class, () -> StoreFiles.directory(dir));
        assertTrue(e.getMessage().contains("faq.jsonl line 1: 'lang' is required"), e.getMessage());
        Files.writeString(dir.resolve("faq.jsonl"), "{\"id\":\"x\",\"question\":\"q\",\"answer\":\"a\",\"lang\":\"en\"}");
        Files.writeString(dir.resolve("store.yaml"), "apiKeySha256: not-a-hash\n");
        e = assertThrows(StoreException.class, () -> StoreFiles.directory(dir));
        assertTrue(e.getMessage().contains("'apiKeySha256' must be the SHA-256"), e.getMessage());
    }

    static Store demo() {
        return StoreFiles.demo().toStore();
    }

    @Test
    void aFaqEditAddsOrReplacesOneLanguage() {
        StoreDocuments docs = StoreFiles.demo();
        Store store = docs.toStore();
        JsonObject body = new JsonObject().put("id", "gift-wrap").put("lang", "en").put("question", "Do you gift wrap?")
                .put("paraphrases", new JsonArray().add("can you wrap it as a present")).put("answer", "Yes, for free.");
        MerchantEdits.Applied added = MerchantEdits.apply(docs, MerchantEdits.putFaq("gift-wrap", body, store));
        assertNull(added.before());
        FaqEntry e = added.store().faq("gift-wrap");
        assertEquals(List.of("Do you gift wrap?", "can you wrap it as a present"), e.questions().get("en"));

        JsonObject zh = new JsonObject().put("lang", "zh").put("question", "可以包装成礼物吗").put("answer", "可以，免费。");
        MerchantEdits.Applied both = MerchantEdits.apply(added.docs(), MerchantEdits.putFaq("gift-wrap", zh, store));
        assertEquals(List.of("en", "zh"), List.copyOf(both.store().faq("gift-wrap").questions().keySet()));

        // replacing one language of a demo entry keeps the other and its tags
        JsonObject shipping = new JsonObject().put("lang", "en").put("question", "When do you ship?").put("answer", "Today.");
        MerchantEdits.Applied replaced = MerchantEdits.apply(docs, MerchantEdits.putFaq("shipping-time", shipping, store));
        FaqEntry s = replaced.store().faq("shipping-time");
        assertEquals(List.of("When do you ship?"), s.questions().get("en"));
        assertEquals(store.faq("shipping-time").questions().get("zh"), s.questions().get("zh"));
        assertEquals(store.faq("shipping-time").tags(), s.tags());
        assertEquals("Today.", s.answer().get("en", null));

        MerchantEdits.Applied oneLanguageLess = MerchantEdits.apply(both.docs(), MerchantEdits.deleteFaq("gift-wrap", "en"));
        assertEquals(List.of("zh"), List.copyOf(oneLanguageLess.store().faq("gift-wrap").questions().keySet()));
        MerchantEdits.Applied gone = MerchantEdits.apply(oneLanguageLess.docs(), MerchantEdits.deleteFaq("gift-wrap", "zh"));
        assertNull(gone.store().faq("gift-wrap"));
        assertEquals(404, assertThrows(EditRejected.class,
                () -> MerchantEdits.apply(gone.docs(), MerchantEdits.deleteFaq("gift-wrap", null))).status());
    }

    @Test
    void badBodiesAreRefusedWithWhatIsWrong() {
        Store store = demo();
        JsonObject ok = new JsonObject().put("lang", "en").put("question", "q?").put("answer", "a.");
        assertBad("'lang' is required", () -> MerchantEdits.putFaq("x", ok.copy().put("lang", null), store));
        assertBad("'lang' is 'fr'; this store's languages are [zh, en]", () -> MerchantEdits.putFaq("x", ok.copy().put("lang", "fr"), store));
        assertBad("'question' is required", () -> MerchantEdits.putFaq("x", ok.copy().put("question", " "), store));
        assertBad("'answer' is required", () -> MerchantEdits.putFaq("x", ok.copy().put("answer", 42), store));
        assertBad("unknown field 'anwser'", () -> MerchantEdits.putFaq("x", ok.copy().put("anwser", "a"), store));
        assertBad("'id' in the body ('y') differs from the one in the path ('x')", () -> MerchantEdits.putFaq("x", ok.copy().put("id", "y"), store));
        assertBad("'paraphrases' must be a list of texts", () -> MerchantEdits.putFaq("x", ok.copy().put("paraphrases", "p"), store));
        assertBad("'paraphrases' item 2 must be a non-empty text", () -> MerchantEdits.putFaq("x",
                ok.copy().put("paraphrases", new JsonArray().add("p").add("")), store));
        assertBad("FAQ id must be", () -> MerchantEdits.putFaq("../x", ok, store));
        assertBad("'question' has 1001 characters", () -> MerchantEdits.putFaq("x", ok.copy().put("question", "q".repeat(1001)), store));

        JsonObject product = new JsonObject().put("title", new JsonObject().put("en", "Socks")).put("price", -1);
        assertBad("invalid product: ", () -> MerchantEdits.putItem(StoreDocuments.Kind.PRODUCT, "SK-1", product, store));
        assertBad("'price' must not be negative", () -> MerchantEdits.putItem(StoreDocuments.Kind.PRODUCT, "SK-1", product, store));
        assertBad("'title' has language 'de'", () -> MerchantEdits.putItem(StoreDocuments.Kind.PRODUCT, "SK-1",
                new JsonObject().put("title", new JsonObject().put("de", "Socken")), store));
        assertBad("'sku' in the body", () -> MerchantEdits.putItem(StoreDocuments.Kind.PRODUCT, "SK-1",
                new JsonObject().put("sku", "SK-2").put("title", new JsonObject().put("en", "Socks")), store));
        assertBad("'validTo' must be a date", () -> MerchantEdits.putItem(StoreDocuments.Kind.PROMOTION, "p1",
                new JsonObject().put("name", new JsonObject().put("en", "Sale")).put("validTo", "soon"), store));
        MerchantEdits.Applied p = MerchantEdits.apply(StoreFiles.demo(), MerchantEdits.putItem(StoreDocuments.Kind.PRODUCT, "SK-1",
                new JsonObject().put("title", new JsonObject().put("en", "Socks")).put("price", 9.5), store));
        assertEquals(0, new BigDecimal("9.5").compareTo(p.store().product("SK-1").price()));
    }

    @Test
    void aChangeTheWholeStoreRefusesIsAConflict() {
        StoreDocuments docs = StoreFiles.demo();
        // a flow of the demo store starts from this FAQ entry
        String faq = docs.toStore().flows().flows().stream().flatMap(f -> f.faqTriggers().stream()).findFirst().orElseThrow();
        EditRejected e = assertThrows(EditRejected.class, () -> MerchantEdits.apply(docs, MerchantEdits.deleteFaq(faq, null)));
        assertEquals(409, e.status());
        assertTrue(e.getMessage().contains("the store refuses this change") && e.getMessage().contains(faq), e.getMessage());
    }

    private static void assertBad(String expected, org.junit.jupiter.api.function.Executable call) {
        EditRejected e = assertThrows(EditRejected.class, call);
        assertEquals(400, e.status(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
