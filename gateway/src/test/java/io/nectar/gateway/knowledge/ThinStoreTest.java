package io.nectar.gateway.knowledge;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.nlu.intent.IntentExample;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store whose entries have one phrasing each is answered by the nearest phrasing, not by an intent head
 * (decision 112), unless it promises an answer precision, which only a head can keep (real models).
 */
class ThinStoreTest {

    static Gateway gateway;
    static KnowledgeBase kb;

    static final List<String[]> ENTRIES = List.of(
            new String[]{"opening", "What are your opening hours?", "Every day from 8 to 20."},
            new String[]{"delivery", "Do you deliver to my home address?", "Yes, within the city."},
            new String[]{"payment", "Can I pay by credit card?", "Cards and cash."},
            new String[]{"wifi", "Is there free wifi in the shop?", "Yes, ask at the counter."},
            new String[]{"returns", "How do I return an item I bought?", "Within 30 days with the receipt."},
            new String[]{"gift", "Do you sell gift cards?", "Yes, from 10 to 200."});

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("thin-store");
        Path thin = store(dir, "thin", "");
        Path strict = store(dir, "strict", "answerPrecision: 0.95\n");
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(thin, strict)).withDataDir(dir.resolve("data")))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        kb = gateway.services().knowledge();
    }

    static Path store(Path dir, String id, String extra) throws Exception {
        Path store = Files.createDirectory(dir.resolve(id));
        Files.writeString(store.resolve("store.yaml"), "languages: [en]\nsmallTalk: false\n" + extra);
        StringBuilder faq = new StringBuilder();
        for (String[] e : ENTRIES) {
            faq.append(new JsonObject().put("id", e[0]).put("question", e[1]).put("answer", e[2]).put("lang", "en").encode()).append('\n');
        }
        Files.writeString(store.resolve("faq.jsonl"), faq);
        return store;
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoreOfSinglePhrasingsIsAnsweredByTheNearestPhrasing() {
        assertNull(kb.head("thin", "en"), "no head for entries of one phrasing each");
        assertEquals("opening", kb.understand("thin", "when do you open?").join().answer().target());
        assertEquals("returns", kb.understand("thin", "how can I send back something I bought").join().answer().target());
        assertEquals("gift", kb.understand("thin", "can I buy a gift card").join().answer().target());
    }

    @Test
    void aStoreThatPromisesAPrecisionKeepsItsHead() {
        assertNotNull(kb.head("strict", "en"), "only a head's held-out readings can hold a precision");
    }

    @Test
    void theMajorityOfIntentsDecides() {
        List<IntentExample> thin = List.of(ex("a", "x"), ex("b", "y"), ex("c", "z"), ex("c", "z2"));
        List<IntentExample> half = List.of(ex("a", "x"), ex("b", "y"), ex("b", "y2"), ex("c", "z"), ex("c", "z2"), ex("d", "w"));
        List<IntentExample> withBackground = List.of(ex("a", "x"), ex("a", "x2"), ex("b", "y"), ex("b", "y2"),
                ex(IntentExample.OUT_OF_SCOPE, "o1"), ex(IntentExample.OUT_OF_SCOPE, "o2"));
        assertTrue(IntentHeads.singlePhrasingMajority(thin));
        assertFalse(IntentHeads.singlePhrasingMajority(half), "exactly half is not a majority");
        assertFalse(IntentHeads.singlePhrasingMajority(withBackground), "out-of-scope examples are no entry");
    }

    private static IntentExample ex(String intent, String text) {
        return new IntentExample(text, intent, "en");
    }
}
