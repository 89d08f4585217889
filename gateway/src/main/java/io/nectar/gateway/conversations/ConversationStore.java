package io.nectar.gateway.conversations;

import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where conversations live between messages and across reconnects and nodes: in this node's memory
 * (the embedded default) or in Redis (shared by every node). A conversation's state is a bounded hot
 * window, never its whole history: the dialogue state, the last messages as the client saw them (each
 * frame with its {@code seq}), the client message ids answered recently, a per-conversation sequence
 * number and the epoch of the node that holds it.
 * <p>
 * One node holds a conversation at a time: {@link #claim} takes it (a new epoch), and every
 * {@link #commit} carries that epoch, so a node whose claim was taken over since cannot write (its
 * future fails with {@link StaleClaimException}). A commit is one round trip: it checks the claim,
 * advances the sequence, writes the state, records the reply for idempotency and appends both messages
 * to the durable log before the reply may be sent. Every method returns at once; futures complete on
 * the caller's context.
 */
public interface ConversationStore {

    /**
     * Takes a conversation for a connection on this node. {@code conversationId} names one to resume;
     * when it is {@code null}, unknown, expired or another merchant's, a new conversation is created.
     */
    default Future<Claim> claim(String conversationId, String merchantId) {
        return claim(conversationId, merchantId, null);
    }

    /**
     * Takes a conversation for a connection of a known shopper ({@code shopperId} from a verified shopper
     * token; {@code null}: anonymous). A conversation of another shopper is not resumed: a new one starts.
     * The conversation becomes the shopper's latest ({@link #conversationOf}).
     */
    Future<Claim> claim(String conversationId, String merchantId, String shopperId);

    /**
     * The shopper's latest conversation that may still be live (claimed within the conversation time to
     * live), or {@code null}: where a reminder for that shopper goes.
     */
    Future<String> conversationOf(String merchantId, String shopperId);

    /**
     * Commits one answered message under {@code claim}: the shopper's frame and the reply frame get the
     * next two sequence numbers. Fails with {@link StaleClaimException} when another claim took the
     * conversation; succeeds with {@link Committed#duplicateOf} set when the message id was answered
     * already (nothing written).
     */
    Future<Committed> commit(Claim claim, TurnWrite turn);

    /**
     * Adds a message that did not come from this conversation's connection (an agent's reply, a
     * reminder) from any node: the next sequence number, the window, the durable log. The node holding
     * the conversation, if any, is told to deliver it ({@link #deliveries}); with none it waits in the
     * window for the next connect. Completes with the frame as stored (with its {@code seq}), or
     * {@code null} when there is no such conversation of that merchant.
     */
    default Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message) {
        return append(merchantId, conversationId, message, null);
    }

    /**
     * As {@link #append(String, String, LoggedMessage)}, once per {@code dedupeId} (remembered with the
     * conversation's answered message ids): a second append with the same id adds nothing and completes
     * with the frame's {@code seq} only ({@code {"seq": n, "duplicate": true}}). {@code null}: no check.
     */
    Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String dedupeId);

    /** Lets go of a conversation whose connection closed, if the claim is still this one's. */
    Future<Void> release(Claim claim);

    /** Frames appended for conversations held on this node, to be written to their sockets. */
    void deliveries(DeliveryHandler handler);

    /** Conversations held right now (for metrics; may be approximate). */
    long size();

    Future<Void> close();

    /** Receives frames {@link #append}ed elsewhere for a conversation this node holds. */
    @FunctionalInterface
    interface DeliveryHandler {
        void deliver(String conversationId, long epoch, JsonObject frame);
    }

    /** What a commit did. */
    record Committed(long shopperSeq, long replySeq, Long duplicateOf) {
        public static Committed duplicate(long replySeq) {
            return new Committed(0, 0, replySeq);
        }

        public boolean duplicate() {
            return duplicateOf != null;
        }
    }
}
