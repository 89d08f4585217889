package io.nectar.gateway.pg;

import io.nectar.gateway.metrics.Counters;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The node's PostgreSQL: a connection pool from a {@code postgresql://} URL, the schema migrations
 * ({@link Migrations}) and an advisory lock that serialises start-up work across nodes. Every operation
 * runs on Vert.x's event loops and returns a future; nothing here blocks.
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** The advisory lock key of start-up work (migrations, the first import): "Nectar" in ASCII. */
    static final long STARTUP_LOCK = 0x4e6563746172L;
    /** Connections per node. */
    public static final int POOL_SIZE = 8;

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Pool pool;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder failures = new LongAdder();

    private Database(Vertx vertx, PgConnectOptions options, Pool pool) {
        this.vertx = vertx;
        this.options = options;
        this.pool = pool;
    }

    /** Parses a {@code postgresql://user:password@host:port/database} URL (also {@code postgres://}). */
    public static PgConnectOptions options(String url) {
        try {
            PgConnectOptions o = PgConnectOptions.fromUri(url);
            o.setPipeliningLimit(256);
            return o;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read the PostgreSQL URL '" + redact(url) + "': " + e.getMessage(), e);
        }
    }

    /** The URL with its password replaced by {@code ***}, for logs and errors. */
    public static String redact(String url) {
        return url == null ? null : url.replaceAll("//([^:/@]+):[^@/]*@", "//$1:***@");
    }

    /** A pool on {@code url}; connects lazily. */
    public static Database create(Vertx vertx, String url) {
        PgConnectOptions o = options(url);
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(POOL_SIZE).setMaxWaitQueueSize(1024)
                        .setConnectionTimeout(10).setConnectionTimeoutUnit(TimeUnit.SECONDS)
                        .setIdleTimeout(5).setIdleTimeoutUnit(TimeUnit.MINUTES).setPoolCleanerPeriod(30_000)
                        .setName("nectar-pg").setShared(false))
                .with(new NetClientOptions().setConnectTimeout(5_000))
                .connectingTo(o)
                .using(vertx)
                .build();
        return new Database(vertx, o, pool);
    }

    public Pool pool() {
        return pool;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Connection settings (for a LISTEN connection of its own). */
    public PgConnectOptions connectOptions() {
        return new PgConnectOptions(options);
    }

    /** Registers the pool's gauges. */
    public void metrics(GatewayMetrics metrics) {
        metrics.gauge("nectar_pg_pool_connections", "PostgreSQL connections open in this node's pool", pool::size);
        metrics.gauge("nectar_pg_pool_max", "Most PostgreSQL connections this node's pool opens", () -> POOL_SIZE);
        metrics.gauge("nectar_pg_operations_in_flight", "PostgreSQL operations under way", inFlight::get);
        Counters.register(metrics, "nectar_pg_operation_failures", "PostgreSQL operations that failed", failures::sum);
    }

    /** Runs {@code work} in one transaction (committed when its future succeeds, rolled back otherwise). */
    public <T> Future<T> inTransaction(Function<SqlConnection, Future<T>> work) {
        return counted(pool.withTransaction(conn -> work.apply(quiet(conn))));
    }

    /** Runs {@code work} on one connection of the pool, outside a transaction. */
    public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
        return counted(pool.withConnection(conn -> work.apply(quiet(conn))));
    }

    /**
     * A connection the server drops (a restart) fails its pending operation, which is what callers see;
     * without a handler the client would also print the exception's stack trace.
     */
    static SqlConnection quiet(SqlConnection conn) {
        conn.exceptionHandler(t -> log.debug("PostgreSQL connection: {}", t.toString()));
        return conn;
    }

    private <T> Future<T> counted(Future<T> f) {
        inFlight.incrementAndGet();
        return f.andThen(ar -> {
            inFlight.decrementAndGet();
            if (ar.failed()) {
                failures.increment();
            }
        });
    }

    /**
     * Runs {@code work} on one connection while holding the start-up advisory lock, so nodes starting
     * together run it one after another. The lock is a session lock: released when work ends, or by the
     * server if the connection drops.
     */
    public <T> Future<T> underStartupLock(Function<SqlConnection, Future<T>> work) {
        return withConnection(conn -> conn.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(STARTUP_LOCK))
                .compose(locked -> {
                    Future<T> done;
                    try {
                        done = work.apply(conn);
                    } catch (RuntimeException e) {
                        done = Future.failedFuture(e);
                    }
                    return done.transform(ar -> conn.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(STARTUP_LOCK))
                            .transform(unlocked -> ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.<T>failedFuture(ar.cause())));
                }));
    }

    /**
     * Connects, retrying for up to {@code patience} milliseconds (a server still starting), then applies
     * the pending migrations under the start-up lock. Fails with a message naming the server. Reads the
     * migration files first: call it from a worker thread, not an event loop.
     */
    public Future<List<Migrations.Applied>> migrate(long patienceMillis) {
        List<Migrations.Migration> all;
        try {
            all = Migrations.available();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        long deadline = System.currentTimeMillis() + patienceMillis;
        Promise<Void> reachable = Promise.promise();
        ping(deadline, reachable);
        return reachable.future().compose(v -> underStartupLock(conn -> Migrations.apply(conn, all)));
    }

    private void ping(long deadline, Promise<Void> done) {
        pool.query("SELECT 1").execute().onComplete(ar -> {
            if (ar.succeeded()) {
                done.complete();
            } else if (System.currentTimeMillis() > deadline) {
                done.fail(new IllegalStateException("PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/"
                        + options.getDatabase() + " is not reachable: " + ar.cause().getMessage(), ar.cause()));
            } else {
                log.info("waiting for PostgreSQL at {}:{} ({})", options.getHost(), options.getPort(), ar.cause().getMessage());
                vertx.setTimer(500, id -> ping(deadline, done));
            }
        });
    }

    /** {@code {"status":"UP","latencyMs":n}} or {@code {"status":"DOWN","error":...}}, within {@code timeoutMillis}. */
    public Future<JsonObject> health(long timeoutMillis) {
        long t0 = System.nanoTime();
        return pool.query("SELECT 1").execute().timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(rs -> new JsonObject().put("status", "UP").put("latencyMs", (System.nanoTime() - t0) / 1_000_000))
                .otherwise(t -> new JsonObject().put("status", "DOWN").put("error", String.valueOf(t.getMessage())));
    }

    @Override
    public void close() {
        pool.close();
    }
}
