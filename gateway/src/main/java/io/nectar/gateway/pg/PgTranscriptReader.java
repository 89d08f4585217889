package io.nectar.gateway.pg;

import io.nectar.gateway.transcript.TranscriptReader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a conversation's drained messages back from PostgreSQL, for a client resuming after Redis let
 * them go. Only the merchant's own conversation is ever read.
 */
public final class PgTranscriptReader implements TranscriptReader {

    static final String FRAMES_AFTER = "SELECT seq, role, message_id, text, intent, source, language, at, frame FROM messages "
            + "WHERE conversation_id = $1 AND merchant_id = $2 AND seq > $3 ORDER BY seq DESC LIMIT $4";

    private final Database db;

    public PgTranscriptReader(Database db) {
        this.db = db;
    }

    @Override
    public Future<List<JsonObject>> framesAfter(String merchantId, String conversationId, long afterSeq, int limit) {
        if (limit <= 0) {
            return Future.succeededFuture(List.of());
        }
        return db.pool().preparedQuery(FRAMES_AFTER).execute(Tuple.of(conversationId, merchantId, afterSeq, limit)).map(rows -> {
            List<JsonObject> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(frame(r));
            }
            Collections.reverse(out);
            return out;
        });
    }

    /** The frame as the client received it, with its seq; one made from the columns for a message stored without one. */
    static JsonObject frame(Row r) {
        Object f = r.getValue("frame");
        long seq = r.getLong("seq");
        if (f instanceof JsonObject j) {
            return j.copy().put("seq", seq);
        }
        JsonObject j = new JsonObject().put("seq", seq).put("role", r.getString("role")).put("text", r.getString("text"))
                .put("at", r.getOffsetDateTime("at").toInstant().toEpochMilli());
        putIfPresent(j, "messageId", r.getString("message_id"));
        putIfPresent(j, "intent", r.getString("intent"));
        putIfPresent(j, "source", r.getString("source"));
        putIfPresent(j, "language", r.getString("language"));
        return j;
    }

    private static void putIfPresent(JsonObject j, String key, String value) {
        if (value != null) {
            j.put(key, value);
        }
    }
}
