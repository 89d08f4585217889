package io.nectar.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Small records that expire: sign-in sessions and failed sign-in counts. In Redis when nodes share state
 * (any node accepts a session another created), else in this node's memory. Futures complete on the
 * caller's context (Redis) or at once (memory).
 */
public interface TtlStore {

    Future<JsonObject> get(String key);

    Future<Void> put(String key, JsonObject value, Duration ttl);

    Future<Void> delete(String key);

    /** Adds one to a counter whose window starts with its first count; the count after it. */
    Future<Long> increment(String key, Duration window);

    /** A counter's value (0 when absent or expired) and the milliseconds left in its window. */
    Future<long[]> counter(String key);
}
