package io.nectar.index;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One tenant of a {@link KnowledgeIndex}: its spaces when resident, and what it takes to bring them back. */
final class Tenant {
    final String id;
    final Object lock = new Object();
    /** Null while evicted. Replaced whole (copy-on-write) so searches need no lock. */
    volatile Map<String, Space> spaces = Map.of();
    volatile long lastUsed = System.nanoTime();
    volatile boolean dirty;
    volatile boolean snapshotted;
    volatile TenantSource source;
    volatile String sourceVersion;
    /** Pending load, guarded by lock. */
    CompletableFuture<Void> loading;

    Tenant(String id) {
        this.id = id;
    }

    long bytes() {
        Map<String, Space> s = spaces;
        long b = 0;
        if (s != null) {
            for (Space sp : s.values()) {
                b += sp.bytes();
            }
        }
        return b;
    }

    /** Estimated heap bytes of the resident ones among {@code tenants}. */
    static long residentBytes(Collection<Tenant> tenants) {
        long b = 0;
        for (Tenant t : tenants) {
            b += t.bytes();
        }
        return b;
    }
}
