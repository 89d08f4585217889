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
 * Readers work on an immutable snapshot (entry metadata plus one flat float matrix, the only copy of the
 * vectors) and never lock; writers serialise on this object and publish a new snapshot, so an edit is
 * visible to the next search. Each write copies the matrix: cheap at the sizes this index is meant for;
 * use {@link #upsertAll} for batches.
 */
public final class ExactVectorIndex implements VectorIndex {

    /** An entry without its vector; the vector is row {@code i} of the matrix. */
    private record Meta(String id, String target, EntryKind kind, String lang, String text) {
        static Meta of(IndexEntry e) {
            return new Meta(e.id(), e.target(), e.kind(), e.lang(), e.text());
        }
    }

    private record Snapshot(Meta[] metas, float[] matrix, Map<String, Integer> positions, long bytes) {
    }

    private final int dimension;
    private volatile Snapshot snapshot;

    public ExactVectorIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1");
        }
        this.dimension = dimension;
        this.snapshot = new Snapshot(new Meta[0], new float[0], Map.of(), 0);
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
        int n = s.metas().length;
        Meta[] metas = Arrays.copyOf(s.metas(), n + added);
        float[] matrix = Arrays.copyOf(s.matrix(), (n + added) * dimension);
        Map<String, Integer> positions = new HashMap<>(s.positions());
        int next = n;
        for (IndexEntry e : byId.values()) {
            Integer at = positions.get(e.id());
            int row = at != null ? at : next++;
            metas[row] = Meta.of(e);
            System.arraycopy(e.vector(), 0, matrix, row * dimension, dimension);
            positions.put(e.id(), row);
        }
        snapshot = new Snapshot(metas, matrix, Map.copyOf(positions), estimate(metas, dimension));
    }

    @Override
    public synchronized boolean remove(String id) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        if (at == null) {
            return false;
        }
        int n = s.metas().length;
        int last = n - 1;
        Meta[] metas = Arrays.copyOf(s.metas(), last);
        float[] matrix = Arrays.copyOf(s.matrix(), last * dimension);
        Map<String, Integer> positions = new HashMap<>(s.positions());
        positions.remove(id);
        if (at != last) {
            // the last row fills the hole
            metas[at] = s.metas()[last];
            System.arraycopy(s.matrix(), last * dimension, matrix, at * dimension, dimension);
            positions.put(metas[at].id(), at);
        }
        snapshot = new Snapshot(metas, matrix, Map.copyOf(positions), estimate(metas, dimension));
        return true;
    }

    @Override
    public List<SearchHit> search(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index has " + dimension);
        }
        Snapshot s = snapshot;
        int n = s.metas().length;
        if (n == 0 || k <= 0) {
            return List.of();
        }
        float[] m = s.matrix();
        int kk = Math.min(k, n);
        // bounded min-heap of row indices, ordered by score
        int[] heap = new int[kk];
        float[] scores = new float[kk];
        int size = 0;
        for (int i = 0; i < n; i++) {
            float score = VectorMath.dot(query, m, i * dimension);
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
            out.add(new SearchHit(materialise(s, heap[j]), scores[j]));
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

    private IndexEntry materialise(Snapshot s, int row) {
        Meta meta = s.metas()[row];
        float[] v = Arrays.copyOfRange(s.matrix(), row * dimension, (row + 1) * dimension);
        return new IndexEntry(meta.id(), meta.target(), meta.kind(), meta.lang(), meta.text(), v);
    }

    @Override
    public IndexEntry get(String id) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        return at == null ? null : materialise(s, at);
    }

    @Override
    public float score(String id, float[] query) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        return at == null ? Float.NaN : VectorMath.dot(query, s.matrix(), at * dimension);
    }

    @Override
    public List<IndexEntry> entries() {
        Snapshot s = snapshot;
        List<IndexEntry> out = new ArrayList<>(s.metas().length);
        for (int i = 0; i < s.metas().length; i++) {
            out.add(materialise(s, i));
        }
        return out;
    }

    @Override
    public int size() {
        return snapshot.metas().length;
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

    private static long estimate(Meta[] metas, int dimension) {
        long b = MemoryEstimate.floats(metas.length * dimension) + MemoryEstimate.refs(metas.length);
        for (Meta m : metas) {
            // record + strings, plus one slot of the immutable position map (key ref, boxed value)
            b += 32 + MemoryEstimate.string(m.id()) + MemoryEstimate.string(m.target())
                    + MemoryEstimate.string(m.text()) + 8 + 16;
        }
        return b;
    }
}
