package io.nectar.index;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every merchant's knowledge, walled off by tenant. Within a tenant, entries live in one vector space
 * per encoder (vectors of different encoders are not comparable). A search names its tenant and can
 * only ever see that tenant's entries.
 * <p>
 * Thread-safe; searches run concurrently with updates and see each update once it returns. Search is CPU
 * work: callers run it on a worker thread.
 */
public final class KnowledgeIndex {

    private record SpaceKey(String tenant, String space) {
    }

    private final Map<SpaceKey, VectorIndex> spaces = new ConcurrentHashMap<>();

    /** Replaces everything the tenant has in this space with {@code entries}, atomically for readers. */
    public void replace(String tenant, String space, int dimension, List<IndexEntry> entries) {
        spaces.put(new SpaceKey(tenant, space), ExactVectorIndex.of(dimension, entries));
    }

    /** Adds or replaces one entry; creates the space on first use. */
    public void upsert(String tenant, String space, IndexEntry entry) {
        spaces.computeIfAbsent(new SpaceKey(tenant, space), k -> new ExactVectorIndex(entry.vector().length)).upsert(entry);
    }

    public boolean remove(String tenant, String space, String entryId) {
        VectorIndex index = spaces.get(new SpaceKey(tenant, space));
        return index != null && index.remove(entryId);
    }

    /** The tenant's {@code k} closest entries in this space; empty when the tenant has none there. */
    public List<SearchHit> search(String tenant, String space, float[] query, int k) {
        VectorIndex index = spaces.get(new SpaceKey(tenant, space));
        return index == null ? List.of() : index.search(query, k);
    }

    /** Entries the tenant has in this space. */
    public int size(String tenant, String space) {
        VectorIndex index = spaces.get(new SpaceKey(tenant, space));
        return index == null ? 0 : index.size();
    }

    public Set<String> tenants() {
        Set<String> out = ConcurrentHashMap.newKeySet();
        spaces.keySet().forEach(k -> out.add(k.tenant()));
        return out;
    }

    public void dropTenant(String tenant) {
        spaces.keySet().removeIf(k -> k.tenant().equals(tenant));
    }
}
