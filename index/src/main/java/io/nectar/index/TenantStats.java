package io.nectar.index;

import java.util.Map;

/**
 * A tenant's footprint.
 *
 * @param resident    whether it is in memory (false: evicted to its snapshot)
 * @param bytes       estimated heap bytes (vectors, graph, lexical index, entry metadata); 0 when evicted
 * @param spaces      per space: kind ({@code exact}/{@code hnsw}), entries, bytes (empty when evicted)
 * @param dirty       changed since its last snapshot
 * @param snapshotted a snapshot file exists
 */
public record TenantStats(boolean resident, long bytes, Map<String, SpaceStats> spaces, boolean dirty, boolean snapshotted) {

    public record SpaceStats(String kind, int entries, long bytes) {
    }
}
