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
     * A delivered frame's extra field with the dialogue state an agent's message set (the connection
     * takes it into its session and removes it before the frame goes to the shopper).
     */
    String DIALOGUE_FIELD = "_dialogue";

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
     * already (nothing written). While an agent owns the conversation only the shopper's frame is written
     * ({@link Committed#held()}); a {@link TurnWrite} without a reply writes only that way.
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
    default Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String dedupeId) {
        return append(merchantId, conversationId, message, dedupeId, null, null);
    }

    /**
     * As {@link #append(String, String, LoggedMessage)}, for an agent's message: written only while
     * {@code requiredOwner} ({@code agent:<login>}) owns the conversation, else it fails with
     * {@link NotOwnerException}; {@code dialogue}, when not {@code null}, becomes the conversation's dialogue
     * state (a flow the agent started from a suggestion), and reaches the connection holding it.
     */
    default Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String requiredOwner,
                                      JsonObject dialogue) {
        return append(merchantId, conversationId, message, null, requiredOwner, dialogue);
    }

    /** Both of the above: once per {@code dedupeId}, only while {@code requiredOwner} owns it; any may be null. */
    Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String dedupeId,
                              String requiredOwner, JsonObject dialogue);

    /**
     * Changes who answers the conversation (take, hand back, close) in one atomic step that also appends
     * the system message the shopper sees; the holding node delivers it. Never fails for a refusal: the
     * result says what happened.
     */
    Future<OwnerChange> changeOwner(String merchantId, String conversationId, OwnerRequest request);

    /** Reads a conversation of {@code merchantId} without taking it; {@code null} when there is none. */
    Future<Peek> peek(String merchantId, String conversationId);

    /** Lets go of a conversation whose connection closed, if the claim is still this one's. */
    Future<Void> release(Claim claim);

    /**
     * Takes back a claim whose connection closed before it opened: if nobody claimed since, the claim before
     * it holds the conversation again. A client that gave up on a connection while the node was still
     * claiming for it has usually connected again, and its new connection must not be moved aside by a
     * claim that nobody will use (decision 99).
     */
    default Future<Void> unclaim(Claim claim) {
        return release(claim);
    }

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

    /**
     * What a commit did: the shopper's message and the reply written ({@code shopperSeq}, {@code replySeq});
     * a repeated message id ({@code duplicateOf}: the seq recorded for it, nothing written); the shopper's
     * message written alone because an agent owns the conversation ({@code heldBy}, {@code replySeq} 0: the
     * bot does not answer); or, for a commit without a reply, nothing because no agent owns it any more
     * ({@link #unheld()}).
     */
    record Committed(long shopperSeq, long replySeq, Long duplicateOf, String heldBy) {
        public static Committed duplicate(long seq) {
            return new Committed(0, 0, seq, null);
        }

        public static Committed held(long shopperSeq, String owner) {
            return new Committed(shopperSeq, 0, null, owner);
        }

        public static final Committed UNHELD = new Committed(0, 0, null, null);

        public boolean duplicate() {
            return duplicateOf != null;
        }

        public boolean held() {
            return heldBy != null;
        }

        public boolean unheld() {
            return this == UNHELD || shopperSeq == 0 && replySeq == 0 && duplicateOf == null && heldBy == null;
        }
    }

    /** An agent's message refused: another owner holds the conversation ({@link #owner()}). */
    final class NotOwnerException extends RuntimeException {
        private final String owner;

        public NotOwnerException(String owner) {
            super("the conversation is held by " + Owner.of(owner), null, false, false);
            this.owner = Owner.of(owner);
        }

        public String owner() {
            return owner;
        }
    }
}
