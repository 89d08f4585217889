package io.nectar.gateway.transcript;

import io.vertx.core.json.JsonObject;

/**
 * One message of a conversation as the durable log carries it from Redis to PostgreSQL: a shopper's
 * message, the bot's reply, an agent's or a system message. {@code (conversationId, seq)} identifies it;
 * writing the same one twice is a no-op.
 *
 * @param seq           the message's place in its conversation, from 1, gapless per conversation
 * @param role          {@code shopper}, {@code bot}, {@code agent} or {@code system}
 * @param messageId     the client's message id (shopper messages) or the one replied to (bot replies), or {@code null}
 * @param intent        what the bot understood (bot replies), or {@code null}
 * @param source        where a bot reply came from ({@code faq}, {@code flow}, {@code fallback}, ...), or {@code null}
 * @param at            epoch milliseconds
 * @param handoffReason set on the bot reply that handed the conversation to a human, else {@code null}
 * @param dialogue      the dialogue state after a bot reply of a handed-off conversation (for the agent), else {@code null}
 * @param frame         the frame as the client received it (with its {@code seq})
 * @param shopperId     the conversation's shopper (verified shopper token), or {@code null}
 */
public record LoggedMessage(String conversationId, String merchantId, long seq, String role, String messageId,
                            String text, String intent, String source, String language, long at,
                            String handoffReason, JsonObject dialogue, JsonObject frame, String shopperId) {

    /** A message of an anonymous shopper's conversation (or one whose shopper is recorded elsewhere). */
    public LoggedMessage(String conversationId, String merchantId, long seq, String role, String messageId,
                         String text, String intent, String source, String language, long at,
                         String handoffReason, JsonObject dialogue, JsonObject frame) {
        this(conversationId, merchantId, seq, role, messageId, text, intent, source, language, at, handoffReason, dialogue,
                frame, null);
    }

    /** This message with the conversation's shopper ({@code null}: unchanged). */
    public LoggedMessage withShopper(String shopper) {
        return shopper == null ? this : new LoggedMessage(conversationId, merchantId, seq, role, messageId, text, intent, source,
                language, at, handoffReason, dialogue, frame, shopper);
    }

    public JsonObject toJson() {
        JsonObject j = new JsonObject().put("c", conversationId).put("m", merchantId).put("s", seq).put("r", role)
                .put("id", messageId).put("t", text).put("i", intent).put("src", source).put("l", language)
                .put("at", at).put("h", handoffReason).put("d", dialogue).put("f", frame);
        if (shopperId != null) {
            j.put("sh", shopperId);
        }
        return j;
    }

    public static LoggedMessage fromJson(JsonObject j) {
        return new LoggedMessage(j.getString("c"), j.getString("m"), j.getLong("s"), j.getString("r"), j.getString("id"),
                j.getString("t"), j.getString("i"), j.getString("src"), j.getString("l"), j.getLong("at", 0L),
                j.getString("h"), j.getJsonObject("d"), j.getJsonObject("f"), j.getString("sh"));
    }
}
