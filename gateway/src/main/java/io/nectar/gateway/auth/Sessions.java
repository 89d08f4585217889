package io.nectar.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Agents' sign-in sessions. A session is a random 256-bit token in an {@code HttpOnly},
 * {@code SameSite=Strict} cookie ({@value #COOKIE}; {@code Secure} when the page came over HTTPS); the
 * {@link TtlStore} (Redis in shared mode, so every node accepts it; else memory) keeps it under the
 * token's SHA-256 with the agent's merchant and login, for {@link #LIFETIME}. Any thread.
 */
public final class Sessions {

    public static final String COOKIE = "nectar_agent";
    public static final Duration LIFETIME = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TtlStore store;

    public Sessions(TtlStore store) {
        this.store = store;
    }

    /** A new session for a signed-in agent. */
    public Future<AgentSession> create(Agent agent) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long expires = System.currentTimeMillis() + LIFETIME.toMillis();
        JsonObject record = new JsonObject().put("merchant", agent.merchant()).put("login", agent.login())
                .put("name", agent.name()).put("expiresAt", expires);
        return store.put(key(token), record, LIFETIME)
                .map(v -> new AgentSession(token, agent.merchant(), agent.login(), agent.name(), expires));
    }

    /** The session of a token, or {@code null} (unknown, expired or signed out). */
    public Future<AgentSession> find(String token) {
        if (token == null || token.length() < 20 || token.length() > 100) {
            return Future.succeededFuture(null);
        }
        return store.get(key(token)).map(r -> r == null ? null : new AgentSession(token, r.getString("merchant"),
                r.getString("login"), r.getString("name"), r.getLong("expiresAt", 0L)));
    }

    /** Signs out: the token opens nothing any more, on any node. */
    public Future<Void> end(String token) {
        return token == null ? Future.succeededFuture() : store.delete(key(token));
    }

    /** The session token a request's {@code Cookie} header carries, or {@code null}. */
    public static String token(MultiMap headers) {
        for (String header : headers.getAll("cookie")) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(COOKIE + "=")) {
                    String v = p.substring(COOKIE.length() + 1);
                    return v.isEmpty() ? null : v;
                }
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} value that carries a new session. */
    public static String cookie(AgentSession s, boolean secure) {
        return COOKIE + "=" + s.token() + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes it. */
    public static String cleared(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static String key(String token) {
        try {
            return "session:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
