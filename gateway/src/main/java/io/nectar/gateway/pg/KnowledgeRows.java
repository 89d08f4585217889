package io.nectar.gateway.pg;

import io.nectar.gateway.merchant.StoreDocuments;
import io.nectar.gateway.merchant.StoreDocuments.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Merchants' knowledge rows in PostgreSQL: reading a merchant whole or what changed since a version
 * (tombstones included), and writing items and change notifications. Items of a kind are ordered by
 * {@code position} (their order in the store file; new ones at the end).
 */
final class KnowledgeRows {

    /** The channel knowledge changes are announced on; the payload is {@code {"merchant":..., "version":...}}. */
    static final String CHANNEL = "nectar_knowledge";

    static final String MERCHANT = "SELECT version, settings, api_key_hash FROM merchants WHERE id = $1";
    static final String BUMP = "UPDATE merchants SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version";
    static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', $1)";

    private KnowledgeRows() {
    }

    /** A merchant's row. */
    record MerchantRow(long version, JsonObject settings, String apiKeyHash) {
    }

    /** One item row (a tombstone when {@code deleted}). */
    record Item(Kind kind, String id, JsonObject doc, int position, long version, boolean deleted) {
    }

    /** A merchant read whole ({@code full}) or from a version on: its row and its item rows. */
    record Read(String merchant, MerchantRow row, List<Item> items, boolean full) {
    }

    /** The union of every knowledge table, rows of one merchant changed after a version. */
    private static final String CHANGES;

    static {
        StringJoiner sql = new StringJoiner(" UNION ALL ");
        for (Kind k : Kind.values()) {
            sql.add("SELECT '" + k.name() + "' AS kind, id, doc, position, version, deleted FROM " + k.table()
                    + " WHERE merchant_id = $1 AND version > $2 AND (NOT deleted OR $3)");
        }
        CHANGES = sql + " ORDER BY kind, position, id";
    }

