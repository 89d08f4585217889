package io.nectar.gateway.auth;

import io.nectar.gateway.redis.LuaScript;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@link TtlStore} in Redis, shared by every node: plain keys under {@code <prefix>auth:}, each with its expiry. */
public final class RedisTtlStore implements TtlStore {

    private static final LuaScript INCR = LuaScript.load("incr");

    private final Redis redis;
    private final String prefix;
    private final long timeoutMillis;

    public RedisTtlStore(Redis redis, String keyPrefix, long timeoutMillis) {
        this.redis = redis;
        this.prefix = keyPrefix + "auth:";
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Future<JsonObject> get(String key) {
        return send(Request.cmd(Command.GET).arg(prefix + key)).map(r -> r == null ? null : new JsonObject(r.toString()));
    }

    @Override
    public Future<Void> put(String key, JsonObject value, Duration ttl) {
        return send(Request.cmd(Command.SET).arg(prefix + key).arg(value.encode()).arg("PX").arg(Math.max(1, ttl.toMillis()))).mapEmpty();
    }

    @Override
    public Future<Void> delete(String key) {
        return send(Request.cmd(Command.DEL).arg(prefix + key)).mapEmpty();
    }

    @Override
    public Future<Long> increment(String key, Duration window) {
        return INCR.run(redis, List.of(prefix + key), List.of(Long.toString(Math.max(1, window.toMillis()))), timeoutMillis)
                .map(r -> r.get(0).toLong());
    }

    @Override
    public Future<long[]> counter(String key) {
        return redis.batch(List.of(Request.cmd(Command.GET).arg(prefix + key), Request.cmd(Command.PTTL).arg(prefix + key)))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(rs -> {
                    Response v = rs.get(0);
                    long ttl = rs.get(1).toLong();
                    return new long[]{v == null ? 0 : Long.parseLong(v.toString()), Math.max(0, ttl)};
                });
    }

    private Future<Response> send(Request r) {
        return redis.send(r).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
