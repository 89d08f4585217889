package io.nectar.gateway.session;

import io.vertx.core.json.JsonObject;

/**
 * One line of a conversation.
 *
 * @param role      {@code shopper}, {@code bot} or {@code agent}
 * @param messageId the shopper's client message id (for shopper turns) or the one replied to
 * @param intent    what the bot understood ({@code null} for shopper turns)
 * @param source    where the reply came from ({@code null} for shopper turns)
 */
public record Turn(String role, String text, long at, String messageId, String intent, String source) {

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("role", role).put("text", text).put("at", at);
        if (messageId != null) {
            j.put("messageId", messageId);
        }
        if (intent != null) {
            j.put("intent", intent);
        }
        if (source != null) {
            j.put("source", source);
        }
        return j;
    }

    public static Turn fromJson(JsonObject j) {
        return new Turn(j.getString("role"), j.getString("text"), j.getLong("at", 0L), j.getString("messageId"),
                j.getString("intent"), j.getString("source"));
    }
}
