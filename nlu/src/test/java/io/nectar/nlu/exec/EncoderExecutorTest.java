package io.nectar.nlu.exec;

import io.nectar.nlu.NluException;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.encoder.Vectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The micro-batching executor with a real ONNX encoder: results stay with their requests; a full queue refuses. */
class EncoderExecutorTest {

    private static SentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = SentenceEncoder.load(EncoderSpec.MINILM_L6, 1);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnVector() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // shoppers' questions of like length: with very short texts among long ones, the int8 model's per-batch
            // quantisation alone moves a batched vector to dot 0.968 of its single-run one (seen 1 run in 60)
            texts.add(i % 3 == 0 ? "can you ship order " + i + " to my city" : i % 3 == 1 ? "how do I return order " + i + " for a refund"
                    : "can I pay for order " + i + " by card");
        }
        float[][] expected;
        try (SentenceEncoder.Session s = encoder.newSession()) {
            expected = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                expected[i] = s.encode(List.of(texts.get(i)))[0];
            }
        }
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(2, 4096, 32, 2000, 0))) {
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                futures.add(null);
            }
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int me = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = me; i < texts.size(); i += threads) {
                        CompletableFuture<float[]> f = ex.encode(encoder.name(), texts.get(i));
                        synchronized (futures) {
                            futures.set(i, f);
                        }
                    }
                });
                senders.add(th);
                th.start();
            }
            go.countDown();
            for (Thread th : senders) {
                th.join();
            }
            for (int i = 0; i < texts.size(); i++) {
                float[] v = futures.get(i).get(30, TimeUnit.SECONDS);
                // batched int8 runs differ a little from single ones; another text's vector would be far off
                assertTrue(Vectors.dot(v, expected[i]) > 0.97, "text " + i + " got someone else's vector");
                int nearest = 0;
                for (int j = 0; j < texts.size(); j++) {
                    if (Vectors.dot(v, expected[j]) > Vectors.dot(v, expected[nearest])) {
                        nearest = j;
                    }
                }
                assertEquals(i, nearest);
            }
            EncoderExecutor.Stats stats = ex.stats();
            assertEquals(200, stats.encoded());
            assertTrue(stats.meanBatchSize() > 1.0, "concurrent requests were coalesced: mean batch " + stats.meanBatchSize());
        }
    }

    @Test
    void aBuildGetsTheSameVectorsWhateverRunsBesideIt() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            texts.add(i % 4 == 0 ? "ok " + i : i % 4 == 1 ? "where is my parcel number " + i
                    : i % 4 == 2 ? "I ordered two pairs of running shoes last week and only one arrived, order " + i : "refund " + i + " please");
        }
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(2, 4096, 32, 2000, 0))) {
            List<float[]> quiet = ex.encodeAllBlocking(encoder.name(), texts);
            // again, in another order, while shoppers' questions of every length keep both workers busy
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> shoppers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int me = t;
                Thread th = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String q = i % 2 == 0 ? "hi " + me + " " + i : "my size 42 trainers pinch at the toes after a long run, can I swap them " + i;
                        try {
                            ex.encode(encoder.name(), q).get(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            return;
                        }
                    }
                });
                shoppers.add(th);
                th.start();
            }
            List<String> reversed = new ArrayList<>(texts);
            java.util.Collections.reverse(reversed);
            List<float[]> busy;
            try {
                Thread.sleep(50);
                busy = ex.encodeAllBlocking(encoder.name(), reversed);
            } finally {
                stop.set(true);
                for (Thread th : shoppers) {
                    th.join();
                }
            }
            assertTrue(ex.stats().encoded() > 2L * texts.size() + 20, "shoppers' questions ran beside the build: " + ex.stats());
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(quiet.get(i), busy.get(texts.size() - 1 - i), "vector of '" + texts.get(i) + "'");
            }
        }
    }

    @Test
    void refusalsThroughTheVectorCacheAreNeitherCachedNorLogged() throws Exception {
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(h);
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 4, 1, 0, 1000))) {
            String longText = "a rather long question about the delivery of a parcel to a remote island ".repeat(6);
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                futures.add(ex.encode(encoder.name(), longText + i));
            }
            int overloaded = 0;
            for (CompletableFuture<float[]> f : futures) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof NluException n && n.code() == NluException.Code.OVERLOADED, String.valueOf(e.getCause()));
                    overloaded++;
                }
            }
            assertTrue(overloaded > 30, overloaded + " refused");
            assertEquals(overloaded, ex.stats().rejected());
            // a refused text is not remembered as refused: asked again with room in the queue, it is encoded
            int last = futures.size() - 1;
            assertTrue(futures.get(last).isCompletedExceptionally(), "the last of the flood was refused");
            assertEquals(encoder.dimension(), ex.encode(encoder.name(), longText + last).get(30, TimeUnit.SECONDS).length);
        } finally {
            root.removeHandler(h);
        }
        assertTrue(warnings.isEmpty(), "nothing logged per refusal: " + warnings.stream().map(java.util.logging.LogRecord::getMessage).toList());
    }

    @Test
    void aFullQueueAnswersOverloadedAtOnceAndLosesNothingAccepted() throws Exception {
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 4, 1, 0, 0))) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            String longText = "a rather long question about the delivery of a parcel to a remote island ".repeat(6);
            for (int i = 0; i < 100; i++) {
                futures.add(ex.encode(encoder.name(), longText + i));
            }
            int overloaded = 0, done = 0;
            ConcurrentLinkedQueue<Throwable> other = new ConcurrentLinkedQueue<>();
            for (CompletableFuture<float[]> f : futures) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                    done++;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof NluException n && n.code() == NluException.Code.OVERLOADED) {
                        overloaded++;
                    } else {
                        other.add(e.getCause());
                    }
                }
            }
            assertTrue(other.isEmpty(), "unexpected failure " + other.peek());
            assertTrue(overloaded > 50, overloaded + " refused");
            assertTrue(done >= 4, done + " done");
            assertEquals(100, overloaded + done);
            assertEquals(overloaded, ex.stats().rejected());
            assertTrue(ex.queueDepth() <= ex.queueCapacity());
        }
    }

    @Test
    void refusalIsImmediateNotAfterWaiting() {
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 1, 1, 0, 0))) {
            String text = "block the worker with a long sentence ".repeat(10);
            CompletableFuture<float[]> last = null;
            for (int i = 0; i < 20; i++) {
                last = ex.encode(encoder.name(), text + i);
            }
            // the 20th request cannot fit in a queue of one behind a busy worker: it is already failed on return
            assertTrue(last.isCompletedExceptionally());
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, last::join);
            assertInstanceOf(NluException.class, e.getCause());
        }
    }

    @Test
    void repeatedQuestionsHitTheCacheByNormalisedText() throws Exception {
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 64, 8, 0, 100))) {
            float[] a = ex.encode(encoder.name(), "Do you ship abroad?").get(10, TimeUnit.SECONDS);
            float[] b = ex.encode(encoder.name(), "  do you SHIP abroad ").get(10, TimeUnit.SECONDS);
            assertSame(a, b);
            assertEquals(1, ex.stats().encoded());
            assertEquals(2, ex.stats().requests());
        }
    }

    @Test
    void unknownEncoderAndClosedExecutorFailClearly() {
        EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 8, 8, 0, 0));
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> ex.encode("nope", "hi").join());
        assertEquals(NluException.Code.BAD_REQUEST, ((NluException) e.getCause()).code());
        ex.close();
        e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> ex.encode(encoder.name(), "hi").join());
        assertEquals(NluException.Code.CLOSED, ((NluException) e.getCause()).code());
    }
    @Test
    void aSiblingRunsTheSameEncodersAndClosingItLeavesThemOpen() throws Exception {
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 64, 8, 0, 0))) {
            float[] mine = ex.encode(encoder.name(), "where is my parcel").get(20, TimeUnit.SECONDS);
            EncoderExecutor sibling = ex.sibling(EncoderExecutor.Options.BACKGROUND);
            assertEquals(ex.encoderNames(), sibling.encoderNames());
            float[] theirs = sibling.encode(encoder.name(), "where is my parcel").get(20, TimeUnit.SECONDS);
            assertTrue(Vectors.dot(Vectors.normalize(mine), Vectors.normalize(theirs)) > 0.999);
            sibling.close();
            // the encoders stay open for the first executor
            ex.encode(encoder.name(), "can I pay by card").get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theReliefWorkerTakesOnlyBatchesThatWaitedTooLongAndGivesEachItsOwnVector() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            texts.add("where is parcel number " + i + " now");
        }
        float[][] alone = new float[texts.size()][];
        try (SentenceEncoder.Session s = encoder.newSession()) {
            for (int i = 0; i < texts.size(); i++) {
                alone[i] = s.encode(List.of(texts.get(i)))[0];
            }
        }
        // one low-priority worker, batches of one (each the vector its text gets alone); the queue's tail waits
        // hundreds of milliseconds, so the relief worker takes part of it
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 4096, 1, 0, 0),
                Relief.after(5))) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(ex.encode(encoder.name(), t));
            }
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(alone[i], futures.get(i).get(60, TimeUnit.SECONDS), 1e-5f, texts.get(i));
            }
            long relieved = ex.stats().relieved();
            assertTrue(relieved > 0 && relieved < texts.size(), "relief took " + relieved);
        }
        // a request answered within the limit is never the relief worker's
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 64, 8, 0, 0),
                Relief.after(60_000))) {
            for (int i = 0; i < 5; i++) {
                ex.encode(encoder.name(), texts.get(i)).get(20, TimeUnit.SECONDS);
            }
            assertEquals(0, ex.stats().relieved());
        }
    }

    @Test
    void aSiblingHasNoReliefWorkerItsWorkWaitsForAQuietCore() throws Exception {
        try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder), new EncoderExecutor.Options(1, 64, 8, 0, 0),
                Relief.after(1));
             EncoderExecutor sibling = ex.sibling(new EncoderExecutor.Options(1, 4096, 1, 0, 0))) {
            List<CompletableFuture<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                futures.add(sibling.encode(encoder.name(), "retrain phrasing number " + i));
            }
            for (CompletableFuture<float[]> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, sibling.stats().relieved());
        }
    }
}
