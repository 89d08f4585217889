package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;
import io.nectar.nlu.exec.EncoderExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntentTrainerTest {

    private static EncoderExecutor executor;

    @BeforeAll
    static void start() {
        executor = Fixtures.executor();
    }

    @AfterAll
    static void stop() {
        executor.close();
        for (String name : executor.encoderNames()) {
            executor.encoder(name).close();
        }
    }

    @Test
    void learnsEnglishIntentsFromAFewPhrasingsAndNamesUnseenParaphrases() {
        TrainedIntentModel model = IntentTrainer.train(Fixtures.examples("intents-en.jsonl"), executor,
                List.of("minilm-l6"), Fixtures.options());
        IntentModelInfo info = model.info();
        assertEquals(8, info.labels().size());
        assertEquals(5, info.metrics().folds());
        assertTrue(info.metrics().inScopeAccuracy() > 0.8, "held-out accuracy " + info.metrics().inScopeAccuracy());
        assertTrue(info.threshold() > 0 && info.threshold() < 1, "threshold " + info.threshold());
        Map<String, String> unseen = Map.of(
                "how many days does delivery take before it leaves the warehouse", "shipping_time",
                "I'd like my money back for these boots", "returns",
                "is apple pay accepted", "payment",
                "could you tell me where my parcel is right now", "order_status",
                "do you have a sizing chart for sneakers", "size_guide",
                "I need a tax invoice for my company", "invoice");
        int right = 0;
        for (Map.Entry<String, String> e : unseen.entrySet()) {
            IntentResult r = model.classify(Fixtures.vectors(executor, "minilm-l6", e.getKey()), e.getKey());
            if (r.intent().equals(e.getValue())) {
                right++;
            }
            assertEquals(5, r.ranked().size());
            assertTrue(r.ranked().get(0).confidence() >= r.ranked().get(1).confidence());
        }
        assertTrue(right >= 5, right + " of 6 unseen paraphrases right");
    }

    @Test
    void learnsChineseIntentsWithFiveExamplesPerIntent() {
        List<IntentExample> all = Fixtures.examples("intents-zh.jsonl");
        List<IntentExample> train = new ArrayList<>();
        List<IntentExample> held = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (IntentExample e : all) {
            int n = seen.merge(e.intent(), 1, Integer::sum);
            (n <= 5 ? train : held).add(e);
        }
        TrainedIntentModel model = IntentTrainer.train(train, executor, List.of("bge-small-zh"), Fixtures.options());
        int right = 0;
        for (IntentExample e : held) {
            if (model.classify(Fixtures.vectors(executor, "bge-small-zh", e.text()), e.text()).intent().equals(e.intent())) {
                right++;
            }
        }
        assertTrue(right >= held.size() - 2, right + " of " + held.size() + " held-out phrasings right");
    }

    @Test
    void trainingIsDeterministic() {
        List<IntentExample> data = Fixtures.examples("intents-en.jsonl");
        // the same vectors twice (int8 encoders give slightly different vectors in different batches)
        float[][] vectors = executor.encodeAllBlocking("minilm-l6", data.stream().map(IntentExample::text).toList())
                .toArray(new float[0][]);
        List<IntentModelInfo.EncoderRef> refs = List.of(new IntentModelInfo.EncoderRef("minilm-l6", 384));
        TrainedIntentModel a = IntentTrainer.train(data, refs, vectors, Fixtures.options());
        TrainedIntentModel b = IntentTrainer.train(data, refs, vectors, Fixtures.options().withThreads(1));
        String text = "can I pay with a gift card";
        float[] v = executor.encode("minilm-l6", text).join();
        assertEquals(a.info().threshold(), b.info().threshold(), 1e-9);
        float[] pa = a.probabilities(v, text);
        float[] pb = b.probabilities(v, text);
        for (int k = 0; k < pa.length; k++) {
            assertEquals(pa[k], pb[k], 1e-6);
        }
        assertEquals(a.info().trainingDataHash(), b.info().trainingDataHash());
    }

    @Test
    void aLanguageWithoutEncoderGetsALexicalModel() {
        List<IntentExample> id = List.of(
                new IntentExample("kapan pesanan saya dikirim", "shipping", "id"),
                new IntentExample("berapa lama pengiriman", "shipping", "id"),
                new IntentExample("kapan barang dikirim", "shipping", "id"),
                new IntentExample("pengiriman butuh berapa hari", "shipping", "id"),
                new IntentExample("bagaimana cara mengembalikan barang", "returns", "id"),
                new IntentExample("saya mau mengembalikan sepatu ini", "returns", "id"),
                new IntentExample("bisa minta pengembalian dana", "returns", "id"),
                new IntentExample("kebijakan pengembalian barang", "returns", "id"),
                new IntentExample("bisa bayar pakai kartu kredit", "payment", "id"),
                new IntentExample("metode pembayaran apa saja", "payment", "id"),
                new IntentExample("bisa bayar di tempat", "payment", "id"),
                new IntentExample("cara pembayaran pesanan", "payment", "id"));
        TrainedIntentModel model = IntentTrainer.train(id, List.of(), new float[id.size()][0], Fixtures.options());
        assertTrue(model.info().encoders().isEmpty());
        assertTrue(model.info().lexicalFeatures() > 100);
        assertEquals("shipping", model.classify(Map.of(), "kapan paket saya dikirim").intent());
        assertEquals("returns", model.classify(Map.of(), "saya ingin mengembalikan barang").intent());
        assertEquals("payment", model.classify(Map.of(), "pembayaran pakai kartu").intent());
    }

    @Test
    void badTrainingInputIsRefusedClearly() {
        List<IntentExample> one = List.of(new IntentExample("hello", "greet"), new IntentExample("hi", "greet"));
        NluException e = assertThrows(NluException.class,
                () -> IntentTrainer.train(one, List.of(), new float[2][0], Fixtures.options()));
        assertEquals(NluException.Code.BAD_REQUEST, e.code());
        assertThrows(IllegalArgumentException.class, () -> new IntentExample(" ", "greet"));
        assertFalse(new IntentExample("x", "greet").outOfScope());
        assertThrows(NluException.class, () -> IntentTrainer.train(Fixtures.examples("intents-en.jsonl"), executor,
                List.of("no-such-encoder"), Fixtures.options()));
    }
}
