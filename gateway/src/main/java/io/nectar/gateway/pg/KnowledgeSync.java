package io.nectar.gateway.pg;

import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.metrics.Counters;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Keeps this node's knowledge in step with PostgreSQL. Every change commits with a {@code NOTIFY} on
 * {@value KnowledgeRows#CHANNEL} naming the merchant and its new version; this node LISTENs on a
 * connection of its own ({@link PgSubscriber}, reconnecting with back-off) and, for each merchant whose
 * version moved past the one it applied, re-reads what changed since (tombstones included: a
 * notification is only a hint) and applies it to the live {@link KnowledgeBase}. After every (re)connect
 * it compares every merchant's version with its own and re-reads changed merchants whole, so changes
 * made while it was not listening are not lost; a periodic check does the same in case a notification
 * went missing. Reads run on the pool; applying (re-embedding what changed) on the {@code knowledge-sync}
 * thread, one merchant at a time, in version order.
 */
public final class KnowledgeSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeSync.class);
    /** How often every merchant's version is compared with PostgreSQL's even without a notification. */
    static final long CHECK_EVERY_MS = 10_000;

    /** A merchant as this node applied it. */
    private record Synced(long version, StoreDocuments docs, Map<StoreDocuments.Kind, Map<String, Integer>> positions,
                          String apiKeyHash) {
    }

    /** Single flight per merchant: one read-and-apply at a time, one more queued behind it. */
    private static final class Flight {
        boolean running;
        boolean again;
        boolean full;
    }

    private record Waiter(long version, Promise<Boolean> promise, io.vertx.core.Context context) {
        void complete(boolean v) {
            if (context == null) {
                promise.tryComplete(v);
            } else {
                context.runOnContext(x -> promise.tryComplete(v));
            }
        }
    }

    private final Database db;
    private final Map<String, Synced> synced = new ConcurrentHashMap<>();
    private final Map<String, Long> latest = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private final Map<String, Flight> flights = new HashMap<>();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private final ThreadPoolExecutor worker;
    private final LongAdder notifications = new LongAdder();
    private final LongAdder applied = new LongAdder();
    private final LongAdder resyncs = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile KnowledgeBase knowledge;
    private volatile Consumer<Store> warmUp = s -> { };
    private volatile PgSubscriber subscriber;
    private volatile long timer = -1;
    private final java.util.concurrent.atomic.AtomicInteger subscribed = new java.util.concurrent.atomic.AtomicInteger();

    public KnowledgeSync(Database db) {
        this.db = db;
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(65_536), r -> {
            Thread t = new Thread(r, "knowledge-sync");
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers the sync's meters. */
    public void metrics(GatewayMetrics metrics) {
        Counters.register(metrics, "nectar_knowledge_notifications", "Knowledge change notifications received from PostgreSQL", notifications::sum);
        Counters.register(metrics, "nectar_knowledge_changes_applied", "Merchant knowledge versions applied to this node's index", applied::sum);
        Counters.register(metrics, "nectar_knowledge_resyncs", "Full knowledge resyncs after (re)connecting to PostgreSQL", resyncs::sum);
        Counters.register(metrics, "nectar_knowledge_sync_failures", "Knowledge reads or applies that failed (retried)", failures::sum);
        metrics.gauge("nectar_knowledge_version_lag", "Largest gap between a merchant's knowledge version in PostgreSQL and the one "
                + "this node serves", this::lag);
        metrics.gauge("nectar_knowledge_listening", "1 while this node listens for knowledge changes", () -> listening() ? 1 : 0);
    }

    /**
     * Reads every merchant whole (start-up) and returns their stores, in the order the merchants were
     * created. Blocking (the reads run on the pool; making the stores runs here): call it from a worker
     * thread.
     */
    public List<Store> loadAll(long timeoutSeconds) throws Exception {
        List<KnowledgeRows.Read> reads = db.pool().query("SELECT id FROM merchants ORDER BY created_at, id").execute().compose(rows -> {
            List<String> ids = new ArrayList<>();
            rows.forEach(r -> ids.add(r.getString("id")));
            Future<List<KnowledgeRows.Read>> f = Future.succeededFuture(new ArrayList<>());
            for (String id : ids) {
                f = f.compose(list -> KnowledgeRows.read(db.pool(), id, -1).map(read -> {
                    if (read != null) {
                        list.add(read);
                    }
                    return list;
                }));
            }
            return f;
        }).toCompletionStage().toCompletableFuture().get(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS);
        List<Store> stores = new ArrayList<>();
        for (KnowledgeRows.Read read : reads) {
            Synced s = merge(null, read);
            stores.add(SmallTalk.addTo(s.docs().toStore()));
            remember(s);
        }
        return stores;
    }

    /** From now on, changes are applied to {@code kb}: starts listening and the periodic check. */
    public void attach(KnowledgeBase kb, Consumer<Store> warm) {
        this.knowledge = kb;
        this.warmUp = warm;
        // in a verticle of its own, so Vert.x stops the listener (and its reconnects) before it shuts down
        db.vertx().deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                listen(0);
                timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> check(false));
                return Future.succeededFuture();
            }

            @Override
            public Future<?> stop() {
                stopListening();
                return Future.succeededFuture();
            }
        });
    }

    /**
     * Opens the LISTEN connection. Once connected, the subscriber's reconnect policy re-establishes a
     * dropped connection (back-off up to 5 s, forever) and LISTENs again, which calls the subscribe
     * handler: the resync. A first connect that fails is retried with a new subscriber.
     */
    private void listen(int attempt) {
        PgSubscriber sub = PgSubscriber.subscriber(db.vertx(), db.connectOptions())
                .reconnectPolicy(n -> Math.min(5_000L, 100L * (1L << Math.min(n, 6))));
        sub.channel(KnowledgeRows.CHANNEL)
                .handler(this::onNotification)
                .subscribeHandler(v -> {
                    if (sub.actualConnection() != null) {
                        Database.quiet(sub.actualConnection());
                    }
                    // (re)connected and listening: whatever changed while we were not is read now, whole
                    boolean again = subscribed.getAndIncrement() > 0;
                    resyncs.increment();
                    log.info("listening for knowledge changes{}", again ? " again; resyncing every merchant that changed" : "");
                    check(true);
                });
        this.subscriber = sub;
        sub.connect().onFailure(t -> {
            sub.close();
            if (subscriber == sub) {
                long delay = Math.min(5_000L, 100L * (1L << Math.min(attempt, 6)));
                log.warn("cannot listen for knowledge changes ({}); retrying in {} ms", t.getMessage(), delay);
                db.vertx().setTimer(delay, id -> {
                    if (subscriber == sub) {
                        listen(attempt + 1);
                    }
                });
            }
        });
    }

    private void onNotification(String payload) {
        notifications.increment();
        String merchant;
        long version;
        try {
            JsonObject j = new JsonObject(payload);
            merchant = j.getString("merchant");
            version = j.getLong("version");
        } catch (RuntimeException e) {
            log.warn("ignoring a malformed knowledge notification: {}", payload);
            return;
        }
        if (merchant == null) {
            return;
        }
        latest.merge(merchant, version, Math::max);
        Synced s = synced.get(merchant);
        if (s == null || version > s.version()) {
            schedule(merchant, false);
        }
    }

    /** Compares every merchant's version with PostgreSQL's; schedules the ones that moved (whole when {@code full}). */
    private void check(boolean full) {
        db.pool().query("SELECT id, version FROM merchants").execute().onComplete(ar -> {
            if (ar.failed()) {
                failures.increment();
                log.debug("knowledge check failed: {}", ar.cause().toString());
                return;
            }
            for (Row r : ar.result()) {
                String id = r.getString("id");
                long v = r.getLong("version");
                latest.merge(id, v, Math::max);
                Synced s = synced.get(id);
                if (s == null || s.version() != v) {
                    schedule(id, full);
                }
            }
        });
    }

    private void schedule(String merchant, boolean full) {
        Flight f;
        synchronized (flights) {
            f = flights.computeIfAbsent(merchant, k -> new Flight());
            f.full |= full;
            if (f.running) {
                f.again = true;
                return;
            }
            f.running = true;
        }
        run(merchant, f);
    }

    private void run(String merchant, Flight f) {
        boolean full;
        synchronized (flights) {
            full = f.full;
            f.full = false;
            f.again = false;
        }
        Synced base = full ? null : synced.get(merchant);   // a full read starts from nothing
        KnowledgeRows.read(db.pool(), merchant, base == null ? -1 : base.version()).onComplete(ar -> {
            if (ar.failed()) {
                failures.increment();
                log.warn("merchant {}: cannot read knowledge changes: {}", merchant, ar.cause().getMessage());
                finish(merchant, f);
                return;
            }
            try {
                worker.execute(() -> {
                    try {
                        if (ar.result() != null) {
                            apply(ar.result());
                        }
                    } catch (RuntimeException e) {
                        failures.increment();
                        log.error("merchant {}: cannot apply knowledge version {}: {}", merchant, ar.result().row().version(), e.toString(), e);
                    } finally {
                        finish(merchant, f);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                failures.increment();
                finish(merchant, f);
            }
        });
    }

    private void finish(String merchant, Flight f) {
        boolean again;
        synchronized (flights) {
            again = f.again;
            if (!again) {
                f.running = false;
            }
        }
        if (again) {
            run(merchant, f);
        }
    }

    /** On the sync thread: applies what was read to the knowledge base (blocking: embedding what changed). */
    private void apply(KnowledgeRows.Read read) {
        Synced current = synced.get(read.merchant());
        if (current != null && !read.full() && read.row().version() <= current.version()) {
            return;   // nothing newer than what is served
        }
        long t0 = System.nanoTime();
        Synced next = merge(read.full() ? null : current, read);
        Store store = SmallTalk.addTo(next.docs().toStore());
        KnowledgeBase kb = knowledge;
        if (kb != null) {
            if (current != null && current.docs().equals(next.docs())) {
                log.debug("merchant {}: version {} changes nothing this node serves", read.merchant(), next.version());
            } else {
                kb.update(store);
                warmUp.accept(store);
            }
        }
        remember(next);
        applied.increment();
        log.info("merchant {}: knowledge version {} applied in {} ms", read.merchant(), next.version(), (System.nanoTime() - t0) / 1_000_000);
        release(read.merchant(), next.version());
    }

    private Synced merge(Synced base, KnowledgeRows.Read read) {
        Map<StoreDocuments.Kind, Map<String, Integer>> positions = new EnumMap<>(StoreDocuments.Kind.class);
        if (base != null) {
            base.positions().forEach((k, v) -> positions.put(k, new LinkedHashMap<>(v)));
        }
        StoreDocuments docs = KnowledgeRows.apply(base == null ? null : base.docs(), positions, read);
        return new Synced(read.row().version(), docs, positions, read.row().apiKeyHash());
    }

    private void remember(Synced s) {
        Synced old = synced.put(s.docs().merchantId(), s);
        if (old != null && old.apiKeyHash() != null && !old.apiKeyHash().equals(s.apiKeyHash())) {
            keys.remove(old.apiKeyHash(), s.docs().merchantId());
        }
        if (s.apiKeyHash() != null) {
            keys.put(s.apiKeyHash(), s.docs().merchantId());
        }
        latest.merge(s.docs().merchantId(), s.version(), Math::max);
    }

    /** The merchant whose API key has this hash, or {@code null}. */
    String merchantOfKey(String apiKeyHash) {
        return keys.get(apiKeyHash);
    }

    /** The documents this node serves for a merchant and their version, read together; null when it serves none. */
    Map.Entry<Long, StoreDocuments> served(String merchant) {
        Synced s = synced.get(merchant);
        return s == null ? null : Map.entry(s.version(), s.docs());
    }

    long version(String merchant) {
        Synced s = synced.get(merchant);
        return s == null ? -1 : s.version();
    }

    /**
     * Completes with true once this node serves {@code version} of the merchant (or a later one), with
     * false after {@code timeoutMillis}.
     */
    public Future<Boolean> awaitApplied(String merchant, long version, long timeoutMillis) {
        if (version(merchant) >= version) {
            return Future.succeededFuture(true);
        }
        Promise<Boolean> p = Promise.promise();
        Waiter w = new Waiter(version, p, io.vertx.core.Vertx.currentContext());
        synchronized (waiters) {
            waiters.computeIfAbsent(merchant, k -> new ArrayList<>()).add(w);
        }
        if (version(merchant) >= version) {
            release(merchant, version(merchant));
        }
        db.vertx().setTimer(timeoutMillis, id -> {
            synchronized (waiters) {
                List<Waiter> l = waiters.get(merchant);
                if (l != null) {
                    l.remove(w);
                }
            }
            w.complete(false);
        });
        return p.future();
    }

    private void release(String merchant, long version) {
        List<Waiter> done = new ArrayList<>();
        synchronized (waiters) {
            List<Waiter> l = waiters.get(merchant);
            if (l != null) {
                l.removeIf(w -> {
                    if (w.version() <= version) {
                        done.add(w);
                        return true;
                    }
                    return false;
                });
            }
        }
        done.forEach(w -> w.complete(true));
    }

    /** Largest gap between a merchant's newest known version and the one applied here. */
    long lag() {
        long max = 0;
        for (Map.Entry<String, Long> e : latest.entrySet()) {
            Synced s = synced.get(e.getKey());
            max = Math.max(max, e.getValue() - (s == null ? 0 : s.version()));
        }
        return max;
    }

    /** How many times the listener (re)subscribed and compared every merchant's version. */
    long resyncCount() {
        return resyncs.sum();
    }

    /** Whether the LISTEN connection is up. */
    public boolean listening() {
        PgSubscriber s = subscriber;
        return s != null && s.actualConnection() != null;
    }

    @Override
    public void close() {
        stopListening();
        worker.shutdownNow();
    }

    private void stopListening() {
        PgSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            s.close();
        }
        if (timer >= 0) {
            db.vertx().cancelTimer(timer);
            timer = -1;
        }
    }
}
