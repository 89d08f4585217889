package io.nectar.gateway.conversations;

import io.vertx.core.json.JsonObject;

/** Turns client frames into transcript lines for agents: {@code role, text, at, seq, messageId, intent, source}. */
public final class Transcripts {

    private Transcripts() {
    }

    /** The transcript line of a frame from a conversation's window. */
    public static JsonObject turn(JsonObject frame) {
        String type = frame.getString("type", "");
        String role = switch (type) {
            case "message" -> "shopper";
            case "reply" -> "bot";
            case "agent" -> "agent";
            default -> "system";
        };
        JsonObject t = new JsonObject().put("role", role).put("text", frame.getString("text"))
                .put("at", frame.getLong("at", 0L)).put("seq", frame.getLong("seq"));
        String messageId = "message".equals(type) ? frame.getString("id") : frame.getString("replyTo");
        if (messageId != null) {
            t.put("messageId", messageId);
        }
        if (frame.getString("intent") != null) {
            t.put("intent", frame.getString("intent"));
        }
        if (frame.getString("source") != null) {
            t.put("source", frame.getString("source"));
        }
        return t;
    }
}
