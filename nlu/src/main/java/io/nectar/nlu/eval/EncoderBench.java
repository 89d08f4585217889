package io.nectar.nlu.eval;

import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ops/nlu-bench [ENCODER] [SECONDS]}: encoder throughput through the micro-batching
 * {@link EncoderExecutor} against calling ONNX Runtime directly (one session per thread, same model, same
 * batch size, as many threads as executor workers), and single-question latency through the executor at
 * low load. Texts are the CLINC150 validation questions (all distinct); cache off. Prints one JSON line last.
 * {@code ops/nlu-bench train} times merchant-sized intent training instead ({@link TrainBench}).
 */
public final class EncoderBench {

    private EncoderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("train")) {
            TrainBench.run();
            System.exit(0);
        }
        String name = args.length > 0 ? args[0] : "minilm-l6";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        int batch = 32;
        EncoderSpec spec = EncoderSpec.bundled(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown encoder " + name);
        }
        String datasets = io.nectar.nlu.Datasets.root().toString();
        List<String> texts = new ArrayList<>(new LinkedHashSet<>(IntentExample
                .readJsonl(Path.of(datasets, "clinc150", "validation.jsonl")).stream().map(IntentExample::text).toList()));
        System.out.printf("encoder %s, %d workers (1 ONNX thread each), batch ≤ %d, %d distinct texts, %d s per phase%n",
                name, workers, batch, texts.size(), seconds);
        try (SentenceEncoder encoder = SentenceEncoder.load(spec, 1)) {
            // warm-up
            try (SentenceEncoder.Session s = encoder.newSession()) {
                for (int i = 0; i < 20; i++) {
                    s.encode(texts.subList(i * batch, (i + 1) * batch));
                }
            }
            // direct before and after the executor phase, averaged, so a change in machine load shows up
            double before = direct(encoder, texts, workers, batch, seconds);
            double viaExecutor;
            double direct;
            double[] latency;
            try (EncoderExecutor ex = new EncoderExecutor(List.of(encoder),
                    new EncoderExecutor.Options(workers, 4096, batch, 2000, 0))) {
                viaExecutor = executor(ex, name, texts, seconds, 256);
                EncoderExecutor.Stats st = ex.stats();
                double after = direct(encoder, texts, workers, batch, seconds);
                direct = (before + after) / 2;
                System.out.printf("direct ONNX Runtime, %d threads × batches of %d: %.0f sentences/s (%.0f before, %.0f after)%n",
                        workers, batch, direct, before, after);
                System.out.printf("executor, 256 requests in flight: %.0f sentences/s (%.1f%% of direct), mean batch %.1f%n",
                        viaExecutor, 100 * viaExecutor / direct, st.meanBatchSize());
                latency = latency(ex, name, texts, 1000);
                System.out.printf("single questions one at a time through the executor: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                        latency[0], latency[1], latency[2]);
            }
            System.out.printf("{\"encoder\":\"%s\",\"workers\":%d,\"batch\":%d,\"direct_per_second\":%.1f,"
                            + "\"executor_per_second\":%.1f,\"ratio\":%.3f,\"latency_p50_ms\":%.3f,\"latency_p99_ms\":%.3f}%n",
                    name, workers, batch, direct, viaExecutor, viaExecutor / direct, latency[0], latency[1]);
        }
        System.exit(0);
    }

    private static double direct(SentenceEncoder encoder, List<String> texts, int threads, int batch, int seconds)
            throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> list = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            final int offset = t * 997;
            Thread th = new Thread(() -> {
                try (SentenceEncoder.Session s = encoder.newSession()) {
                    int i = offset;
                    while (System.nanoTime() < end) {
                        List<String> b = new ArrayList<>(batch);
                        for (int k = 0; k < batch; k++) {
                            b.add(texts.get(i++ % texts.size()));
                        }
                        s.encode(b);
                        done.addAndGet(batch);
                    }
                }
            });
            list.add(th);
            th.start();
        }
        for (Thread th : list) {
            th.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static double executor(EncoderExecutor ex, String name, List<String> texts, int seconds, int inFlight)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        int i = 0;
        while (System.nanoTime() < end) {
            permits.acquire();
            // the same texts in the same order as the direct phase; the cache is off, so every one is encoded
            CompletableFuture<float[]> f = ex.encode(name, texts.get(i % texts.size()));
            i++;
            f.whenComplete((v, e) -> {
                done.incrementAndGet();
                permits.release();
            });
        }
        permits.acquire(inFlight);
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static double[] latency(EncoderExecutor ex, String name, List<String> texts, int n) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            ex.encode(name, "latency " + texts.get(i % texts.size())).join();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return new double[]{ms[n / 2], ms[(int) Math.ceil(n * 0.99) - 1], ms[n - 1]};
    }
}
