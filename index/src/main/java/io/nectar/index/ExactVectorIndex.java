package io.nectar.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact search: compares the query with every vector. Below a few thousand entries (the measured
 * crossover, see BENCHMARKS.md) this is both faster than a graph index and perfectly accurate.
 * <p>
 * Readers work on an immutable snapshot (the entries as added, whose vectors the index owns from then on,
 * {@link IndexEntry}) and never lock; writers serialise on this object and publish a new snapshot, so an
 * edit is visible to the next search. Each write copies the array of entries: cheap at the sizes this
 * index is meant for; use {@link #upsertAll} for batches. Hits and {@link #get} return the stored entries
 * themselves, never a copy (a search used to copy every candidate's vector: 6% of a search thread's time).
 */
public final class ExactVectorIndex implements VectorIndex {

    private record Snapshot(IndexEntry[] entries, Map<String, Integer> positions, long bytes) {
    }

    private final int dimension;
    private volatile Snapshot snapshot;

    public ExactVectorIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1");
        }
        this.dimension = dimension;
        this.snapshot = new Snapshot(new IndexEntry[0], Map.of(), 0);
    }

    /** An index holding exactly these entries (later ids replace earlier ones with the same id). */
    public static ExactVectorIndex of(int dimension, Collection<IndexEntry> entries) {
        ExactVectorIndex index = new ExactVectorIndex(dimension);
        index.upsertAll(entries);
        return index;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public void upsert(IndexEntry entry) {
        upsertAll(List.of(entry));
    }

    @Override
    public synchronized void upsertAll(Collection<IndexEntry> entries) {
        Map<String, IndexEntry> byId = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            checkDimension(e);
            byId.put(e.id(), e);
        }
        if (byId.isEmpty()) {
            return;
        }
        Snapshot s = snapshot;
        int added = 0;
        for (String id : byId.keySet()) {
            if (!s.positions().containsKey(id)) {
                added++;
            }
        }
        int n = s.entries().length;
        IndexEntry[] rows = Arrays.copyOf(s.entries(), n + added);
        Map<String, Integer> positions = new HashMap<>(s.positions());
        int next = n;
        for (IndexEntry e : byId.values()) {
            Integer at = positions.get(e.id());
            int row = at != null ? at : next++;
            rows[row] = e;
            positions.put(e.id(), row);
        }
        snapshot = new Snapshot(rows, Map.copyOf(positions), estimate(rows, dimension));
    }

    @Override
    public synchronized boolean remove(String id) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        if (at == null) {
            return false;
        }
        int last = s.entries().length - 1;
        IndexEntry[] rows = Arrays.copyOf(s.entries(), last);
        Map<String, Integer> positions = new HashMap<>(s.positions());
        positions.remove(id);
        if (at != last) {
            // the last row fills the hole
            rows[at] = s.entries()[last];
            positions.put(rows[at].id(), at);
        }
        snapshot = new Snapshot(rows, Map.copyOf(positions), estimate(rows, dimension));
        return true;
    }

    @Override
    public List<SearchHit> search(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index has " + dimension);
        }
        Snapshot s = snapshot;
        IndexEntry[] rows = s.entries();
        int n = rows.length;
        if (n == 0 || k <= 0) {
            return List.of();
        }
        int kk = Math.min(k, n);
        // bounded min-heap of row indices, ordered by score
        int[] heap = new int[kk];
        float[] scores = new float[kk];
        int size = 0;
        for (int i = 0; i < n; i++) {
            float score = VectorMath.dot(query, rows[i].vector(), 0);
            if (size < kk) {
                heap[size] = i;
                scores[size] = score;
                siftUp(heap, scores, size++);
            } else if (score > scores[0]) {
                heap[0] = i;
                scores[0] = score;
                siftDown(heap, scores, size);
            }
        }
        List<SearchHit> out = new ArrayList<>(size);
        for (int j = 0; j < size; j++) {
            out.add(new SearchHit(rows[heap[j]], scores[j]));
        }
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return out;
    }

    private static void siftUp(int[] heap, float[] scores, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (scores[p] <= scores[i]) {
                return;
            }
            swap(heap, scores, i, p);
            i = p;
        }
    }

    private static void siftDown(int[] heap, float[] scores, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int c = l + 1 < size && scores[l + 1] < scores[l] ? l + 1 : l;
            if (scores[i] <= scores[c]) {
                return;
            }
            swap(heap, scores, i, c);
            i = c;
        }
    }

    private static void swap(int[] heap, float[] scores, int a, int b) {
        int h = heap[a];
        heap[a] = heap[b];
        heap[b] = h;
        float f = scores[a];
        scores[a] = scores[b];
        scores[b] = f;
    }

    @Override
    public IndexEntry get(String id) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        return at == null ? null : s.entries()[at];
    }

    @Override
    public float score(String id, float[] query) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        return at == null ? Float.NaN : VectorMath.dot(query, s.entries()[at].vector(), 0);
    }

    @Override
    public List<IndexEntry> entries() {
        return List.of(snapshot.entries());
    }

    @Override
    public int size() {
        return snapshot.entries().length;
    }

    @Override
    public long bytes() {
        return snapshot.bytes();
    }

    private void checkDimension(IndexEntry e) {
        if (e.vector().length != dimension) {
            throw new IllegalArgumentException("entry " + e.id() + " has " + e.vector().length
                    + " dimensions, index has " + dimension);
        }
    }

    private static long estimate(IndexEntry[] rows, int dimension) {
        long b = MemoryEstimate.refs(rows.length);
        for (IndexEntry m : rows) {
            // record + its vector + strings, plus one slot of the immutable position map (key ref, boxed value)
            b += 32 + MemoryEstimate.floats(dimension) + MemoryEstimate.string(m.id()) + MemoryEstimate.string(m.target())
                    + MemoryEstimate.string(m.text()) + 8 + 16;
        }
        return b;
    }
}
