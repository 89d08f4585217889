package io.nectar.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The index's memory budget ({@link IndexConfig#memoryBudgetBytes()}): when the resident tenants' estimated
 * bytes exceed it, the least recently searched tenants are evicted on the I/O pool (a dirty one's snapshot is
 * written first) until the total fits; the most recently used tenant is never evicted. One eviction pass
 * runs at a time.
 */
final class Eviction {

    private static final Logger log = LoggerFactory.getLogger(Eviction.class);

    private final IndexConfig config;
    private final Map<String, Tenant> tenants;
    private final TenantFiles files;
    private final ExecutorService io;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong evictions = new AtomicLong();

    Eviction(IndexConfig config, Map<String, Tenant> tenants, TenantFiles files, ExecutorService io) {
        this.config = config;
        this.tenants = tenants;
        this.files = files;
        this.io = io;
    }

    /** Tenants evicted since start. */
    long count() {
        return evictions.get();
    }

    /** Whether an eviction pass is queued or running. */
    boolean running() {
        return running.get();
    }

    /** Starts an eviction pass on the I/O pool when the resident tenants are over the budget. */
    void enforce() {
        if (config.memoryBudgetBytes() <= 0 || Tenant.residentBytes(tenants.values()) <= config.memoryBudgetBytes()) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            io.execute(() -> {
                try {
                    evictToBudget();
                } catch (RuntimeException e) {
                    log.error("eviction failed", e);
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
            log.warn("eviction postponed: I/O queue full");
        }
    }

    private void evictToBudget() {
        List<Tenant> resident = new ArrayList<>();
        for (Tenant t : tenants.values()) {
            if (t.spaces != null) {
                resident.add(t);
            }
        }
        if (resident.size() < 2) {
            return;
        }
        resident.sort(Comparator.comparingLong(t -> t.lastUsed));
        long total = 0;
        for (Tenant t : resident) {
            total += t.bytes();
        }
        // never the most recently used tenant
        for (int i = 0; i < resident.size() - 1 && total > config.memoryBudgetBytes(); i++) {
            Tenant t = resident.get(i);
            synchronized (t.lock) {
                if (t.spaces == null || tenants.get(t.id) != t) {
                    continue;
                }
                long b = t.bytes();
                try {
                    if (t.dirty || !t.snapshotted) {
                        files.write(t);
                    }
                } catch (RuntimeException e) {
                    log.warn("tenant {}: not evicted, snapshot failed: {}", t.id, e.getMessage());
                    continue;
                }
                t.spaces = null;
                total -= b;
                evictions.incrementAndGet();
                log.debug("tenant {}: evicted ({} bytes)", t.id, b);
            }
        }
    }
}
