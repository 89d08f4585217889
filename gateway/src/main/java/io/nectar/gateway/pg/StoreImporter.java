package io.nectar.gateway.pg;

import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.merchant.StoreDocuments.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a store (read as {@link StoreDocuments}) into PostgreSQL in one transaction: the merchant's row
 * (store.yaml as its settings, the API key's hash) and every item; items no longer in the store become
 * tombstones, unchanged ones keep their version; the merchant's knowledge version goes up by one and
 * every node is told. With {@code ifAbsent} a merchant already in the database is left as it is.
 */
public final class StoreImporter {

    /** What an import did. */
    public record Result(String merchant, boolean created, boolean skipped, long version, boolean hasApiKey) {
    }

    private StoreImporter() {
    }

    /**
     * @param apiKeyHash the merchant API key's hash to set, or {@code null} to take store.yaml's
     *                   {@code apiKeySha256} (or keep the merchant's current one)
     */
    public static Future<Result> importStore(SqlConnection conn, StoreDocuments docs, String apiKeyHash, boolean ifAbsent) {
        String merchant = docs.merchantId();
        JsonObject settings = docs.settings();
        Object fromFile = settings.remove(StoreDocuments.API_KEY_FIELD);   // the key's hash lives in its own column
        // agents live in their own table: store.yaml's are added when missing, never overwriting one changed since
        java.util.List<io.nectar.gateway.auth.Agent> agents = io.nectar.gateway.auth.StoreAgents.read(merchant, settings);
        settings.remove(io.nectar.gateway.auth.StoreAgents.FIELD);
        String keyHash = apiKeyHash != null ? apiKeyHash : (String) fromFile;
        String name = displayName(settings);
        return conn.begin().compose(tx -> conn.preparedQuery("INSERT INTO merchants (id, name, settings, version) VALUES ($1, $2, $3, 0) "
                                + "ON CONFLICT (id) DO NOTHING").execute(Tuple.of(merchant, name, settings))
                .compose(inserted -> {
                    boolean created = inserted.rowCount() == 1;
                    return io.nectar.gateway.auth.PgAgentAccounts.addMissing(conn, agents).map(created);
                })
                .compose(created -> {
                    if (!created && ifAbsent) {
                        return KnowledgeRows.merchant(conn, merchant).map(row -> new Result(merchant, false, true, row.version(),
                                row.apiKeyHash() != null));
                    }
                    return conn.preparedQuery("UPDATE merchants SET name = $2, settings = $3, api_key_hash = COALESCE($4, api_key_hash), "
                                    + "version = version + 1, updated_at = now() WHERE id = $1 RETURNING version, api_key_hash")
                            .execute(Tuple.of(merchant, name, settings, keyHash))
                            .compose(rows -> {
                                long version = rows.iterator().next().getLong("version");
                                boolean hasKey = rows.iterator().next().getString("api_key_hash") != null;
                                Future<Void> f = Future.succeededFuture();
                                for (Kind k : Kind.values()) {
                                    Map<String, JsonObject> items = new LinkedHashMap<>();
                                    for (String id : docs.ids(k)) {
                                        items.put(id, docs.item(k, id));
                                    }
                                    f = f.compose(v -> KnowledgeRows.replaceAll(conn, merchant, k, items, version));
                                }
                                return f.compose(v -> KnowledgeRows.notify(conn, merchant, version))
                                        .map(v -> new Result(merchant, created, false, version, hasKey));
                            });
                })
                .compose(r -> tx.commit().map(r))
                .recover(t -> tx.rollback().transform(ignored -> Future.failedFuture(t))));
    }

    /** store.yaml's name in its default language (or its first), else the merchant id. */
    static String displayName(JsonObject settings) {
        Object n = settings.getValue("name");
        if (n instanceof String s && !s.isBlank()) {
            return s;
        }
        if (n instanceof JsonObject byLang && !byLang.isEmpty()) {
            Object preferred = byLang.getValue(settings.getString("defaultLanguage", ""));
            return String.valueOf(preferred != null ? preferred : byLang.iterator().next().getValue());
        }
        return settings.getString("merchant");
    }

    /** Sets a merchant's API key hash (a new key) and tells every node; false when there is no such merchant. */
    public static Future<Boolean> setApiKey(SqlConnection conn, String merchant, String apiKeyHash) {
        return conn.begin().compose(tx -> conn.preparedQuery("UPDATE merchants SET api_key_hash = $2, version = version + 1, "
                                + "updated_at = now() WHERE id = $1 RETURNING version").execute(Tuple.of(merchant, apiKeyHash))
                .compose(rows -> rows.size() == 0 ? Future.succeededFuture(false)
                        : KnowledgeRows.notify(conn, merchant, rows.iterator().next().getLong("version")).map(v -> true))
                .compose(r -> tx.commit().map(r))
                .recover(t -> tx.rollback().transform(ignored -> Future.failedFuture(t))));
    }
}
