package io.nectar.gateway.pg;

import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.handoff.HandoffQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handoff queue in PostgreSQL, the same from every node: a merchant's open handoffs (opened by the
 * transcript sink when a bot reply handed the conversation over), oldest first, each with the
 * conversation's last {@value #TRANSCRIPT_MESSAGES} messages from the {@code messages} table. Only the
 * merchant's own handoffs are ever read or closed.
 */
public final class PgHandoffQueue implements HandoffQueue {

    /** Messages of a conversation shown with its handoff. */
    public static final int TRANSCRIPT_MESSAGES = 50;

    static final String PENDING = "SELECT conversation_id, reason, language, opened_at, dialogue, taken_by FROM handoffs "
            + "WHERE merchant_id = $1 AND closed_at IS NULL ORDER BY opened_at, id LIMIT " + HandoffDesk.MAX_PER_MERCHANT;
    static final String TRANSCRIPTS = "SELECT conversation_id, role, text, at, message_id, intent, source FROM ("
            + "SELECT m.*, row_number() OVER (PARTITION BY conversation_id ORDER BY seq DESC) AS n FROM messages m "
            + "WHERE merchant_id = $1 AND conversation_id = ANY($2)) t WHERE n <= " + TRANSCRIPT_MESSAGES
            + " ORDER BY conversation_id, seq";
    static final String CLOSE = "UPDATE handoffs SET closed_at = now() WHERE merchant_id = $1 AND conversation_id = $2 AND closed_at IS NULL";

    private final Database db;

    public PgHandoffQueue(Database db) {
        this.db = db;
    }

    @Override
    public Future<List<HandoffDesk.Handoff>> pending(String merchant) {
        return db.withConnection(conn -> conn.preparedQuery(PENDING).execute(Tuple.of(merchant)).compose(open -> {
            List<Row> rows = new ArrayList<>();
            open.forEach(rows::add);
            if (rows.isEmpty()) {
                return Future.succeededFuture(List.<HandoffDesk.Handoff>of());
            }
            String[] ids = rows.stream().map(r -> r.getString("conversation_id")).toArray(String[]::new);
            return conn.preparedQuery(TRANSCRIPTS).execute(Tuple.tuple().addString(merchant).addArrayOfString(ids)).map(messages -> {
                Map<String, JsonArray> transcripts = new HashMap<>();
                for (Row m : messages) {
                    JsonObject turn = new JsonObject().put("role", m.getString("role")).put("text", m.getString("text"))
                            .put("at", m.getOffsetDateTime("at").toInstant().toEpochMilli());
                    put(turn, "messageId", m.getString("message_id"));
                    put(turn, "intent", m.getString("intent"));
                    put(turn, "source", m.getString("source"));
                    transcripts.computeIfAbsent(m.getString("conversation_id"), k -> new JsonArray()).add(turn);
                }
                List<HandoffDesk.Handoff> out = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    String id = r.getString("conversation_id");
                    Object dialogue = r.getValue("dialogue");
                    out.add(new HandoffDesk.Handoff(merchant, id, r.getString("reason"),
                            r.getOffsetDateTime("opened_at").toInstant().toEpochMilli(), r.getString("language"),
                            transcripts.getOrDefault(id, new JsonArray()),
                            dialogue instanceof JsonObject j ? j : new JsonObject(), r.getString("taken_by")));
                }
                return out;
            });
        }));
    }

    @Override
    public Future<Boolean> close(String merchant, String conversationId) {
        return db.pool().preparedQuery(CLOSE).execute(Tuple.of(merchant, conversationId)).map(r -> r.rowCount() > 0);
    }

    private static void put(JsonObject j, String key, String value) {
        if (value != null) {
            j.put(key, value);
        }
    }
}
