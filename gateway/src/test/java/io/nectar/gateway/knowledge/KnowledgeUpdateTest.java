package io.nectar.gateway.knowledge;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.gateway.merchant.MerchantEdits;
import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.merchant.StoreFiles;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Incremental knowledge updates on a live node (real models, real WebSocket): a new entry is answered at
 * once by its prototype while the intent head does not know it yet, then by the retrained head; a deleted
 * entry is never answered, even by a head that still has it; only what changed is re-embedded.
 */
class KnowledgeUpdateTest {

    static Gateway gateway;
    static Vertx client;
    static KnowledgeBase kb;
    static StoreDocuments docs;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("knowledge-update");
        Path store = Files.createDirectory(dir.resolve("tea"));
        Files.writeString(store.resolve("store.yaml"), "languages: [en]\nsmallTalk: false\n");
        Files.writeString(store.resolve("faq.jsonl"), String.join("\n",
                line("opening", "When are you open?", List.of("opening hours", "what time do you open", "are you open on sunday"), "Every day from 8 to 20."),
                line("delivery", "Do you deliver?", List.of("can you bring it to my home", "home delivery", "do you ship to my address"), "Yes, within the city."),
                line("payment", "Can I pay by card?", List.of("do you take credit cards", "payment methods", "can I pay cash"), "Cards and cash."),
                line("wifi", "Do you have wifi?", List.of("is there internet", "wifi password", "can I use the wireless network"), "Yes, ask at the counter.")));
        docs = StoreFiles.directory(store);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(store)).withDataDir(dir.resolve("data")))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        kb = gateway.services().knowledge();
        client = Vertx.vertx();
    }

    static String line(String id, String q, List<String> paraphrases, String answer) {
        return new JsonObject().put("id", id).put("question", q).put("paraphrases", new JsonArray(paraphrases)).put("answer", answer)
                .put("lang", "en").encode();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Store edited(MerchantKnowledgeEdit... edits) {
        StoreDocuments d = docs;
        Store store = null;
        for (MerchantKnowledgeEdit e : edits) {
            MerchantEdits.Applied a = MerchantEdits.apply(d, e.edit());
            d = a.docs();
            store = a.store();
        }
        docs = d;
        return SmallTalk.addTo(store);
    }

    record MerchantKnowledgeEdit(io.nectar.gateway.merchant.MerchantKnowledge.Edit edit) {
    }

    static MerchantKnowledgeEdit put(String id, String q, List<String> paraphrases, String answer) {
        JsonObject body = new JsonObject(line(id, q, paraphrases, answer));
        return new MerchantKnowledgeEdit(MerchantEdits.putFaq(id, body, kb.store("tea")));
    }

    static List<String> headLabels() {
        return kb.head("tea", "en").info().labels();
    }

    static void awaitHeads() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!kb.headsCurrent("tea")) {
            assertTrue(System.currentTimeMillis() < deadline, "heads retrained within a minute");
            Thread.sleep(50);
        }
    }

    @Test
    void aNewEntryIsAnsweredByItsPrototypeAtOnceAndByTheRetrainedHeadLater() throws Exception {
        awaitHeads();
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=tea")) {
            assertNotEquals("parking", c.ask("0", "where can I leave my car?").getString("ref"));
            KnowledgeBase.UpdateReport report;
            synchronized (kb.headLock("tea")) {   // holds the retrain back, so the head cannot know the entry yet
                report = kb.update(edited(put("parking", "Is there parking?",
                        List.of("where can I park", "do you have a car park", "where can I leave my car"), "Behind the shop.")));
                assertEquals(1, report.embedded(), "only the new entry is embedded");
                assertTrue(report.retraining());
                assertFalse(headLabels().contains("faq:parking"), "the head has not learnt it");
                assertFalse(kb.headsCurrent("tea"));
                JsonObject r = c.ask("1", "where can I leave my car?");
                assertEquals("parking", r.getString("ref"), r.encode());
                assertEquals("Behind the shop.", r.getString("text"));
            }
            awaitHeads();
            assertTrue(headLabels().contains("faq:parking"), "the retrained head knows it");
            var reading = kb.understand("tea", "do you have a car park").join();
            assertEquals("parking", reading.answer().target());
            assertEquals("parking", c.ask("2", "where can I leave my car?").getString("ref"));
        }
    }

    @Test
    void aDeletedEntryIsNeverAnsweredEvenByAHeadThatStillHasIt() throws Exception {
        awaitHeads();
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=tea")) {
            assertEquals("wifi", c.ask("0", "Do you have wifi?").getString("ref"));
            synchronized (kb.headLock("tea")) {
                KnowledgeBase.UpdateReport report = kb.update(edited(new MerchantKnowledgeEdit(MerchantEdits.deleteFaq("wifi", null))));
                assertEquals(1, report.removed());
                assertEquals(0, report.embedded());
                assertTrue(headLabels().contains("faq:wifi"), "the head still has it");
                for (String q : List.of("Do you have wifi?", "wifi password", "is there internet")) {
                    JsonObject r = c.ask(q, q);
                    assertNotEquals("wifi", r.getString("ref"), r.encode());
                    assertNotEquals("Yes, ask at the counter.", r.getString("text"));
                }
            }
            awaitHeads();
            assertFalse(headLabels().contains("faq:wifi"));
        }
    }

    @Test
    void anEditedAnswerIsServedAtOnceWithoutReembeddingOrRetraining() throws Exception {
        awaitHeads();
        KnowledgeBase.UpdateReport report = kb.update(edited(put("payment", "Can I pay by card?",
                List.of("do you take credit cards", "payment methods", "can I pay cash"), "Cards, cash and phones.")));
        assertEquals(0, report.embedded());
        assertEquals(0, report.removed());
        assertFalse(report.retraining(), "the same phrasings: the head stays");
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=tea")) {
            assertEquals("Cards, cash and phones.", c.ask("1", "do you take credit cards?").getString("text"));
        }
    }

    @Test
    void aRepeatedQuestionIsReadOnceAndAChangedStoreReadsItAfresh() throws Exception {
        awaitHeads();
        long[] c0 = kb.answerCacheCounts();
        var first = kb.understand("tea", "Can I pay with my phone at the till?").join();
        long[] c1 = kb.answerCacheCounts();
        assertEquals(c0[1] + 1, c1[1], "the first asking is read in full");
        String variant = "  can I pay with my PHONE at the till？？ ";
        var again = kb.understand("tea", variant).join();
        long[] c2 = kb.answerCacheCounts();
        assertEquals(c1[0] + 1, c2[0], "the same question in another case, width and punctuation is a hit");
        assertEquals(first.intents(), again.intents());
        assertEquals(first.answer(), again.answer());
        assertEquals(variant, again.text(), "the understanding carries the message's own words");

        var exactly = kb.understand("tea", "Can I pay with my phone at the till?");
        assertTrue(exactly.isDone(), "the very same words are answered on the asking thread, with no search-thread hop");
        var exact = exactly.join();
        assertSame(first.extraction(), exact.extraction(), "the very same words: the first asking's entities are reused");
        assertEquals(c2[0] + 1, kb.answerCacheCounts()[0], "and counted as a hit");

        kb.update(edited(put("opening", "When are you open?", List.of("opening hours", "what time do you open", "are you open on sunday"), "Every day from 9 to 21.")));
        kb.understand("tea", "Can I pay with my phone at the till?").join();
        assertEquals(c2[1] + 1, kb.answerCacheCounts()[1], "a changed store starts afresh");

        // entities are the message's own: other words read them again (offsets into these words), and so
        // does a date, which is read against the day it is asked
        String order = "can I pay for order DX1001 with my phone";
        var o1 = kb.understand("tea", order).join();
        String spaced = "Can I pay for order   DX1001 with my phone?";
        var o2 = kb.understand("tea", spaced).join();
        assertEquals(o1.intents(), o2.intents());
        var id = o2.extraction().resolved(io.nectar.nlu.entity.EntityType.ORDER_ID).orElseThrow();
        assertEquals("DX1001", spaced.substring(id.start(), id.end()), "entity offsets point into the message's own words");
        String dated = "can I pay with my phone tomorrow";
        var d1 = kb.understand("tea", dated).join();
        var d2 = kb.understand("tea", dated).join();
        assertTrue(d2.extraction().has(io.nectar.nlu.entity.EntityType.DATE), "the date is found: " + d2.extraction());
        assertNotSame(d1.extraction(), d2.extraction(), "a date is read again at every asking");
    }

    @Test
    void theSameQuestionAskedManyTimesAtOnceIsReadOnce() throws Exception {
        awaitHeads();
        long[] c0 = kb.answerCacheCounts();
        // 24 shoppers ask the same new question within the same instant, in their own case, spacing and
        // punctuation: one reading for the encoders, and everyone gets its answer
        List<String> askings = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            askings.add(i % 3 == 0 ? "Do you deliver on Sundays?" : i % 3 == 1 ? "do you DELIVER on sundays" : "  Do you deliver on Sundays??");
        }
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Understanding>> all = new ArrayList<>();
        ExecutorService askers = Executors.newFixedThreadPool(8);
        try {
            List<Future<CompletableFuture<Understanding>>> started = new ArrayList<>();
            for (String q : askings) {
                started.add(askers.submit(() -> {
                    go.await();
                    return kb.understand("tea", q);
                }));
            }
            go.countDown();
            for (var f : started) {
                all.add(f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            askers.shutdown();
        }
        List<Understanding> read = new ArrayList<>();
        for (var f : all) {
            read.add(f.get(20, TimeUnit.SECONDS));
        }
        long[] c1 = kb.answerCacheCounts();
        assertEquals(1, c1[1] - c0[1], "read in full once");
        assertEquals(askings.size() - 1, (c1[0] - c0[0]) + (c1[2] - c0[2]), "every other asking was a hit or waited for that reading");
        for (int i = 0; i < askings.size(); i++) {
            assertEquals(read.get(0).answer(), read.get(i).answer());
            assertEquals(read.get(0).intents(), read.get(i).intents());
            assertEquals(askings.get(i), read.get(i).text(), "each understanding carries its own message's words");
        }
    }
}
