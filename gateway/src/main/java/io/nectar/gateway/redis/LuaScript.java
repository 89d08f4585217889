package io.nectar.gateway.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Lua script from the classpath ({@code redis/NAME.lua}) run with EVALSHA, falling back to EVAL when the
 * server does not know it yet (a new or restarted server, another Cluster master). All its keys must
 * share one hash slot. Every call has a timeout.
 */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static LuaScript load(String name) {
        try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream("redis/" + name + ".lua")) {
            if (in == null) {
                throw new IllegalStateException("no redis/" + name + ".lua on the classpath");
            }
            return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** Runs the script; fails with a {@link java.util.concurrent.TimeoutException} after {@code timeoutMillis}. */
    public Future<Response> run(Redis redis, List<String> keys, List<String> args, long timeoutMillis) {
        return redis.send(request(Command.EVALSHA, sha, keys, args))
                .recover(t -> t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT")
                        ? redis.send(request(Command.EVAL, source, keys, args)) : Future.failedFuture(t))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private static Request request(Command cmd, String script, List<String> keys, List<String> args) {
        Request r = Request.cmd(cmd).arg(script).arg(keys.size());
        keys.forEach(r::arg);
        args.forEach(r::arg);
        return r;
    }
}
