package io.nectar.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One tenant's entries of one vector space: a vector index (exact or HNSW, switched by size) and a
 * lexical index over the same entries.
 * <p>
 * Threads: searches never lock. Writes serialise on a lock that searches never take. When the space
 * outgrows exact search, shrinks far below the crossover, or its graph fills with tombstones, a new
 * vector index is built on the maintenance executor from a copy of the entries while searches and writes
 * go on against the old one; writes made meanwhile are replayed into the new index before it is
 * published. Only a write into a completely full graph waits for that rebuild.
 */
final class Space {

    private static final Logger log = LoggerFactory.getLogger(Space.class);

    private record Op(IndexEntry upsert, String removeId) {
    }

    private final String name;
    private final int dimension;
    private final IndexConfig config;
    private final LexicalIndex lexical;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition rebuilt = writeLock.newCondition();
    private volatile VectorIndex vectors;
    /** Non-null while a rebuild runs; guarded by writeLock. */
    private List<Op> replay;

    private Space(String name, int dimension, IndexConfig config, VectorIndex vectors) {
        this.name = name;
        this.dimension = dimension;
        this.config = config;
        this.vectors = vectors;
        this.lexical = LexicalIndex.build(config.hybrid().k1(), config.hybrid().b(), vectors.entries());
    }

