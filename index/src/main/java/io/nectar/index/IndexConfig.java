package io.nectar.index;

import java.nio.file.Path;

/**
 * How a {@link KnowledgeIndex} is set up. Validated when built.
 *
 * @param exactThreshold    spaces with more entries than this use HNSW, smaller ones exact search (the
 *                          measured crossover, BENCHMARKS.md); a space switches in the background as it
 *                          grows or shrinks (back to exact below half of this)
 * @param hnsw              HNSW graph settings
 * @param hybrid            how hybrid searches fuse vector and lexical scores
 * @param memoryBudgetBytes resident tenants' estimated bytes above which the least recently used are
 *                          evicted to their snapshots; 0 = no budget
 * @param snapshotDir       where tenant snapshots live; required with a memory budget; {@code null} = none
 * @param ioThreads         threads for snapshot reads and writes, loads and evictions
 * @param ioQueue           snapshot/load tasks that may wait before new ones are refused
 */
public record IndexConfig(int exactThreshold, HnswParams hnsw, HybridParams hybrid, long memoryBudgetBytes,
                          Path snapshotDir, int ioThreads, int ioQueue) {

    /**
     * Measured crossover on real 512-d sentence embeddings with the scalar dot product (BENCHMARKS.md):
     * HNSW's median search overtakes the exact scan between 1,000 and 2,000 entries.
     */
    public static final int EXACT_THRESHOLD_SCALAR = 1_500;

    /**
     * The same with the SIMD dot product (JVM started with {@code --add-modules jdk.incubator.vector}):
     * the sequential exact scan gains more than the graph's scattered reads; crossover 4,000–8,000.
     */
    public static final int EXACT_THRESHOLD_SIMD = 5_000;

    /**
     * The crossover for the dot product this JVM uses. Below it exact search is as fast, perfectly
     * accurate, half the memory and cheaper to update.
     */
    public static final int DEFAULT_EXACT_THRESHOLD = "simd".equals(VectorMath.implementation())
            ? EXACT_THRESHOLD_SIMD : EXACT_THRESHOLD_SCALAR;

    public IndexConfig {
        if (exactThreshold < 1) {
            throw new IllegalArgumentException("exactThreshold must be >= 1");
        }
        if (hnsw == null || hybrid == null) {
            throw new IllegalArgumentException("hnsw and hybrid settings are required");
        }
        if (memoryBudgetBytes < 0) {
            throw new IllegalArgumentException("memoryBudgetBytes must be >= 0");
        }
        if (memoryBudgetBytes > 0 && snapshotDir == null) {
            throw new IllegalArgumentException("a memory budget needs a snapshot directory to evict tenants to");
        }
        if (ioThreads < 1 || ioQueue < 1) {
            throw new IllegalArgumentException("ioThreads and ioQueue must be >= 1");
        }
    }

    public static IndexConfig defaults() {
        return new IndexConfig(DEFAULT_EXACT_THRESHOLD, HnswParams.defaults(), HybridParams.defaults(), 0, null, 1, 1024);
    }

    public IndexConfig withExactThreshold(int n) {
        return new IndexConfig(n, hnsw, hybrid, memoryBudgetBytes, snapshotDir, ioThreads, ioQueue);
    }

    public IndexConfig withHnsw(HnswParams p) {
        return new IndexConfig(exactThreshold, p, hybrid, memoryBudgetBytes, snapshotDir, ioThreads, ioQueue);
    }

    public IndexConfig withHybrid(HybridParams h) {
        return new IndexConfig(exactThreshold, hnsw, h, memoryBudgetBytes, snapshotDir, ioThreads, ioQueue);
    }

    /** Snapshots in {@code dir}, and a memory budget ({@code 0} = none). */
    public IndexConfig withSnapshots(Path dir, long budgetBytes) {
        return new IndexConfig(exactThreshold, hnsw, hybrid, budgetBytes, dir, ioThreads, ioQueue);
    }
}
