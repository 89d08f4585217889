package io.nectar.gateway.conversations;

import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.json.JsonObject;

/**
 * One answered message to commit: the shopper's message and the reply, each as its frame (without a
 * {@code seq}: the store assigns it) and as its durable-log record, plus the conversation state after it.
 *
 * @param messageId the client's message id (the idempotency key), or {@code null}
 * @param dialogue  the dialogue state after the reply, as JSON
 * @param replyFrame {@code null} (with {@code reply}) for the shopper's message alone: an agent owns the conversation
 */
public record TurnWrite(String messageId, JsonObject shopperFrame, LoggedMessage shopper, JsonObject replyFrame,
                        LoggedMessage reply, JsonObject dialogue, String language) {

    /** The shopper's message alone, for the agent who owns the conversation. */
    public static TurnWrite shopperOnly(String messageId, JsonObject shopperFrame, LoggedMessage shopper) {
        return new TurnWrite(messageId, shopperFrame, shopper, null, null, null, null);
    }

    public boolean hasReply() {
        return replyFrame != null;
    }
}

