package io.nectar.index;

import java.util.List;

/** Everything one tenant has in one vector space: what a {@link TenantSource} builds. */
public record SpaceContent(String space, int dimension, List<IndexEntry> entries) {
    public SpaceContent {
        if (space == null || dimension < 1 || entries == null) {
            throw new IllegalArgumentException("space, dimension >= 1 and entries are required");
        }
        entries = List.copyOf(entries);
    }
}
