package io.nectar.index;

import io.nectar.nlu.encoder.EncoderSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Index benchmarks; prints figures for BENCHMARKS.md. Run with {@code ops/index-bench [what] [options]}:
 * <ul>
 *   <li>{@code crossover}: exact versus HNSW latency and recall by size, to place the switch point</li>
 *   <li>{@code large}: 100k × 512 on random unit vectors and on real sentence embeddings: build time,
 *       insert rate, memory per entry (measured heap and the index's estimate), recall@10 against exact
 *       search by ef, single-thread p50/p99 latency, snapshot write/load time</li>
 *   <li>{@code large-real}: the real-embedding half of {@code large}</li>
 *   <li>{@code faq}: CLINC150 as an FAQ store, vector versus lexical versus hybrid ({@link FaqBench})</li>
 *   <li>{@code all} (default): all three</li>
 * </ul>
 * Options: {@code --n 100000 --queries 1000 --threads 2 --cache DIR}. Single-thread latency is measured
 * on the calling thread; the machine should be otherwise quiet for stable numbers.
 */
public final class IndexBench {

    private static int n = 100_000;
    private static int queries = 1000;
    private static int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static Path cache = Path.of("target/bench-cache");

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        String what = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--cache" -> cache = Path.of(args[++i]);
                default -> what = args[i];
            }
        }
        System.out.printf("index benchmark: %s, n=%d, queries=%d, build threads=%d, cores=%d, java %s, max heap %d MB, dot product %s%n",
                what, n, queries, threads, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, VectorMath.implementation());
        switch (what) {
            case "crossover" -> crossover();
            case "large" -> large();
            case "large-real" -> large("real sentence embeddings (bge-small-zh, 512-d)", realCorpus(n + queries), true);
            case "faq" -> FaqBench.run(cache);
            case "all" -> {
                crossover();
                large();
                FaqBench.run(cache);
            }
            default -> throw new IllegalArgumentException("unknown benchmark " + what + " (crossover, large, large-real, faq, all)");
        }
    }

    // ------------------------------------------------------------------ corpus

    record Corpus(List<String> texts, float[][] vectors) {
    }

    private static Corpus realCorpus;

    /** Distinct sentences of the shared datasets (Chinese and English and more), embedded with bge-small-zh (512-d). */
    static Corpus realCorpus(int wanted) {
        if (realCorpus != null && realCorpus.texts().size() >= wanted) {
            return realCorpus;
        }
        Set<String> s = new LinkedHashSet<>();
        s.addAll(Datasets.fields("atec/train.jsonl", "text_a", "text_b"));
        for (String f : List.of("clinc150/train.jsonl", "clinc150/validation.jsonl", "banking77/train.jsonl",
                "banking77/validation.jsonl", "smp2017_ecdt/train.jsonl", "xsid/validation.jsonl",
                "fb_multilingual_tod/train.jsonl", "fb_multilingual_tod/validation.jsonl")) {
            s.addAll(Datasets.fields(f, "text"));
        }
        s.addAll(Datasets.fields("crosswoz/dialogues.jsonl", "content"));
        List<String> all = new ArrayList<>(s);
        all.removeIf(String::isBlank);
        // shuffle so the indexed part and the held-out queries mix every source
        java.util.Collections.shuffle(all, new Random(42));
        if (all.size() < wanted) {
            throw new IllegalStateException("only " + all.size() + " distinct sentences in the datasets, wanted " + wanted);
        }
        List<String> texts = new ArrayList<>(all.subList(0, wanted));
        float[][] v = Embeddings.encode(EncoderSpec.BGE_SMALL_ZH, texts, threads, cache);
        realCorpus = new Corpus(texts, v);
        return realCorpus;
    }

    static Corpus randomCorpus(int count, int dim, long seed) {
        Random r = new Random(seed);
        float[][] v = new float[count][];
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            v[i] = Fixtures.randomUnit(r, dim);
            texts.add("item " + i);
        }
        return new Corpus(texts, v);
    }

    static List<IndexEntry> entries(Corpus c, int from, int to) {
        List<IndexEntry> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(new IndexEntry("e" + i, "t" + i, EntryKind.PRODUCT, "zh", c.texts().get(i), c.vectors()[i].clone()));
        }
        return out;
    }

    // ------------------------------------------------------------------ crossover

    static void crossover() {
        int[] sizes = {500, 1000, 2000, 4000, 8000, 16000, 32000};
        int q = Math.min(queries, 1000);
        int max = sizes[sizes.length - 1];
        Corpus real = realCorpus(Math.max(max + q, n + queries));
        Corpus random384 = randomCorpus(max + q, 384, 7);
        for (Corpus c : List.of(real, random384)) {
            int dim = c.vectors()[0].length;
            String label = c == real ? "real bge-small-zh 512-d" : "random 384-d";
            System.out.printf("%n== crossover, %s, %d queries, HNSW M=%d efC=%d ef=%d%n", label, q,
                    HnswParams.DEFAULT_M, HnswParams.DEFAULT_EF_CONSTRUCTION, HnswParams.DEFAULT_EF);
            System.out.println("| entries | exact p50 µs | exact p99 µs | exact CPU p50/p99 µs | HNSW p50 µs | HNSW p99 µs | HNSW CPU p50/p99 µs | HNSW recall@10 | HNSW build s |");
            System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            float[][] qs = Arrays.copyOfRange(c.vectors(), c.vectors().length - q, c.vectors().length);
            for (int size : sizes) {
                List<IndexEntry> es = entries(c, 0, size);
                ExactVectorIndex exact = ExactVectorIndex.of(dim, es);
                List<List<String>> truth = new ArrayList<>();
                for (float[] v : qs) {
                    truth.add(Fixtures.ids(exact.search(v, 10)));
                }
                Lat ex = latencies(qs, v -> exact.search(v, 10));
                long t0 = System.nanoTime();
                HnswVectorIndex h = HnswVectorIndex.build(dim, es, withThreads(HnswParams.defaults()));
                double build = (System.nanoTime() - t0) / 1e9;
                Lat hn = latencies(qs, v -> h.search(v, 10));
                System.out.printf("| %,d | %.0f | %.0f | %.0f / %.0f | %.0f | %.0f | %.0f / %.0f | %.4f | %.1f |%n", size,
                        ex.p50(), ex.p99(), ex.cpu50(), ex.cpu99(), hn.p50(), hn.p99(), hn.cpu50(), hn.cpu99(),
                        recall(h, qs, truth, 10), build);
            }
        }
    }

    // ------------------------------------------------------------------ large

    static void large() throws Exception {
        Corpus real = realCorpus(n + queries);
        large("random unit vectors 512-d", randomCorpus(n + queries, 512, 11), false);
        large("real sentence embeddings (bge-small-zh, 512-d)", real, true);
    }

    static void large(String label, Corpus c, boolean real) throws Exception {
        int dim = c.vectors()[0].length;
        System.out.printf("%n== %s: %,d entries, %d queries%n", label, n, queries);
        float[][] qs = Arrays.copyOfRange(c.vectors(), n, n + queries);
        List<String> qtexts = c.texts().subList(n, n + queries);

        // exact baseline: ground truth and its latency (in its own method so it is garbage before the heap is measured)
        List<List<String>> truth = new ArrayList<>();
        Lat exactLat = exactBaseline(c, dim, qs, truth);
        System.out.printf("exact search at %,d: p50 %.2f ms, p99 %.2f ms (CPU %.2f / %.2f ms)%n", n, exactLat.p50() / 1000,
                exactLat.p99() / 1000, exactLat.cpu50() / 1000, exactLat.cpu99() / 1000);

        // build through the public API: vectors + graph + lexical index, memory measured on the heap
        Path snapDir = Files.createTempDirectory("nectar-bench-snap");
        IndexConfig config = IndexConfig.defaults().withHnsw(withThreads(HnswParams.defaults())).withSnapshots(snapDir, 0);
        long heap0 = usedHeap();
        KnowledgeIndex index = new KnowledgeIndex(config);
        long t0 = System.nanoTime();
        index.replace("bench", "space", dim, entries(c, 0, n));
        double build = (System.nanoTime() - t0) / 1e9;
        long heap1 = usedHeap();
        long measured = heap1 - heap0;
        long estimated = index.bytes("bench");
        HnswVectorIndex h = (HnswVectorIndex) index.vectorIndex("bench", "space");
        System.out.printf("build (HNSW M=%d efC=%d, %d threads, + lexical index): %.1f s (%.0f entries/s)%n",
                h.params().m(), h.params().efConstruction(), threads, build, n / build);
        System.out.printf("memory: measured %.0f bytes/entry on the heap (vector alone %d), index estimate %.0f bytes/entry%n",
                (double) measured / n, 4 * dim + 16, (double) estimated / n);

        System.out.println("| ef | recall@10 | p50 µs | p99 µs | CPU p50 µs | CPU p99 µs |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int ef : new int[]{16, 32, 40, 48, 56, 64, 100, 150, 200}) {
            h.setEf(ef);
            Lat lat = latencies(qs, v -> h.search(v, 10));
            System.out.printf("| %d | %.4f | %.0f | %.0f | %.0f | %.0f |%n", ef, recall(h, qs, truth, 10), lat.p50(), lat.p99(),
                    lat.cpu50(), lat.cpu99());
        }
        h.setEf(HnswParams.DEFAULT_EF);
        Lat api = latencies(qs, v -> index.search("bench", "space", v, 10));
        System.out.printf("KnowledgeIndex.search (vector, ef=%d): p50 %.0f µs, p99 %.0f µs (CPU %.0f / %.0f µs)%n",
                HnswParams.DEFAULT_EF, api.p50(), api.p99(), api.cpu50(), api.cpu99());
        if (real) {
            java.util.Map<float[], String> textOf = new java.util.IdentityHashMap<>();
            for (int i = 0; i < qs.length; i++) {
                textOf.put(qs[i], qtexts.get(i));
            }
            Lat hyb = latencies(qs, v -> index.search("bench", "space", v, textOf.get(v), 10));
            System.out.printf("KnowledgeIndex.search (hybrid, with query text): p50 %.0f µs, p99 %.0f µs (CPU %.0f / %.0f µs)%n",
                    hyb.p50(), hyb.p99(), hyb.cpu50(), hyb.cpu99());
        }

        // live inserts, single thread, into the 100k graph (with the lexical index)
        int inserts = 2000;
        Random r = new Random(3);
        long t1 = System.nanoTime();
        for (int i = 0; i < inserts; i++) {
            float[] v = real ? c.vectors()[(n + i) % c.vectors().length].clone() : Fixtures.randomUnit(r, dim);
            index.upsert("bench", "space", new IndexEntry("new" + i, "t", EntryKind.PRODUCT, "zh", "new item " + i, v));
        }
        double ins = (System.nanoTime() - t1) / 1e9;
        System.out.printf("live insert, 1 thread: %.0f entries/s (%.2f ms each)%n", inserts / ins, ins * 1000 / inserts);

        // snapshot write and load
        long t2 = System.nanoTime();
        index.snapshot("bench").get(10, TimeUnit.MINUTES);
        double write = (System.nanoTime() - t2) / 1e9;
        long size = Files.size(index.snapshotFile("bench"));
        index.close();
        KnowledgeIndex reopened = new KnowledgeIndex(config);
        long t3 = System.nanoTime();
        OpenResult res = reopened.open("bench", null, () -> {
            throw new IllegalStateException("must load from the snapshot");
        }).get(10, TimeUnit.MINUTES);
        double load = (System.nanoTime() - t3) / 1e9;
        System.out.printf("snapshot: %.0f MB written in %.1f s; open from snapshot (verify + decode + lexical index) %.1f s -> %s, %,d entries%n",
                size / 1e6, write, load, res.outcome(), res.entries());
        List<String> after = Fixtures.ids(reopened.search("bench", "space", qs[0], 10));
        System.out.printf("same top-10 after reload for query 0: %s%n", after.equals(Fixtures.ids(
                ((HnswVectorIndex) reopened.vectorIndex("bench", "space")).search(qs[0], 10))));
        reopened.close();
        try (var files = Files.list(snapDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(snapDir);
    }

    private static Lat exactBaseline(Corpus c, int dim, float[][] qs, List<List<String>> truth) {
        ExactVectorIndex exact = ExactVectorIndex.of(dim, entries(c, 0, n));
        for (float[] v : qs) {
            truth.add(Fixtures.ids(exact.search(v, 10)));
        }
        return latencies(Arrays.copyOf(qs, Math.min(qs.length, 300)), v -> exact.search(v, 10));
    }

    // ------------------------------------------------------------------ helpers

    static HnswParams withThreads(HnswParams p) {
        return new HnswParams(p.m(), p.efConstruction(), p.ef(), threads);
    }

    interface Search {
        List<SearchHit> run(float[] q);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Per-query latencies in µs, sorted, after one warm-up pass: wall clock, and the thread's CPU time,
     * which a shared machine's descheduling does not inflate (on a quiet machine the two agree).
     */
    record Lat(long[] wall, long[] cpu) {
        double p50() {
            return p(wall, 50);
        }

        double p99() {
            return p(wall, 99);
        }

        double cpu50() {
            return p(cpu, 50);
        }

        double cpu99() {
            return p(cpu, 99);
        }
    }

    static Lat latencies(float[][] qs, Search s) {
        for (float[] q : qs) {
            s.run(q);
        }
        long[] wall = new long[qs.length];
        long[] cpu = new long[qs.length];
        for (int i = 0; i < qs.length; i++) {
            long c = THREADS.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            s.run(qs[i]);
            wall[i] = (System.nanoTime() - t) / 1000;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - c) / 1000;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new Lat(wall, cpu);
    }

    static double p(long[] sorted, double pct) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(pct / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double recall(VectorIndex index, float[][] qs, List<List<String>> truth, int k) {
        long found = 0, total = 0;
        for (int i = 0; i < qs.length; i++) {
            List<String> t = truth.get(i);
            for (String id : Fixtures.ids(index.search(qs[i], k))) {
                if (t.contains(id)) {
                    found++;
                }
            }
            total += t.size();
        }
        return (double) found / total;
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }
}