    static Future<MerchantRow> merchant(SqlClient c, String merchant) {
        return c.preparedQuery(MERCHANT).execute(Tuple.of(merchant)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row r = rows.iterator().next();
            Object s = r.getValue("settings");
            return new MerchantRow(r.getLong("version"), s instanceof JsonObject j ? j : new JsonObject(), r.getString("api_key_hash"));
        });
    }

    /**
     * The merchant's row, then its items changed after {@code afterVersion} (tombstones included), or all
     * its live items when {@code afterVersion} is negative. Read in that order, so the items are at least
     * as new as the row's version. Null when the merchant does not exist.
     */
    static Future<Read> read(SqlClient c, String merchant, long afterVersion) {
        boolean full = afterVersion < 0;
        return merchant(c, merchant).compose(row -> row == null ? Future.succeededFuture(null)
                : c.preparedQuery(CHANGES).execute(Tuple.of(merchant, full ? -1L : afterVersion, !full)).map(rows -> {
                    List<Item> items = new ArrayList<>();
                    for (Row r : rows) {
                        Object doc = r.getValue("doc");
                        items.add(new Item(Kind.valueOf(r.getString("kind")), r.getString("id"),
                                doc instanceof JsonObject j ? j : new JsonObject(), r.getInteger("position"),
                                r.getLong("version"), r.getBoolean("deleted")));
                    }
                    return new Read(merchant, row, items, full);
                }));
    }

    /**
     * Documents after applying {@code read} to {@code base} (ignored for a full read): items replaced,
     * added or removed, each kind ordered by position. {@code positions} is updated to match.
     */
    static StoreDocuments apply(StoreDocuments base, Map<Kind, Map<String, Integer>> positions, Read read) {
        Map<Kind, Map<String, JsonObject>> items = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Map<String, JsonObject> m = new LinkedHashMap<>();
            if (!read.full() && base != null) {
                for (String id : base.ids(k)) {
                    m.put(id, base.item(k, id));
                }
            } else {
                positions.computeIfAbsent(k, x -> new LinkedHashMap<>()).clear();
            }
            items.put(k, m);
        }
        for (Item i : read.items()) {
            Map<String, Integer> pos = positions.computeIfAbsent(i.kind(), x -> new LinkedHashMap<>());
            if (i.deleted()) {
                items.get(i.kind()).remove(i.id());
                pos.remove(i.id());
            } else {
                items.get(i.kind()).put(i.id(), i.doc());
                pos.put(i.id(), i.position());
            }
        }
        Map<Kind, Map<String, JsonObject>> ordered = new EnumMap<>(Kind.class);
        items.forEach((k, m) -> {
            Map<String, Integer> pos = positions.getOrDefault(k, Map.of());
            List<String> ids = new ArrayList<>(m.keySet());
            // stable: items without a known position keep their order
            ids.sort((a, b) -> Integer.compare(pos.getOrDefault(a, Integer.MAX_VALUE), pos.getOrDefault(b, Integer.MAX_VALUE)));
            Map<String, JsonObject> o = new LinkedHashMap<>();
            ids.forEach(id -> o.put(id, m.get(id)));
            ordered.put(k, o);
        });
        return StoreDocuments.of(read.merchant(), read.row().settings(), ordered);
    }

    /** Writes one item at {@code version} (a new one after the kind's last position). */
    static Future<Void> put(SqlClient c, String merchant, Kind kind, String id, JsonObject doc, long version) {
        return c.preparedQuery("INSERT INTO " + kind.table() + " AS t (merchant_id, id, doc, position, version, deleted, updated_at) "
                        + "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM " + kind.table() + " WHERE merchant_id = $1), "
                        + "$4, false, now()) ON CONFLICT (merchant_id, id) DO UPDATE SET doc = EXCLUDED.doc, version = EXCLUDED.version, "
                        + "deleted = false, updated_at = now(), "
                        + "position = CASE WHEN t.deleted THEN EXCLUDED.position ELSE t.position END")
                .execute(Tuple.of(merchant, id, doc, version)).mapEmpty();
    }

    /** Turns one item into a tombstone at {@code version}. */
    static Future<Void> delete(SqlClient c, String merchant, Kind kind, String id, long version) {
        return c.preparedQuery("UPDATE " + kind.table() + " SET deleted = true, version = $3, updated_at = now() "
                + "WHERE merchant_id = $1 AND id = $2 AND NOT deleted").execute(Tuple.of(merchant, id, version)).mapEmpty();
    }

    /**
     * Replaces every item of a kind with {@code docs} (in order): changed or new ones are written at
     * {@code version}, unchanged ones keep theirs, missing ones become tombstones at {@code version}.
     */
    static Future<Void> replaceAll(SqlClient c, String merchant, Kind kind, Map<String, JsonObject> docs, long version) {
        List<Tuple> rows = new ArrayList<>(docs.size());
        int position = 0;
        for (Map.Entry<String, JsonObject> e : docs.entrySet()) {
            rows.add(Tuple.of(merchant, e.getKey(), e.getValue(), ++position, version));
        }
        Future<?> f = Future.succeededFuture();
        if (!rows.isEmpty()) {
            f = c.preparedQuery("INSERT INTO " + kind.table() + " AS t (merchant_id, id, doc, position, version, deleted, updated_at) "
                    + "VALUES ($1, $2, $3, $4, $5, false, now()) ON CONFLICT (merchant_id, id) DO UPDATE SET doc = EXCLUDED.doc, "
                    + "position = EXCLUDED.position, version = EXCLUDED.version, deleted = false, updated_at = now() "
                    + "WHERE t.deleted OR t.doc IS DISTINCT FROM EXCLUDED.doc OR t.position <> EXCLUDED.position").executeBatch(rows);
        }
        String[] keep = docs.keySet().toArray(String[]::new);
        return f.compose(r -> c.preparedQuery("UPDATE " + kind.table() + " SET deleted = true, version = $2, updated_at = now() "
                + "WHERE merchant_id = $1 AND NOT deleted AND NOT (id = ANY($3))").execute(Tuple.tuple().addString(merchant).addLong(version).addArrayOfString(keep))).mapEmpty();
    }

    /** Announces a merchant's new version to every node (delivered when the transaction commits). */
    static Future<Void> notify(SqlClient c, String merchant, long version) {
        return c.preparedQuery(NOTIFY).execute(Tuple.of(new JsonObject().put("merchant", merchant).put("version", version).encode()))
                .mapEmpty();
    }
}
