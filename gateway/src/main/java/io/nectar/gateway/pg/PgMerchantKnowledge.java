package io.nectar.gateway.pg;

import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.merchant.ApiKeys;
import io.nectar.gateway.merchant.MerchantEdits;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreSource;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Merchants' knowledge in PostgreSQL, the source of truth for every node. An edit runs in one
 * transaction: the merchant's row is locked by taking its next knowledge version (so one merchant's
 * changes commit one at a time, in version order), the change is checked against the whole store as of
 * that version, written, and announced with {@code NOTIFY}; every node, this one included, then applies
 * it through its {@link KnowledgeSync}. The edit's future completes once this node serves it (or after
 * {@value #APPLY_WAIT_MS} ms, when the change is committed and still on its way).
 */
public final class PgMerchantKnowledge implements MerchantKnowledge {

    /** How long an edit waits for this node to serve it before answering anyway. */
    static final long APPLY_WAIT_MS = 5_000;

    private final Database db;
    private final KnowledgeSync sync;

    PgMerchantKnowledge(Database db, KnowledgeSync sync) {
        this.db = db;
        this.sync = sync;
    }

    @Override
    public StoreSource source() {
        return new StoreSource() {
            @Override
            public List<Store> load() {
                try {
                    return sync.loadAll(120);
                } catch (Exception e) {
                    Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                    throw new IllegalStateException("cannot read merchants from PostgreSQL: " + c.getMessage(), c);
                }
            }

            @Override
            public String describe() {
                return "merchants in PostgreSQL";
            }
        };
    }

    @Override
    public void attach(KnowledgeBase knowledge, Consumer<Store> warmUp) {
        sync.attach(knowledge, warmUp);
    }

    @Override
    public String authenticate(String apiKey) {
        return sync.merchantOfKey(ApiKeys.hash(apiKey));
    }

    @Override
    public JsonObject settings(String merchant) {
        java.util.Map.Entry<Long, StoreDocuments> served = merchant == null ? null : sync.served(merchant);
        return served == null ? null : served.getValue().settings();
    }

    @Override
    public Future<Listing> list(String merchant, StoreDocuments.Kind kind) {
        return db.withConnection(conn -> KnowledgeRows.merchant(conn, merchant).compose(row -> {
            if (row == null) {
                return Future.failedFuture(new EditRejected(404, "no merchant '" + merchant + "'"));
            }
            return conn.preparedQuery("SELECT doc FROM " + kind.table() + " WHERE merchant_id = $1 AND NOT deleted ORDER BY position, id")
                    .execute(Tuple.of(merchant)).map(rows -> {
                        List<JsonObject> items = new ArrayList<>();
                        for (Row r : rows) {
                            items.add((JsonObject) r.getValue("doc"));
                        }
                        return new Listing(row.version(), items);
                    });
        }));
    }

    @Override
    public Future<Change> change(String merchant, Edit edit) {
        return db.<Change>inTransaction(conn -> conn.preparedQuery(KnowledgeRows.BUMP).execute(Tuple.of(merchant)).compose(bumped -> {
                    if (bumped.size() == 0) {
                        return Future.failedFuture(new EditRejected(404, "no merchant '" + merchant + "'"));
                    }
                    long version = bumped.iterator().next().getLong("version");
                    // the store as of the version before this one: what this node serves, plus what it has not applied yet
                    java.util.Map.Entry<Long, StoreDocuments> snapshot = sync.served(merchant);
                    StoreDocuments served = snapshot == null ? null : snapshot.getValue();
                    long from = snapshot == null ? -1 : snapshot.getKey();
                    return KnowledgeRows.read(conn, merchant, from).compose(read -> db.vertx().<MerchantEdits.Applied>executeBlocking(() -> {
                                java.util.Map<StoreDocuments.Kind, java.util.Map<String, Integer>> positions = new java.util.EnumMap<>(StoreDocuments.Kind.class);
                                StoreDocuments current = KnowledgeRows.apply(served, positions, read);
                                return MerchantEdits.apply(current, edit);
                            }, false))
                            .compose(applied -> (applied.after() == null
                                    ? KnowledgeRows.delete(conn, merchant, edit.kind(), edit.id(), version)
                                    : KnowledgeRows.put(conn, merchant, edit.kind(), edit.id(), applied.after(), version))
                                    .compose(v -> KnowledgeRows.notify(conn, merchant, version))
                                    .map(v -> new Change(edit.kind(), edit.id(), applied.after(), applied.before() == null, version)));
                }))
                .compose(change -> sync.awaitApplied(merchant, change.version(), APPLY_WAIT_MS).map(change));
    }

    @Override
    public void close() {
        sync.close();
    }
}
