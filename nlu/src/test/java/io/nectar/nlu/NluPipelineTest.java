package io.nectar.nlu;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;
import io.nectar.nlu.intent.IntentModelRegistry;
import io.nectar.nlu.intent.IntentTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NluPipelineTest {

    @Test
    void messageToVectorAndIntentOffTheCallersThread(@TempDir Path root) throws Exception {
        SentenceEncoder minilm = SentenceEncoder.load(EncoderSpec.MINILM_L6, 1);
        try (EncoderExecutor ex = new EncoderExecutor(List.of(minilm), new EncoderExecutor.Options(1, 64, 8, 1000, 100));
             IntentModelRegistry registry = new IntentModelRegistry(root);
             NluPipeline nlu = new NluPipeline(ex, registry, new NluPipeline.Config(
                     Map.of(Language.EN, List.of("minilm-l6")), 1, 16))) {
            List<IntentExample> en = List.of(new IntentExample("when do you ship", "shipping"),
                    new IntentExample("how long is delivery", "shipping"), new IntentExample("when will it arrive", "shipping"),
                    new IntentExample("can I return it", "returns"), new IntentExample("refund please", "returns"),
                    new IntentExample("how do I send it back", "returns"));
            registry.publish(NluPipeline.modelKey("shop", Language.EN),
                    IntentTrainer.train(en, ex, List.of("minilm-l6"), IntentTrainer.Options.DEFAULT.withFolds(2)));
            List<IntentExample> id = List.of(new IntentExample("kapan dikirim", "shipping"),
                    new IntentExample("berapa lama pengiriman", "shipping"), new IntentExample("pengiriman kapan", "shipping"),
                    new IntentExample("bisa dikembalikan", "returns"), new IntentExample("minta pengembalian dana", "returns"),
                    new IntentExample("cara mengembalikan barang", "returns"));
            registry.publish(NluPipeline.modelKey("shop", Language.ID),
                    IntentTrainer.train(id, List.of(), new float[id.size()][0], IntentTrainer.Options.DEFAULT.withFolds(2)));

            // A callback runs on the completing thread, or on the caller's when the future was already complete
            // as it was attached. The latter says nothing about where the work ran, so that call is repeated
            // with a new text (no cache hit), at most five times; a pipeline that ran on the caller would
            // always be complete by then.
            Thread caller = Thread.currentThread();
            String[] thread = new String[1];
            Understanding u = null;
            String[] texts = {"how fast do you ship", "how quickly do you ship", "how soon do you ship",
                    "how fast is shipping", "how fast is delivery"};
            for (int i = 0; i < texts.length && thread[0] == null; i++) {
                Understanding r = nlu.understand("shop", Language.EN, texts[i]).whenComplete((x, e) -> {
                    if (Thread.currentThread() != caller) {
                        thread[0] = Thread.currentThread().getName();
                    }
                }).get(30, TimeUnit.SECONDS);
                u = r;
            }
            assertNotNull(thread[0], "every understand() call was complete when it returned: it ran on the caller's thread");
            assertEquals("minilm-l6", u.encoder());
            assertEquals(384, u.vector().length);
            assertEquals("shipping", u.intent().intent());
            assertTrue(thread[0].startsWith("nlu-intent-"), thread[0]);
            assertNotEquals(Thread.currentThread().getName(), thread[0]);

            Understanding lexical = nlu.understand("shop", Language.ID, "kapan paket dikirim").get(30, TimeUnit.SECONDS);
            assertNull(lexical.vector());
            assertEquals("shipping", lexical.intent().intent());

            Understanding noModel = nlu.understand("other-shop", Language.EN, "how fast do you ship").get(30, TimeUnit.SECONDS);
            assertNull(noModel.intent());
            assertEquals(384, noModel.vector().length);
        } finally {
            minilm.close();
        }
    }
}
