package io.nectar.index;

import java.util.Collection;
import java.util.List;

/**
 * Nearest-neighbour search over unit vectors of one dimension, by cosine similarity. Implementations are
 * safe for concurrent readers and writers; searches never wait for writes, and see every write that
 * returned before they started. Search is CPU work: run it on a worker thread, not an event loop.
 */
public interface VectorIndex {

    int dimension();

    /** Adds the entry or replaces the one with the same id. */
    void upsert(IndexEntry entry);

    /** Adds or replaces several entries; may be cheaper than one {@link #upsert} each. */
    default void upsertAll(Collection<IndexEntry> entries) {
        for (IndexEntry e : entries) {
            upsert(e);
        }
    }

    /** Removes the entry with this id; returns whether there was one. */
    boolean remove(String id);

    /** The {@code k} entries closest to {@code query}, closest first. */
    List<SearchHit> search(float[] query, int k);

    /** The entry with this id, or {@code null}. */
    IndexEntry get(String id);

    /** Cosine similarity of {@code query} and the entry with this id; {@code NaN} when there is none. */
    float score(String id, float[] query);

    /** A copy of every entry, in no particular order (for snapshots and rebuilds). */
    List<IndexEntry> entries();

    int size();

    /** Estimated heap bytes held: vectors, graph and entry metadata. */
    long bytes();
}
