package io.nectar.gateway.knowledge;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.encoder.Vectors;
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
 * (decision 112), unless it promises an answer precision, which only a head can keep; and a store whose
 * entries crowd one another asks a question to come closer before it answers (decision 114). Real models.
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

    /** Twelve entries all about two credit products: close to one another. */
    static final List<String> CROWDED = List.of("花呗怎么还款", "花呗可以分期付款吗", "花呗额度怎么提升", "花呗逾期了会怎么样",
            "花呗怎么开通", "花呗怎么关闭", "花呗能提现吗", "花呗的账单日是哪天", "花呗可以在淘宝用吗", "花呗的利息是多少",
            "借呗怎么还款", "借呗额度怎么提升");

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("thin-store");
        Path thin = store(dir, "thin", "");
        Path strict = store(dir, "strict", "answerPrecision: 0.95\n");
        Path crowded = Files.createDirectory(dir.resolve("crowded"));
        Files.writeString(crowded.resolve("store.yaml"), "languages: [zh]\nsmallTalk: false\n");
        StringBuilder faq = new StringBuilder();
        for (int i = 0; i < CROWDED.size(); i++) {
            faq.append(new JsonObject().put("id", "q" + i).put("question", CROWDED.get(i)).put("answer", "答案" + i).put("lang", "zh").encode()).append('\n');
        }
        Files.writeString(crowded.resolve("faq.jsonl"), faq);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(thin, strict, crowded)).withDataDir(dir.resolve("data")))
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
    void aStoreOfCrowdedEntriesAsksQuestionsToComeCloser() throws Exception {
        double threshold = EncoderRouter.DEFAULT_CALIBRATIONS.get(EncoderSpec.BGE_SMALL_ZH.name()).threshold();
        Double floor = kb.merchant("crowded").floors().get("zh");
        assertNotNull(floor, "twelve entries about two products crowd one another");
        assertTrue(floor > threshold, "floor " + floor + " above the encoder's threshold " + threshold);
        assertTrue(kb.merchant("thin").floors().isEmpty(), "six varied entries keep the encoder's threshold");
        // paraphrases are close enough
        assertEquals("q0", kb.understand("crowded", "花呗如何还钱").join().answer().target());
        assertEquals("q2", kb.understand("crowded", "我想提高花呗的额度").join().answer().target());
        // a question about something the store does not answer, as close to an entry as the encoder's threshold
        // asks but not as the store's entries are to one another: the fallback
        String nearMiss = "花呗可以转账给别人吗";
        double cosine;
        String nearest = null;
        try (SentenceEncoder enc = SentenceEncoder.load(EncoderSpec.BGE_SMALL_ZH, 1); SentenceEncoder.Session s = enc.newSession()) {
            List<String> texts = new java.util.ArrayList<>(CROWDED);
            texts.add(nearMiss);
            float[][] v = s.encode(texts);
            cosine = -1;
            for (int i = 0; i < CROWDED.size(); i++) {
                double c = Vectors.dot(Vectors.normalize(v[i]), Vectors.normalize(v[CROWDED.size()]));
                if (c > cosine) {
                    cosine = c;
                    nearest = CROWDED.get(i);
                }
            }
        }
        assertTrue(cosine >= threshold && cosine < floor, "the near miss lies between threshold and floor: " + cosine);
        Answer fallback = kb.understand("crowded", nearMiss).join().answer();
        assertEquals("fallback", fallback.source());
        // the entry the encoder's threshold would have answered is offered as "did you mean"
        assertTrue(fallback.suggestions().contains(nearest), "suggested " + fallback.suggestions() + ", nearest " + nearest);
    }

    @Test
    void theFloorIsAMedian() {
        assertEquals(0.5, CrowdingFloor.quantile(new double[]{0.9, 0.1, 0.5}, 0.5), 1e-9);
        assertEquals(0.6, CrowdingFloor.quantile(new double[]{0.4, 0.8}, 0.5), 1e-9);
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
