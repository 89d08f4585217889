package io.nectar.gateway.knowledge;

import io.nectar.gateway.store.DirectoryStoreSource;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentTrainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store check on a small English store with planted faults, on the real encoders: two entries that
 * ask the same thing in different words (a confusion), an entry with two phrasings (too thin), and two
 * entries that share a phrasing word for word (near-duplicates).
 */
class StoreDiagnosisTest {

    private static final List<SentenceEncoder> ENCODERS = new ArrayList<>();
    private static EncoderExecutor executor;

    @BeforeAll
    static void load() {
        for (String name : EncoderRouter.DEFAULT_OTHER) {
            ENCODERS.add(SentenceEncoder.load(EncoderSpec.bundled(name), 1));
        }
        executor = new EncoderExecutor(ENCODERS, EncoderExecutor.Options.DEFAULT);
    }

    @AfterAll
    static void close() {
        executor.close();
        ENCODERS.forEach(SentenceEncoder::close);
    }

    private static final Map<String, List<String>> FAQ = Map.of(
            "shipping-time", List.of("When will my order ship?", "How soon do you send orders out?", "How fast is dispatch?",
                    "When do you post my parcel?", "How long until my order leaves the warehouse?", "When does my package get shipped?"),
            "dispatch-speed", List.of("How quickly do you dispatch orders?", "When is my parcel sent out?",
                    "How long before you ship my purchase?", "When will you send my package?", "How fast do orders go out?",
                    "When do you mail the items I bought?"),
            "returns", List.of("How do I return an item?", "Can I send something back?", "I want to return my shoes",
                    "What is the process for returning a product?", "How can I give back an order?", "Where do I send a return?"),
            "return-policy", List.of("How do I return an item?", "What is your return policy?", "How many days do I have to return?",
                    "Do you accept returns after a month?", "Are returns free?", "What can be returned?"),
            "gift-wrap", List.of("Do you gift wrap?", "Can you wrap it as a present?"),
            "payment-methods", List.of("Which payment methods do you accept?", "Can I pay with PayPal?", "Do you take credit cards?",
                    "Is Apple Pay accepted?", "Can I pay cash on delivery?", "What ways can I pay?"),
            "store-hours", List.of("When is your shop open?", "What are your opening hours?", "Are you open on Sunday?",
                    "What time do you close?", "Is the store open on holidays?", "How late are you open tonight?"),
            "warranty", List.of("Is there a warranty on shoes?", "How long is the guarantee?", "My sole came off, is that covered?",
                    "Do you repair broken zips under warranty?", "What does the warranty cover?", "Can I claim the guarantee?"));

    private static Store store(Path dir) throws Exception {
        StringBuilder faq = new StringBuilder();
        for (Map.Entry<String, List<String>> e : FAQ.entrySet()) {
            List<String> q = e.getValue();
            faq.append("{\"id\":\"").append(e.getKey()).append("\",\"lang\":\"en\",\"question\":\"").append(q.get(0))
                    .append("\",\"paraphrases\":[");
            for (int i = 1; i < q.size(); i++) {
                faq.append(i > 1 ? "," : "").append('"').append(q.get(i)).append('"');
            }
            faq.append("],\"answer\":\"About ").append(e.getKey()).append(".\"}\n");
        }
        Files.writeString(dir.resolve("faq.jsonl"), faq);
        Files.writeString(dir.resolve("store.yaml"), "merchant: planted\nlanguages: [en]\nanswerPrecision: 0.9\n");
        return new DirectoryStoreSource(dir).load().get(0);
    }

    @Test
    void findsThePlantedConfusionTheThinEntryAndTheDuplicates(@TempDir Path dir) throws Exception {
        Store store = store(dir);
        EncoderRouter router = new EncoderRouter(Map.of("en", EncoderRouter.DEFAULT_OTHER), EncoderRouter.DEFAULT_OTHER,
                EncoderRouter.DEFAULT_CALIBRATIONS);
        List<StoreDiagnosis.LanguageReport> reports = StoreDiagnosis.check(store, executor, router, IntentTrainer.Options.DEFAULT);
        assertEquals(1, reports.size());
        StoreDiagnosis.LanguageReport en = reports.get(0);
        String text = StoreDiagnosis.text(reports);
        assertEquals(8, en.entries(), text);
        assertEquals(0.9, en.answer().precision());
        assertTrue(en.answer().outOfScope() > 0, "the store sets a precision, so background questions were held out too: " + text);

        StoreDiagnosis.Confusion planted = en.confusions().stream()
                .filter(c -> c.a().equals("faq:dispatch-speed") && c.b().equals("faq:shipping-time")).findFirst().orElse(null);
        assertTrue(planted != null && planted.total() >= 2 && !planted.examples().isEmpty(),
                "shipping-time and dispatch-speed are confused: " + text);
        assertTrue(en.confusions().stream().noneMatch(c -> c.a().equals("faq:store-hours") || c.b().equals("faq:store-hours")),
                "store-hours is distinct: " + text);

        assertEquals(List.of(new StoreDiagnosis.Thin("faq:gift-wrap", 2)), en.thin(), text);

        StoreDiagnosis.NearDuplicate dup = en.duplicates().stream()
                .filter(d -> java.util.Set.of(d.a(), d.b()).equals(java.util.Set.of("faq:return-policy", "faq:returns")))
                .findFirst().orElse(null);
        assertTrue(dup != null && dup.shared().contains("how do i return an item"), text);
        assertFalse(en.duplicates().stream().anyMatch(d -> d.a().equals("faq:payment-methods") || d.b().equals("faq:payment-methods")),
                text);
        assertTrue(text.contains("suggestion: if they give the same answer, merge them"), text);
        assertTrue(text.contains("too few phrasings: faq:gift-wrap has 2"), text);
        assertFalse(en.headless(), "a store that sets a precision keeps its head: " + text);
    }

