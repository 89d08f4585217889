package io.nectar.gateway.offers;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts per key and day, shared by every node (Redis: {@code INCR} with an expiry, one round trip) or
 * in this node's memory (embedded). Used for the per-shopper daily cap on offers.
 */
public interface DailyCounter {

    /** Adds one to {@code key} and returns the new count. */
    Future<Long> increment(String key);

    /** Takes one back (an offer counted but not shown). */
    Future<Void> decrement(String key);

    static DailyCounter memory() {
        Cache<String, AtomicLong> counts = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofHours(26))
                .executor(Runnable::run).build();
        return new DailyCounter() {
            @Override
            public Future<Long> increment(String key) {
                return Future.succeededFuture(counts.get(key, k -> new AtomicLong()).incrementAndGet());
            }

            @Override
            public Future<Void> decrement(String key) {
                counts.get(key, k -> new AtomicLong()).decrementAndGet();
                return Future.succeededFuture();
            }
        };
    }

    static DailyCounter redis(Redis redis, String prefix, long timeoutMillis) {
        return new DailyCounter() {
            @Override
            public Future<Long> increment(String key) {
                String k = prefix + "daily:{" + key + "}";
                return redis.batch(java.util.List.of(Request.cmd(Command.INCR).arg(k), Request.cmd(Command.EXPIRE).arg(k).arg(26 * 3600)))
                        .timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(r -> r.get(0).toLong());
            }

            @Override
            public Future<Void> decrement(String key) {
                return redis.send(Request.cmd(Command.DECR).arg(prefix + "daily:{" + key + "}"))
                        .timeout(timeoutMillis, TimeUnit.MILLISECONDS).mapEmpty();
            }
        };
    }
}
