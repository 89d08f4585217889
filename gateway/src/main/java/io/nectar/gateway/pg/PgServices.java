package io.nectar.gateway.pg;

import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.merchant.StoreFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node with {@code --pg} has in PostgreSQL: the pool, the transcript sink and reader, the shared
 * handoff queue, and merchants' knowledge with its change feed. {@link #start} connects, applies the
 * schema migrations and does the first import under the start-up advisory lock, so nodes starting
 * together do each once: the stores of {@code --store} directories are imported when their merchant is
 * not in the database yet (an existing merchant is never overwritten by a node starting), and a database
 * with no merchant at all and no {@code --store} gets the bundled demo store.
 */
public final class PgServices implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgServices.class);
    /** How long start-up waits for PostgreSQL to accept connections. */
    static final long CONNECT_PATIENCE_MS = 30_000;
    /** Longest a health probe waits for PostgreSQL. */
    static final long HEALTH_TIMEOUT_MS = 1_000;

    private final Database db;
    private final PgTranscriptSink sink;
    private final PgTranscriptReader reader;
    private final PgHandoffQueue handoffs;
    private final KnowledgeSync sync;
    private final PgMerchantKnowledge knowledge;

    private PgServices(Database db) {
        this.db = db;
        this.sink = new PgTranscriptSink(db);
        this.reader = new PgTranscriptReader(db);
        this.handoffs = new PgHandoffQueue(db);
        this.sync = new KnowledgeSync(db);
        this.knowledge = new PgMerchantKnowledge(db, sync);
    }

    /**
     * Connects to {@code config.cluster().pgUrl()}, migrates, imports what start-up imports, and registers
     * the metrics and the health probe. Reads {@code --store} directories first: call it from a worker
     * thread, not an event loop.
     */
    public static Future<PgServices> start(Vertx vertx, GatewayServices services) {
        GatewayConfig config = services.config();
        List<StoreDocuments> stores = new ArrayList<>();
        StoreDocuments demo;
        try {
            for (Path p : config.stores()) {
                stores.add(StoreFiles.directory(p));
            }
            demo = stores.isEmpty() ? StoreFiles.demo() : null;
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Database db = Database.create(vertx, config.cluster().pgUrl());
        PgServices pg = new PgServices(db);
        return db.migrate(CONNECT_PATIENCE_MS)
                .compose(applied -> db.underStartupLock(conn -> bootstrap(conn, stores, demo)
                        .compose(v -> io.nectar.gateway.auth.AdminAccounts.seedDemo(vertx, conn))))
                .map(v -> {
                    db.metrics(services.metrics());
                    pg.sink.metrics(services.metrics());
                    pg.sync.metrics(services.metrics());
                    services.dependencies().add("postgresql", false, () -> db.health(HEALTH_TIMEOUT_MS)
                            .map(h -> h.put("listening", pg.sync.listening()).put("knowledgeVersionLag", pg.sync.lag())));
                    log.info("PostgreSQL at {} ready", Database.redact(config.cluster().pgUrl()));
                    return pg;
                })
                .onFailure(t -> db.close());
    }

    /** Imports {@code --store} directories whose merchant is absent; the demo store into a database with no merchant. */
    private static Future<Void> bootstrap(SqlConnection conn, List<StoreDocuments> stores, StoreDocuments demo) {
        Future<Void> f = Future.succeededFuture();
        for (StoreDocuments d : stores) {
            f = f.compose(v -> StoreImporter.importStore(conn, d, null, true).map(r -> {
                if (r.skipped()) {
                    log.info("merchant {} is already in PostgreSQL (version {}); --store {} not imported again "
                            + "(ops/store import replaces it)", r.merchant(), r.version(), r.merchant());
                } else {
                    log.info("merchant {} imported into PostgreSQL from its store directory", r.merchant());
                }
                if (!r.hasApiKey()) {
                    log.warn("merchant {} has no merchant API key: create one with ops/store new-key {} --pg URL", r.merchant(), r.merchant());
                }
                return null;
            }));
        }
        if (!stores.isEmpty()) {
            return f;
        }
        return conn.query("SELECT count(*) AS n FROM merchants").execute().compose(rows -> {
            if (rows.iterator().next().getLong("n") > 0) {
                return Future.<Void>succeededFuture();
            }
            return StoreImporter.importStore(conn, demo, null, true).map(r -> {
                log.info("PostgreSQL had no merchant: imported the bundled demo store (merchant {})", r.merchant());
                return (Void) null;
            });
        });
    }

    public Database database() {
        return db;
    }

    /** Writes drained conversation messages. */
    public PgTranscriptSink sink() {
        return sink;
    }

    /** Reads conversation messages back for resumes. */
    public PgTranscriptReader reader() {
        return reader;
    }

    /** The handoff queue every node shares. */
    public PgHandoffQueue handoffs() {
        return handoffs;
    }

    /** Merchants' knowledge, as the merchant API edits it and this node serves it. */
    public PgMerchantKnowledge knowledge() {
        return knowledge;
    }

    public KnowledgeSync sync() {
        return sync;
    }

    @Override
    public void close() {
        knowledge.close();
        db.close();
    }
}
