package io.nectar.gateway.handoff;

import io.vertx.core.Future;

import java.util.List;

/**
 * Conversations handed to a human and waiting, per merchant, as agents see them: in this node's memory
 * ({@link HandoffDesk}) or in PostgreSQL, shared by every node. A merchant's queue only ever holds its
 * own conversations. Futures complete on the caller's context.
 */
public interface HandoffQueue {

    /** The merchant's waiting conversations, oldest first, each with its transcript and dialogue state. */
    Future<List<HandoffDesk.Handoff>> pending(String merchant);

    /** An agent took the conversation: it leaves the queue; false when the merchant has no such waiting conversation. */
    Future<Boolean> close(String merchant, String conversationId);
}