    /** A space holding these entries, exact or HNSW by size. Blocking CPU work (a graph build). */
    static Space build(String name, int dimension, IndexConfig config, Collection<IndexEntry> entries) {
        Map<String, IndexEntry> byId = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            if (e.vector().length != dimension) {
                throw new IllegalArgumentException("entry " + e.id() + " has " + e.vector().length
                        + " dimensions, space " + name + " has " + dimension);
            }
            byId.put(e.id(), e);
        }
        return new Space(name, dimension, config, newVectorIndex(dimension, config, byId.values()));
    }

    /** A space around a vector index read from a snapshot; the lexical index is rebuilt from its texts. */
    static Space restore(String name, IndexConfig config, VectorIndex vectors) {
        return new Space(name, vectors.dimension(), config, vectors);
    }

    private static VectorIndex newVectorIndex(int dimension, IndexConfig config, Collection<IndexEntry> entries) {
        return entries.size() > config.exactThreshold()
                ? HnswVectorIndex.build(dimension, entries, config.hnsw())
                : ExactVectorIndex.of(dimension, entries);
    }

    String name() {
        return name;
    }

    int dimension() {
        return dimension;
    }

    VectorIndex vectors() {
        return vectors;
    }

    int size() {
        return vectors.size();
    }

    long bytes() {
        return vectors.bytes() + lexical.bytes();
    }

    /** Adds or replaces an entry. May wait only if the graph is completely full and being rebuilt. */
    void upsert(IndexEntry e, Executor maintenance) {
        if (e.vector().length != dimension) {
            throw new IllegalArgumentException("entry " + e.id() + " has " + e.vector().length
                    + " dimensions, space " + name + " has " + dimension);
        }
        writeLock.lock();
        try {
            awaitRoom(maintenance);
            vectors.upsert(e);
            lexical.put(e.id(), e.text());
            if (replay != null) {
                replay.add(new Op(e, null));
            }
            scheduleRebuildIfNeeded(maintenance);
        } finally {
            writeLock.unlock();
        }
    }

    boolean remove(String id, Executor maintenance) {
        writeLock.lock();
        try {
            boolean had = vectors.remove(id);
            lexical.remove(id);
            if (had && replay != null) {
                replay.add(new Op(null, id));
            }
            scheduleRebuildIfNeeded(maintenance);
            return had;
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code action} with writes held off (e.g. to save a consistent snapshot). */
    <T> T withWritesPaused(java.util.function.Supplier<T> action) {
        writeLock.lock();
        try {
            return action.get();
        } finally {
            writeLock.unlock();
        }
    }

    private void awaitRoom(Executor maintenance) {
        while (vectors instanceof HnswVectorIndex h && h.slotsLeft() < 1) {
            if (replay == null) {
                if (!startRebuild(maintenance)) {
                    throw new IllegalStateException("space " + name + " is full and cannot be rebuilt now");
                }
            }
            try {
                if (!rebuilt.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("space " + name + " is full; rebuild timed out");
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for room in space " + name, ex);
            }
        }
    }

    private void scheduleRebuildIfNeeded(Executor maintenance) {
        if (replay == null && needsRebuild(vectors)) {
            startRebuild(maintenance);
        }
    }

    private boolean needsRebuild(VectorIndex v) {
        int threshold = config.exactThreshold();
        if (v instanceof HnswVectorIndex h) {
            return h.size() < threshold / 2
                    || h.tombstones() > Math.max(1000, h.size() / 4)
                    || h.slotsLeft() < h.capacity() / 10;
        }
        return v.size() > threshold;
    }

    /** Call with writeLock held. */
    private boolean startRebuild(Executor maintenance) {
        List<IndexEntry> copy = vectors.entries();
        replay = new ArrayList<>();
        try {
            maintenance.execute(() -> rebuild(copy));
            return true;
        } catch (RejectedExecutionException ex) {
            replay = null;
            log.warn("space {}: rebuild postponed, maintenance queue full", name);
            return false;
        }
    }

    private void rebuild(List<IndexEntry> copy) {
        long t0 = System.nanoTime();
        VectorIndex next = null;
        try {
            next = newVectorIndex(dimension, config, copy);
        } catch (RuntimeException ex) {
            log.error("space {}: rebuild failed; keeping the current index", name, ex);
        }
        writeLock.lock();
        try {
            if (next != null) {
                for (Op op : replay) {
                    if (op.upsert() != null) {
                        next.upsert(op.upsert());
                    } else {
                        next.remove(op.removeId());
                    }
                }
                String from = kind(vectors);
                vectors = next;
                log.info("space {}: rebuilt {} -> {} with {} entries ({} replayed) in {} ms", name, from, kind(next),
                        next.size(), replay.size(), (System.nanoTime() - t0) / 1_000_000);
            }
            replay = null;
            rebuilt.signalAll();
        } finally {
            writeLock.unlock();
        }
    }

    static String kind(VectorIndex v) {
        return v instanceof HnswVectorIndex ? "hnsw" : "exact";
    }

    String kind() {
        return kind(vectors);
    }

    List<SearchHit> search(float[] query, String text, int k, Ranking ranking, HybridParams hp) {
        if (k <= 0) {
            return List.of();
        }
        VectorIndex v = vectors;
        switch (ranking) {
            case VECTOR:
                return v.search(query, k);
            case LEXICAL:
                return lexicalOnly(v, text, k);
            default:
                return hybrid(v, query, text, k, hp);
        }
    }

    private List<SearchHit> lexicalOnly(VectorIndex v, String text, int k) {
        List<SearchHit> out = new ArrayList<>();
        for (LexicalIndex.Match m : lexical.search(LexicalIndex.Query.of(text), k).top()) {
            IndexEntry e = v.get(m.doc().entryId);
            if (e != null) {
                out.add(new SearchHit(e, m.score(), Float.NaN, m.score()));
            }
        }
        return out;
    }

    private List<SearchHit> hybrid(VectorIndex v, float[] query, String text, int k, HybridParams hp) {
        int c = Math.max(k, hp.candidates());
        List<SearchHit> vec = v.search(query, c);
        LexicalIndex.Query q = LexicalIndex.Query.of(text);
        if (q.isEmpty()) {
            return vec.size() > k ? vec.subList(0, k) : vec;
        }
        LexicalIndex.Result lexResult = lexical.search(q, c);
        List<LexicalIndex.Match> lex = lexResult.top();
        Map<String, Integer> lexRank = new HashMap<>();
        for (int i = 0; i < lex.size(); i++) {
            lexRank.put(lex.get(i).doc().entryId, i);
        }
        Map<String, SearchHit> fused = new LinkedHashMap<>();
        for (int i = 0; i < vec.size(); i++) {
            SearchHit h = vec.get(i);
            String id = h.entry().id();
            fused.put(id, fuse(h.entry(), h.score(), i, lexResult.match(id), lexRank.get(id), hp));
        }
        for (int i = 0; i < lex.size(); i++) {
            LexicalIndex.Match m = lex.get(i);
            String id = m.doc().entryId;
            if (fused.containsKey(id)) {
                continue;
            }
            IndexEntry e = v.get(id);
            if (e == null) {
                continue; // removed since the lexical lookup
            }
            float cos = VectorMath.dot(query, e.vector());
            fused.put(id, fuse(e, cos, -1, m, i, hp));
        }
        List<SearchHit> out = new ArrayList<>(fused.values());
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    private static SearchHit fuse(IndexEntry e, float cos, int vecRank, LexicalIndex.Match m, Integer lexRank, HybridParams hp) {
        float lex = m == null ? 0f : m.score();
        float boost = m != null && m.identifier() ? hp.identifierBoost() : 0f;
        float score;
        if (hp.fusion() == HybridParams.Fusion.RRF) {
            score = (vecRank >= 0 ? 1f / (60 + vecRank) : 0f) + (lexRank != null ? 1f / (60 + lexRank) : 0f) + boost;
        } else {
            score = cos + hp.lexicalWeight() * lex + boost;
        }
        return new SearchHit(e, score, cos, lex);
    }
}
