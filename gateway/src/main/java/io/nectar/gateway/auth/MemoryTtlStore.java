package io.nectar.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** {@link TtlStore} in this node's memory (embedded mode): bounded, each entry with its own expiry. Any thread. */
public final class MemoryTtlStore implements TtlStore {

    private record Entry(JsonObject value, AtomicLong count, long expiresAtNanos) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(200_000).executor(Runnable::run)
            .expireAfter(new Expiry<String, Entry>() {
                @Override
                public long expireAfterCreate(String k, Entry e, long now) {
                    return Math.max(0, e.expiresAtNanos() - System.nanoTime());
                }

                @Override
                public long expireAfterUpdate(String k, Entry e, long now, long current) {
                    return Math.max(0, e.expiresAtNanos() - System.nanoTime());
                }

                @Override
                public long expireAfterRead(String k, Entry e, long now, long current) {
                    return current;
                }
            }).build();

    @Override
    public Future<JsonObject> get(String key) {
        Entry e = live(key);
        return Future.succeededFuture(e == null || e.value() == null ? null : e.value().copy());
    }

    @Override
    public Future<Void> put(String key, JsonObject value, Duration ttl) {
        entries.put(key, new Entry(value.copy(), null, System.nanoTime() + ttl.toNanos()));
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> delete(String key) {
        entries.invalidate(key);
        return Future.succeededFuture();
    }

    @Override
    public Future<Long> increment(String key, Duration window) {
        Entry e = entries.asMap().compute(key, (k, old) -> old != null && old.count() != null && old.expiresAtNanos() > System.nanoTime()
                ? old : new Entry(null, new AtomicLong(), System.nanoTime() + window.toNanos()));
        return Future.succeededFuture(e.count().incrementAndGet());
    }

    @Override
    public Future<long[]> counter(String key) {
        Entry e = live(key);
        if (e == null || e.count() == null) {
            return Future.succeededFuture(new long[]{0, 0});
        }
        return Future.succeededFuture(new long[]{e.count().get(), Math.max(0, (e.expiresAtNanos() - System.nanoTime()) / 1_000_000)});
    }

    private Entry live(String key) {
        Entry e = entries.getIfPresent(key);
        return e == null || e.expiresAtNanos() <= System.nanoTime() ? null : e;
    }
}
