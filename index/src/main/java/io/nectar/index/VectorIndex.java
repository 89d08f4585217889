package io.nectar.index;

import java.util.List;

/**
 * Nearest-neighbour search over unit vectors of one dimension, by cosine similarity. Implementations are
 * safe for concurrent readers and writers; searches never wait for writes. Search is CPU work: run it on
 * a worker thread, not an event loop.
 */
public interface VectorIndex {

    int dimension();

    /** Adds the entry or replaces the one with the same id. */
    void upsert(IndexEntry entry);

    /** Removes the entry with this id; returns whether there was one. */
    boolean remove(String id);

    /** The {@code k} entries closest to {@code query}, closest first. */
    List<SearchHit> search(float[] query, int k);

    int size();
}
