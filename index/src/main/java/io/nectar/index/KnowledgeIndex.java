package io.nectar.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every merchant's knowledge, walled off by tenant. Within a tenant, entries live in one vector space
 * per encoder (vectors of different encoders are not comparable); each space is searchable by vector,
 * by words (BM25), or both fused ({@link Ranking}). A search names its tenant and can only ever see
 * that tenant's entries.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li><b>Searches</b> ({@code search}, {@code size}) are CPU work with no I/O and no locks: run them on
 *       a worker thread. They see every write that returned before they started. A search of a tenant
 *       that was evicted throws {@link TenantNotResidentException}; load it with {@link #ensureResident}.</li>
 *   <li><b>Writes</b> ({@code replace}, {@code replaceAll}, {@code upsert}, {@code remove},
 *       {@code dropTenant}) are blocking: CPU work (a graph insert; a whole graph for a large
 *       {@code replace}) and, when the tenant was evicted, a snapshot load first. Run them on a worker
 *       thread. Writes of one tenant are serialised; searches never wait for them.</li>
 *   <li><b>Snapshots, loads and evictions</b> ({@link #open}, {@link #ensureResident}, {@link #snapshot})
 *       run on this index's own bounded I/O pool ({@code index-io-N}) and return futures; a full queue
 *       fails the future with {@link java.util.concurrent.RejectedExecutionException}. Background graph
 *       rebuilds run on {@code index-rebuild}.</li>
 * </ul>
 *
 * <h2>Memory budget</h2>
 * With {@link IndexConfig#memoryBudgetBytes()} set, after a write or load pushes the resident tenants'
 * estimated bytes over the budget, the least recently searched tenants are evicted in the background
 * (a dirty tenant's snapshot is written first) until the total fits; the most recently used tenant is
 * never evicted. The budget is thus soft: it can be exceeded until the evictions finish.
 */
public final class KnowledgeIndex implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeIndex.class);

    private final IndexConfig config;
    private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor io;
    private final ThreadPoolExecutor maintenance;
    private final TenantFiles files;
    private final Eviction eviction;

    public KnowledgeIndex() {
        this(IndexConfig.defaults());
    }

    public KnowledgeIndex(IndexConfig config) {
        this.config = config;
        this.io = pool("index-io-", config.ioThreads(), config.ioQueue());
        this.maintenance = pool("index-rebuild-", 1, 256);
        this.files = new TenantFiles(config, tenants);
        this.eviction = new Eviction(config, tenants, files, io);
    }

    private static ThreadPoolExecutor pool(String prefix, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, prefix + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    public IndexConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- writes (blocking)

    /** Replaces everything the tenant has in this space with {@code entries}, atomically for readers. Blocking. */
    public void replace(String tenant, String space, int dimension, List<IndexEntry> entries) {
        Space built = Space.build(space, dimension, config, entries);
        Tenant t = tenants.computeIfAbsent(tenant, Tenant::new);
        synchronized (t.lock) {
            Map<String, Space> next = new LinkedHashMap<>(residentSpaces(t));
            next.put(space, built);
            t.spaces = Map.copyOf(next);
            t.dirty = true;
        }
        eviction.enforce();
    }

    /** Replaces all of the tenant's spaces at once: searches see the old content or the new, never a mix. Blocking. */
    public void replaceAll(String tenant, List<SpaceContent> content) {
        Map<String, Space> next = new LinkedHashMap<>();
        for (SpaceContent c : content) {
            next.put(c.space(), Space.build(c.space(), c.dimension(), config, c.entries()));
        }
        Tenant t = tenants.computeIfAbsent(tenant, Tenant::new);
        synchronized (t.lock) {
            t.spaces = Map.copyOf(next);
            t.dirty = true;
        }
        eviction.enforce();
    }

    /** Adds or replaces one entry; creates the space on first use. Visible to searches once it returns. Blocking. */
    public void upsert(String tenant, String space, IndexEntry entry) {
        Tenant t = tenants.computeIfAbsent(tenant, Tenant::new);
        synchronized (t.lock) {
            Map<String, Space> spaces = residentSpaces(t);
            Space s = spaces.get(space);
            if (s == null) {
                s = Space.build(space, entry.vector().length, config, List.of(entry));
                Map<String, Space> next = new LinkedHashMap<>(spaces);
                next.put(space, s);
                t.spaces = Map.copyOf(next);
            } else {
                s.upsert(entry, maintenance);
            }
            t.dirty = true;
        }
        eviction.enforce();
    }

    /** Removes one entry; returns whether there was one. Invisible to searches once it returns. Blocking. */
    public boolean remove(String tenant, String space, String entryId) {
        Tenant t = tenants.get(tenant);
        if (t == null) {
            return false;
        }
        synchronized (t.lock) {
            Space s = residentSpaces(t).get(space);
            boolean had = s != null && s.remove(entryId, maintenance);
            if (had) {
                t.dirty = true;
            }
            return had;
        }
    }

    /** Forgets the tenant, in memory and on disk (its snapshot is deleted). Blocking (a file delete). */
    public void dropTenant(String tenant) {
        Tenant t = tenants.remove(tenant);
        if (t == null) {
            return;
        }
        synchronized (t.lock) {
            t.spaces = Map.of();
            if (config.snapshotDir() != null) {
                try {
                    Files.deleteIfExists(snapshotFile(tenant));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete the snapshot of " + tenant, e);
                }
            }
        }
    }

    /** The tenant's spaces, loading them from the snapshot first if evicted. Call with t.lock held. */
    private Map<String, Space> residentSpaces(Tenant t) {
        Map<String, Space> s = t.spaces;
        if (s == null) {
            loadLocked(t);
            s = t.spaces;
        }
        return s;
    }

    // ---------------------------------------------------------------- searches (CPU, no I/O)

    /** The tenant's {@code k} entries closest to {@code query} by cosine; empty when it has none there. */
    public List<SearchHit> search(String tenant, String space, float[] query, int k) {
        return search(tenant, space, query, null, k, Ranking.VECTOR);
    }

    /**
     * Hybrid search: cosine similarity fused with BM25 over the entries' texts, so exact identifiers
     * (SKUs, order numbers, model names) and strong word overlap beat loose semantic neighbours. Hit
     * scores are fused scores ({@link HybridParams}); {@link SearchHit#cosine()} keeps the cosine.
     */
    public List<SearchHit> search(String tenant, String space, float[] query, String queryText, int k) {
        return search(tenant, space, query, queryText, k, Ranking.HYBRID);
    }

    /** Search with an explicit ranking ({@code query} may be null for {@link Ranking#LEXICAL}). */
    public List<SearchHit> search(String tenant, String space, float[] query, String queryText, int k, Ranking ranking) {
        return search(tenant, space, query, queryText, k, ranking, config.hybrid());
    }

    /** Search with explicit fusion settings (for tuning and benchmarks). */
    public List<SearchHit> search(String tenant, String space, float[] query, String queryText, int k, Ranking ranking,
                                  HybridParams hybrid) {
        Space s = space(tenant, space);
        if (s == null) {
            return List.of();
        }
        if (ranking != Ranking.LEXICAL && query == null) {
            throw new IllegalArgumentException("a " + ranking + " search needs a query vector");
        }
        if (query != null && query.length != s.dimension()) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, space " + space
                    + " has " + s.dimension());
        }
        return s.search(query, queryText == null ? "" : queryText, k, ranking, hybrid);
    }

    /**
     * Cosine similarity of {@code query} and the tenant's entry {@code entryId} in this space (an exact
     * dot product, whatever the index kind); {@code NaN} when the tenant has no such entry.
     */
    public float score(String tenant, String space, String entryId, float[] query) {
        Space s = space(tenant, space);
        if (s == null) {
            return Float.NaN;
        }
        if (query.length != s.dimension()) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, space " + space
                    + " has " + s.dimension());
        }
        return s.vectors().score(entryId, query);
    }

    /** The tenant's entry {@code entryId} in this space (its vector included), or {@code null}. */
    public IndexEntry entry(String tenant, String space, String entryId) {
        Space s = space(tenant, space);
        return s == null ? null : s.vectors().get(entryId);
    }

    private Space space(String tenant, String space) {
        Tenant t = tenants.get(tenant);
        if (t == null) {
            return null;
        }
        Map<String, Space> spaces = t.spaces;
        if (spaces == null) {
            throw new TenantNotResidentException(tenant);
        }
        t.lastUsed = System.nanoTime();
        return spaces.get(space);
    }

    /** Entries the tenant has in this space. */
    public int size(String tenant, String space) {
        Space s = space(tenant, space);
        return s == null ? 0 : s.size();
    }

    /** Every known tenant, in memory or evicted. */
    public Set<String> tenants() {
        return Set.copyOf(tenants.keySet());
    }

    public boolean isResident(String tenant) {
        Tenant t = tenants.get(tenant);
        return t != null && t.spaces != null;
    }

    /** Estimated heap bytes of the tenant (vectors, graphs, lexical index); 0 when evicted or unknown. */
    public long bytes(String tenant) {
        Tenant t = tenants.get(tenant);
        return t == null ? 0 : t.bytes();
    }

    /** Estimated heap bytes of all resident tenants. */
    public long residentBytes() {
        return Tenant.residentBytes(tenants.values());
    }

    /** Tenants evicted since start. */
    public long evictions() {
        return eviction.count();
    }

    public TenantStats stats(String tenant) {
        Tenant t = tenants.get(tenant);
        if (t == null) {
            return null;
        }
        Map<String, Space> spaces = t.spaces;
        Map<String, TenantStats.SpaceStats> out = new LinkedHashMap<>();
        if (spaces != null) {
            spaces.forEach((name, s) -> out.put(name, new TenantStats.SpaceStats(s.kind(), s.size(), s.bytes())));
        }
        return new TenantStats(spaces != null, t.bytes(), out, t.dirty, t.snapshotted);
    }

    // ---------------------------------------------------------------- snapshots, loads, eviction (I/O pool)

    /**
     * Brings a tenant in at start-up: reads its snapshot if there is a valid one of this
     * {@code sourceVersion}, else builds from {@code source} and writes a fresh snapshot. The source is
     * remembered, so a later reload that finds the snapshot damaged rebuilds from it too. Runs on the
     * I/O pool; the future completes there. A damaged snapshot is never partly used.
     *
     * @param sourceVersion identifies the source content (e.g. a hash of the store files and encoder
     *                      names); a snapshot of another version is not used
     */
    public CompletableFuture<OpenResult> open(String tenant, String sourceVersion, TenantSource source) {
        Tenant t = tenants.computeIfAbsent(tenant, Tenant::new);
        return CompletableFuture.supplyAsync(() -> {
            synchronized (t.lock) {
                t.source = source;
                t.sourceVersion = sourceVersion;
                return openLocked(t);
            }
        }, io);
    }

    private OpenResult openLocked(Tenant t) {
        long t0 = System.nanoTime();
        OpenResult.Outcome outcome;
        String detail = "";
        if (config.snapshotDir() == null) {
            outcome = OpenResult.Outcome.BUILT;
            files.build(t);
        } else {
            Path file = files.snapshotFile(t.id);
            try {
                Snapshots.Image image = files.read(t);
                if (t.sourceVersion != null && !t.sourceVersion.equals(image.sourceVersion())) {
                    outcome = OpenResult.Outcome.REBUILT_STALE;
                    detail = "snapshot of source version " + image.sourceVersion() + ", source is " + t.sourceVersion;
                    files.build(t);
                    files.write(t);
                } else {
                    files.install(t, image);
                    outcome = OpenResult.Outcome.SNAPSHOT;
                }
            } catch (NoSuchFileException e) {
                outcome = OpenResult.Outcome.REBUILT_MISSING;
                detail = "no snapshot at " + file;
                files.build(t);
                files.write(t);
            } catch (CorruptSnapshotException e) {
                log.warn("tenant {}: {}; rebuilding from source", t.id, e.getMessage());
                outcome = OpenResult.Outcome.REBUILT_CORRUPT;
                detail = e.getMessage();
                files.build(t);
                files.write(t);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the snapshot of " + t.id, e);
            }
        }
        int entries = 0;
        for (Space s : t.spaces.values()) {
            entries += s.size();
        }
        OpenResult r = new OpenResult(outcome, entries, t.bytes(), (System.nanoTime() - t0) / 1_000_000, detail);
        eviction.enforce();
        return r;
    }

    /**
     * Loads an evicted tenant back from its snapshot (or, if that is damaged, from its source). Completes
     * at once when the tenant is in memory or unknown. Runs on the I/O pool.
     */
    public CompletableFuture<Void> ensureResident(String tenant) {
        Tenant t = tenants.get(tenant);
        if (t == null || t.spaces != null) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (t.lock) {
            if (t.spaces != null) {
                return CompletableFuture.completedFuture(null);
            }
            if (t.loading == null) {
                CompletableFuture<Void> f = CompletableFuture.runAsync(() -> {
                    synchronized (t.lock) {
                        try {
                            if (t.spaces == null) {
                                loadLocked(t);
                            }
                        } finally {
                            t.loading = null;
                        }
                    }
                    eviction.enforce();
                }, io);
                t.loading = f;
            }
            return t.loading;
        }
    }

    /** Reads the tenant's snapshot into memory; rebuilds from its source if the snapshot is unusable. Blocking; t.lock held. */
    private void loadLocked(Tenant t) {
        long t0 = System.nanoTime();
        try {
            Snapshots.Image image = files.read(t);
            files.install(t, image);
            log.debug("tenant {}: reloaded from snapshot in {} ms", t.id, (System.nanoTime() - t0) / 1_000_000);
        } catch (CorruptSnapshotException | NoSuchFileException e) {
            if (t.source == null) {
                throw new IllegalStateException("tenant " + t.id + ": snapshot unusable and no source to rebuild from: "
                        + e.getMessage(), e);
            }
            log.warn("tenant {}: snapshot unusable ({}); rebuilding from source", t.id, e.getMessage());
            files.build(t);
            files.write(t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the snapshot of " + t.id, e);
        }
    }

    /** Writes the tenant's snapshot if it changed since the last one. Runs on the I/O pool. */
    public CompletableFuture<Void> snapshot(String tenant) {
        Tenant t = tenants.get(tenant);
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("unknown tenant " + tenant));
        }
        if (config.snapshotDir() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no snapshot directory configured"));
        }
        return CompletableFuture.runAsync(() -> {
            synchronized (t.lock) {
                if (t.spaces != null && (t.dirty || !t.snapshotted)) {
                    files.write(t);
                }
            }
        }, io);
    }

    /** Where the tenant's snapshot lives (null without a snapshot directory). */
    public Path snapshotFile(String tenant) {
        return files.snapshotFile(tenant);
    }

    /** Stops the I/O and rebuild threads; pending loads and snapshots are abandoned. */
    @Override
    public void close() {
        io.shutdownNow();
        maintenance.shutdownNow();
    }

    /** For tests and benchmarks: waits until background graph rebuilds and I/O tasks are done. */
    void awaitQuiet(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (io.getActiveCount() == 0 && io.getQueue().isEmpty() && maintenance.getActiveCount() == 0
                    && maintenance.getQueue().isEmpty() && !eviction.running()) {
                return;
            }
            Thread.sleep(5);
        }
    }

    /** The vector index behind a space (benchmarks tune its search settings). */
    VectorIndex vectorIndex(String tenant, String space) {
        Space s = space(tenant, space);
        return s == null ? null : s.vectors();
    }

    /** Kind of vector index a space currently uses ({@code exact} or {@code hnsw}); null if none. */
    String spaceKind(String tenant, String space) {
        Space s = space(tenant, space);
        return s == null ? null : s.kind();
    }
}