    @Test
    void saysWhenMostEntriesHaveOnePhrasingAndTheBotAnswersWithoutAHead(@TempDir Path dir) throws Exception {
        StringBuilder faq = new StringBuilder();
        for (Map.Entry<String, List<String>> e : FAQ.entrySet()) {
            faq.append("{\"id\":\"").append(e.getKey()).append("\",\"lang\":\"en\",\"question\":\"").append(e.getValue().get(0))
                    .append("\",\"answer\":\"About ").append(e.getKey()).append(".\"}\n");
        }
        Files.writeString(dir.resolve("faq.jsonl"), faq);
        Files.writeString(dir.resolve("store.yaml"), "merchant: thin\nlanguages: [en]\n");
        Store store = new DirectoryStoreSource(dir).load().get(0);
        EncoderRouter router = new EncoderRouter(Map.of("en", EncoderRouter.DEFAULT_OTHER), EncoderRouter.DEFAULT_OTHER,
                EncoderRouter.DEFAULT_CALIBRATIONS);
        List<StoreDiagnosis.LanguageReport> reports = StoreDiagnosis.check(store, executor, router, IntentTrainer.Options.DEFAULT);
        String text = StoreDiagnosis.text(reports);
        assertTrue(reports.get(0).headless(), text);
        assertTrue(text.contains("[en] most entries have a single phrasing: the bot answers by the nearest phrasing"), text);
        assertEquals(FAQ.size(), reports.get(0).thin().size(), text);
    }
    @Test
    void saysWhenAThinStoresEntriesCrowdOneAnother(@TempDir Path dir) throws Exception {
        List<String> giftCards = List.of("How do I check my gift card balance?", "Can I use a gift card online?", "Do gift cards expire?",
                "Can I get a refund on a gift card?", "How do I buy a gift card?", "Can I reload my gift card?",
                "Can I use two gift cards on one order?", "What if I lost my gift card?");
        List<String> varied = List.of("What are your opening hours?", "Do you deliver to my home address?", "Can I pay by credit card?",
                "Is there free wifi in the shop?", "How do I return an item I bought?", "Do you sell gift cards?");
        EncoderRouter router = new EncoderRouter(Map.of("en", EncoderRouter.DEFAULT_OTHER), EncoderRouter.DEFAULT_OTHER,
                EncoderRouter.DEFAULT_CALIBRATIONS);
        double threshold = router.calibration(router.encoderFor("en")).threshold();
        StoreDiagnosis.LanguageReport crowded = thinStore(dir.resolve("crowded"), giftCards, router);
        StoreDiagnosis.LanguageReport spread = thinStore(dir.resolve("varied"), varied, router);
        String text = StoreDiagnosis.text(List.of(crowded));
        assertTrue(crowded.floor() > threshold, text);
        assertTrue(text.contains("[en] its entries are close to one another"), text);
        assertTrue(Double.isNaN(spread.floor()), "varied entries keep the encoder's threshold: " + spread.floor());
        assertFalse(StoreDiagnosis.text(List.of(spread)).contains("close to one another"));
    }

    private static StoreDiagnosis.LanguageReport thinStore(Path dir, List<String> questions, EncoderRouter router) throws Exception {
        Files.createDirectories(dir);
        StringBuilder faq = new StringBuilder();
        for (int i = 0; i < questions.size(); i++) {
            faq.append("{\"id\":\"e").append(i).append("\",\"lang\":\"en\",\"question\":\"").append(questions.get(i))
                    .append("\",\"answer\":\"Answer ").append(i).append(".\"}\n");
        }
        Files.writeString(dir.resolve("faq.jsonl"), faq);
        Files.writeString(dir.resolve("store.yaml"), "merchant: m\nlanguages: [en]\n");
        Store store = new DirectoryStoreSource(dir).load().get(0);
        List<StoreDiagnosis.LanguageReport> reports = StoreDiagnosis.check(store, executor, router, IntentTrainer.Options.DEFAULT);
        assertTrue(reports.get(0).headless());
        return reports.get(0);
    }
}
