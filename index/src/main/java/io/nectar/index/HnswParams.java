package io.nectar.index;

/**
 * Tuning of the HNSW graph (hnswlib). Defaults come from the 100k × 512 benchmark in BENCHMARKS.md.
 *
 * @param m              links per node and layer (layer 0 gets 2m)
 * @param efConstruction candidate list size while inserting: build time versus graph quality
 * @param ef             candidate list size while searching: latency versus recall
 * @param buildThreads   threads a bulk build uses
 */
public record HnswParams(int m, int efConstruction, int ef, int buildThreads) {

    public static final int DEFAULT_M = 16;
    public static final int DEFAULT_EF_CONSTRUCTION = 100;
    /**
     * At 100k real 512-d embeddings: recall@10 0.985 with p99 0.96 ms single thread (BENCHMARKS.md);
     * 40 gives 0.982 / 0.82 ms, 64 gives 0.989 / 1.17 ms.
     */
    public static final int DEFAULT_EF = 48;

    public HnswParams {
        if (m < 2 || m > 128) {
            throw new IllegalArgumentException("m must be in 2..128, was " + m);
        }
        if (efConstruction < 1 || ef < 1 || buildThreads < 1) {
            throw new IllegalArgumentException("efConstruction, ef and buildThreads must be >= 1");
        }
    }

    public static HnswParams defaults() {
        return new HnswParams(DEFAULT_M, DEFAULT_EF_CONSTRUCTION, DEFAULT_EF, Runtime.getRuntime().availableProcessors());
    }

    public HnswParams withEf(int newEf) {
        return new HnswParams(m, efConstruction, newEf, buildThreads);
    }
}
