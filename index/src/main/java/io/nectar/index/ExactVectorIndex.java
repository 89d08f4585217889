package io.nectar.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exact search: compares the query with every vector. For a merchant's FAQ (hundreds to thousands of
 * lines) this is both faster than a graph index and perfectly accurate.
 * <p>
 * Readers work on an immutable snapshot (entries plus one flat float matrix) and never lock; writers
 * serialise on this object and publish a new snapshot, so an edit is visible to the next search.
 */
public final class ExactVectorIndex implements VectorIndex {

    private record Snapshot(IndexEntry[] entries, float[] matrix, Map<String, Integer> positions) {
    }

    private final int dimension;
    private volatile Snapshot snapshot;

    public ExactVectorIndex(int dimension) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1");
        }
        this.dimension = dimension;
        this.snapshot = new Snapshot(new IndexEntry[0], new float[0], Map.of());
    }

    /** An index holding exactly these entries (later ids replace earlier ones with the same id). */
    public static ExactVectorIndex of(int dimension, List<IndexEntry> entries) {
        ExactVectorIndex index = new ExactVectorIndex(dimension);
        Map<String, IndexEntry> byId = new java.util.LinkedHashMap<>();
        for (IndexEntry e : entries) {
            index.checkDimension(e);
            byId.put(e.id(), e);
        }
        index.snapshot = build(dimension, new ArrayList<>(byId.values()));
        return index;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public synchronized void upsert(IndexEntry entry) {
        checkDimension(entry);
        Snapshot s = snapshot;
        List<IndexEntry> list = new ArrayList<>(Arrays.asList(s.entries()));
        Integer at = s.positions().get(entry.id());
        if (at != null) {
            list.set(at, entry);
        } else {
            list.add(entry);
        }
        snapshot = build(dimension, list);
    }

    @Override
    public synchronized boolean remove(String id) {
        Snapshot s = snapshot;
        Integer at = s.positions().get(id);
        if (at == null) {
            return false;
        }
        List<IndexEntry> list = new ArrayList<>(Arrays.asList(s.entries()));
        list.remove((int) at);
        snapshot = build(dimension, list);
        return true;
    }

    @Override
    public List<SearchHit> search(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index has " + dimension);
        }
        Snapshot s = snapshot;
        int n = s.entries().length;
        if (n == 0 || k <= 0) {
            return List.of();
        }
        float[] m = s.matrix();
        PriorityQueue<SearchHit> top = new PriorityQueue<>(k + 1, (a, b) -> Float.compare(a.score(), b.score()));
        for (int i = 0; i < n; i++) {
            float score = 0;
            int off = i * dimension;
            for (int d = 0; d < dimension; d++) {
                score += m[off + d] * query[d];
            }
            if (top.size() < k) {
                top.add(new SearchHit(s.entries()[i], score));
            } else if (score > top.peek().score()) {
                top.poll();
                top.add(new SearchHit(s.entries()[i], score));
            }
        }
        List<SearchHit> out = new ArrayList<>(top);
        out.sort((a, b) -> Float.compare(b.score(), a.score()));
        return out;
    }

    @Override
    public int size() {
        return snapshot.entries().length;
    }

    private void checkDimension(IndexEntry e) {
        if (e.vector().length != dimension) {
            throw new IllegalArgumentException("entry " + e.id() + " has " + e.vector().length
                    + " dimensions, index has " + dimension);
        }
    }

    private static Snapshot build(int dimension, List<IndexEntry> list) {
        IndexEntry[] entries = list.toArray(new IndexEntry[0]);
        float[] matrix = new float[entries.length * dimension];
        Map<String, Integer> positions = new HashMap<>(entries.length * 2);
        for (int i = 0; i < entries.length; i++) {
            System.arraycopy(entries[i].vector(), 0, matrix, i * dimension, dimension);
            positions.put(entries[i].id(), i);
        }
        return new Snapshot(entries, matrix, Map.copyOf(positions));
    }
}
