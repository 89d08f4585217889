package io.nectar.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nectar.gateway.merchant.ApiKeys;
import io.nectar.gateway.pg.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Console sessions: a signed-in admin gets a random bearer token ({@code cs_} + 256 bits), stored in
 * PostgreSQL as its SHA-256 with the merchant and an expiry (12 hours), so every node accepts it. The
 * console sends it as {@code Authorization: Bearer} (no cookie: nothing for another site to ride on).
 * Lookups are cached for 10 seconds per node; signing out deletes the row (other nodes forget it
 * within those 10 seconds).
 */
public final class ConsoleSessions {

    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final Clock clock;
    private final Cache<String, String> cache = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofSeconds(10)).executor(Runnable::run).build();

    public ConsoleSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A new session of {@code merchant}'s {@code user}: its token. */
    public Future<String> open(String merchant, String user) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = "cs_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        OffsetDateTime expires = OffsetDateTime.ofInstant(clock.instant().plus(LIFETIME), ZoneOffset.UTC);
        return db.pool().preparedQuery("INSERT INTO console_sessions (token_hash, merchant_id, username, expires_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(ApiKeys.hash(token), merchant, user, expires)).map(token);
    }

    /** The merchant of a live session, or {@code null}. */
    public Future<String> merchant(String token) {
        String hash = ApiKeys.hash(token);
        String cached = cache.getIfPresent(hash);
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return db.pool().preparedQuery("SELECT merchant_id FROM console_sessions WHERE token_hash = $1 AND expires_at > $2")
                .execute(Tuple.of(hash, OffsetDateTime.ofInstant(Instant.now(clock), ZoneOffset.UTC))).map(rows -> {
                    String m = rows.size() == 0 ? null : rows.iterator().next().getString("merchant_id");
                    if (m != null) {
                        cache.put(hash, m);
                    }
                    return m;
                });
    }

    /** Ends a session. */
    public Future<Void> close(String token) {
        String hash = ApiKeys.hash(token);
        cache.invalidate(hash);
        return db.pool().preparedQuery("DELETE FROM console_sessions WHERE token_hash = $1").execute(Tuple.of(hash)).mapEmpty();
    }
}
