package io.nectar.loadgen.bench;

import io.nectar.loadgen.dsl.FeederBuilder;
import io.nectar.loadgen.dsl.Feeders;
import io.nectar.loadgen.report.Summary;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The raw limit of the machine for answering: the ONNX encoder alone, batched, with no network, no
 * gateway and no cache, in sentences per second. N threads, each with its own predictor (one ONNX
 * intra-op thread each, as the gateway runs them), encode batches of B questions for S seconds after a
 * warm-up. Prints one JSON line; {@code --summary FILE} also writes it. Run by ops/bench:
 * <pre>
 * java -cp gateway/target/nectar-gateway.jar:loadgen/target/test-classes io.nectar.loadgen.bench.EncoderThroughput \
 *      --encoder bge-small-zh --threads 2 --batch 32 --seconds 20
 * </pre>
 */
public final class EncoderThroughput {

    private EncoderThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String encoderName = o.getOrDefault("encoder", "bge-small-zh");
        int threads = Integer.parseInt(o.getOrDefault("threads", Integer.toString(Runtime.getRuntime().availableProcessors())));
        int batch = Integer.parseInt(o.getOrDefault("batch", "32"));
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(o.getOrDefault("warmup", "2"));
        EncoderSpec spec = encoderName.equals("minilm-l6") ? EncoderSpec.MINILM_L6 : EncoderSpec.BGE_SMALL_ZH;
        String lang = spec == EncoderSpec.MINILM_L6 ? "en" : "zh";

        FeederBuilder fb = o.containsKey("feeder") ? Feeders.file(Path.of(o.get("feeder"))) : Feeders.demoQuestions();
        if (o.containsKey("field") && !o.get("field").equals("text")) {
            fb = fb.rename(o.get("field"), "text");
        }
        List<String> texts = new ArrayList<>();
        for (Map<String, Object> r : fb.require("text").build().records()) {
            if (o.containsKey("feeder") || lang.equals(r.get("lang"))) {
                texts.add(r.get("text").toString());
            }
        }

        if (o.containsKey("sorted")) {
            // consecutive batches then hold questions of about the same length: the least padding possible
            // (batches taken in a shuffled order, so every length is sampled through the run, as unsorted)
            texts.sort(java.util.Comparator.comparingInt(String::length));
            List<List<String>> chunks = new ArrayList<>();
            for (int i = 0; i + batch <= texts.size(); i += batch) {
                chunks.add(new ArrayList<>(texts.subList(i, i + batch)));
            }
            java.util.Collections.shuffle(chunks, new java.util.Random(7));
            texts.clear();
            chunks.forEach(texts::addAll);
        }
        System.setProperty("ai.djl.offline", "true");
        try (SentenceEncoder encoder = SentenceEncoder.load(spec, 1)) {
            LongAdder sentences = new LongAdder();
            Histogram batchMicros = new Histogram(3_600_000_000L, 3);
            AtomicBoolean measuring = new AtomicBoolean(false), stop = new AtomicBoolean(false);
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int offset = t * 7919;
                Thread th = new Thread(() -> {
                    try (SentenceEncoder.Session session = encoder.newSession()) {
                        int k = offset;
                        while (!stop.get()) {
                            List<String> b = new ArrayList<>(batch);
                            for (int i = 0; i < batch; i++) {
                                b.add(texts.get(Math.floorMod(k++, texts.size())));
                            }
                            long t0 = System.nanoTime();
                            session.encode(b);
                            long us = (System.nanoTime() - t0) / 1000;
                            if (measuring.get()) {
                                sentences.add(batch);
                                synchronized (batchMicros) {
                                    batchMicros.recordValue(Math.max(1, us));
                                }
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                }, "bench-encoder-" + t);
                th.setDaemon(true);
                th.start();
            }
            Thread.sleep((long) (warmup * 1000));
            measuring.set(true);
            long t0 = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            measuring.set(false);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            done.await();
            JsonObject result = new JsonObject().put("benchmark", "encoder-throughput").put("encoder", spec.name())
                    .put("threads", threads).put("intra_op_threads", 1).put("batch", batch).put("seconds", Math.round(elapsed * 100) / 100.0)
                    .put("distinct_texts", texts.size())
                    .put("sentences_per_s", Math.round(sentences.sum() / elapsed * 10) / 10.0)
                    .put("batch_p50_ms", batchMicros.getValueAtPercentile(50) / 1000.0)
                    .put("batch_p99_ms", batchMicros.getValueAtPercentile(99) / 1000.0)
                    .put("machine", Summary.machine());
            System.out.println(result.encode());
            if (o.containsKey("summary")) {
                Files.writeString(Path.of(o.get("summary")), result.encodePrettily());
            }
        }
    }
}
