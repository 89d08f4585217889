package io.nectar.gateway.session;

import io.vertx.core.Future;

/**
 * Where conversations live between messages and across reconnects. Implementations: in memory (one
 * node, the embedded default) and, later, Redis (shared by every node). Every method returns at once;
 * futures complete on the caller's context.
 */
public interface SessionStore {

    /** The conversation with this id, or {@code null} when there is none (never was, or expired). */
    Future<Conversation> get(String conversationId);

    /** Stores the conversation, replacing any earlier version, and restarts its time to live. */
    Future<Void> put(Conversation conversation);

    /** Conversations held right now (for metrics; may be approximate). */
    long size();

    Future<Void> close();
}
