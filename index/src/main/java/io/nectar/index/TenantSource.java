package io.nectar.index;

import java.util.List;

/**
 * Builds a tenant's index content from its source of truth (e.g. a merchant's store files, embedded).
 * The index calls it when the tenant has no usable snapshot: none yet, a stale one, or a corrupt one.
 * It runs on the index's I/O thread and may block (embedding a store takes seconds).
 */
@FunctionalInterface
public interface TenantSource {
    List<SpaceContent> build() throws Exception;
}
