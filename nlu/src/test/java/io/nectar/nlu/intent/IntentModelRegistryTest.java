package io.nectar.nlu.intent;

import io.nectar.nlu.NluException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models are versioned on disk and swapped while other threads classify. */
class IntentModelRegistryTest {

    private static TrainedIntentModel lexicalModel(String... intents) {
        List<IntentExample> data = new ArrayList<>();
        for (String intent : intents) {
            for (int i = 0; i < 6; i++) {
                data.add(new IntentExample(intent + " question number " + i + " about " + intent, intent));
            }
        }
        return IntentTrainer.train(data, List.of(), new float[data.size()][0], Fixtures.options());
    }

    @Test
    void publishSwapsAtomicallyUnderConcurrentTrafficAndKeepsVersions(@TempDir Path root) throws Exception {
        try (IntentModelRegistry registry = new IntentModelRegistry(root)) {
            assertNull(registry.classify("shop-1", Map.of(), "anything"));
            registry.publish("shop-1", lexicalModel("shipping", "returns"));
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            AtomicInteger calls = new AtomicInteger();
            List<Thread> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        try {
                            IntentResult r = registry.classify("shop-1", Map.of(), "a question about shipping");
                            if (!r.intent().equals("shipping")) {
                                errors.add(new AssertionError("got " + r.intent()));
                            }
                            calls.incrementAndGet();
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    }
                });
                readers.add(t);
                t.start();
            }
            for (int v = 0; v < 4; v++) {
                registry.publish("shop-1", v % 2 == 0 ? lexicalModel("shipping", "returns", "payment")
                        : lexicalModel("shipping", "invoice"));
            }
            Thread.sleep(100);
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            assertTrue(errors.isEmpty(), "errors during swaps: " + errors.peek());
            assertTrue(calls.get() > 100, calls.get() + " calls");
            assertEquals(List.of("v000001", "v000002", "v000003", "v000004", "v000005"), registry.versions("shop-1"));
            assertEquals(List.of("invoice", "shipping"), registry.current("shop-1").info().labels());
            registry.activate("shop-1", "v000001");
            assertEquals(List.of("returns", "shipping"), registry.current("shop-1").info().labels());
        }
        try (IntentModelRegistry restarted = new IntentModelRegistry(root)) {
            assertEquals(List.of("invoice", "shipping"), restarted.loadLatest("shop-1").info().labels());
        }
    }

    @Test
    void keysAreWalledOffAndChecked(@TempDir Path root) {
        try (IntentModelRegistry registry = new IntentModelRegistry(root)) {
            registry.publish("shop-a", lexicalModel("shipping", "returns"));
            registry.publish("shop-b", lexicalModel("payment", "invoice"));
            assertEquals(List.of("returns", "shipping"), registry.current("shop-a").info().labels());
            assertEquals(List.of("invoice", "payment"), registry.current("shop-b").info().labels());
            assertNull(registry.current("shop-c"));
            for (String bad : List.of("../shop-a", "shop-a/../../etc", "", ".hidden")) {
                assertThrows(NluException.class, () -> registry.current(bad), bad);
            }
            assertThrows(NluException.class, () -> registry.activate("shop-a", "v000009"));
        }
    }

    @Test
    void aClosedModelFinishesRunningCallsAndRefusesNewOnes(@TempDir Path root) {
        TrainedIntentModel trained = lexicalModel("shipping", "returns");
        trained.save(root.resolve("m"));
        IntentModel model = IntentModel.load(root.resolve("m"));
        assertEquals("returns", model.classify(Map.of(), "question about returns").intent());
        model.close();
        model.close();
        NluException e = assertThrows(NluException.class, () -> model.classify(Map.of(), "question about returns"));
        assertEquals(NluException.Code.CLOSED, e.code());
    }
}
