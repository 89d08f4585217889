package io.nectar.gateway.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Conversations in this process's memory: bounded in count and expiring after a period without
 * activity (Caffeine does both). Conversations are stored as JSON text, as a remote store would hold
 * them, so callers never share a mutable object. Any thread; completes immediately.
 */
public final class InMemorySessionStore implements SessionStore {

    private final Cache<String, String> cache;

    public InMemorySessionStore(long maxConversations, Duration timeToLive) {
        this.cache = Caffeine.newBuilder().maximumSize(maxConversations).expireAfterAccess(timeToLive).build();
    }

    @Override
    public Future<Conversation> get(String conversationId) {
        String json = cache.getIfPresent(conversationId);
        return Future.succeededFuture(json == null ? null : Conversation.fromJson(new JsonObject(json)));
    }

    @Override
    public Future<Void> put(Conversation conversation) {
        cache.put(conversation.id(), conversation.toJson().encode());
        return Future.succeededFuture();
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    @Override
    public Future<Void> close() {
        cache.invalidateAll();
        return Future.succeededFuture();
    }
}
