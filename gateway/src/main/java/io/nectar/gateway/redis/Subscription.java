package io.nectar.gateway.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One channel subscribed on a connection of its own, kept subscribed: plain pub/sub on a single server or
 * Sentinel, sharded pub/sub (SSUBSCRIBE) on a Redis Cluster. A lost connection, or a shard that gives the
 * channel's slot away ({@code sunsubscribe}), is subscribed again with backoff (100 ms doubling to 5 s).
 * Messages published while unsubscribed are gone, so every subscription but the first runs
 * {@code onResubscribed} for the owner to catch up. Each message's payload is read as a JSON object; one
 * that is not, or that its handler fails on, is logged and dropped.
 */
public final class Subscription {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    private final Vertx vertx;
    private final Redis subscriber;
    private final String channel;
    private final String name;
    private final boolean sharded;
    private final long timeoutMillis;
    private final Consumer<JsonObject> onMessage;
    private final Runnable onResubscribed;
    private volatile RedisConnection connection;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private long backoff = 100;
    private boolean first = true;

    /**
     * @param subscriber     a client of the subscription's own (a subscribed connection can do nothing else);
     *                       closed with the subscription
     * @param name           what the logs call it ("node channel", "workbench channel")
     * @param onMessage      each message's payload, on the connection's context
     * @param onResubscribed after every subscription but the first
     */
    public Subscription(Vertx vertx, Redis subscriber, String channel, boolean sharded, long timeoutMillis, String name,
                        Consumer<JsonObject> onMessage, Runnable onResubscribed) {
        this.vertx = vertx;
        this.subscriber = subscriber;
        this.channel = channel;
        this.sharded = sharded;
        this.timeoutMillis = timeoutMillis;
        this.name = name;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
    }

    /** Subscribes; completes once the first subscription is in place (or failed: it is retried anyway). */
    public Future<Void> start() {
        return subscribe();
    }

    public boolean subscribed() {
        return subscribed;
    }

    private Future<Void> subscribe() {
        return subscriber.connect().compose(conn -> {
            connection = conn;
            conn.handler(this::onResponse);
            conn.exceptionHandler(t -> log.debug("{} {}: {}", name, channel, t.toString()));
            conn.endHandler(v -> lost());
            return conn.send(Request.cmd(sharded ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel))
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .onFailure(t -> conn.close())
                    .<Void>mapEmpty();
        }).onSuccess(v -> {
            subscribed = true;
            backoff = 100;
            if (!first) {
                log.info("{} {} subscribed again; catching up", name, channel);
                onResubscribed.run();
            }
            first = false;
        }).onFailure(t -> {
            log.warn("{} {}: cannot subscribe ({}); retrying in {} ms", name, channel, t.toString(), backoff);
            retry();
        });
    }

    private void onResponse(Response r) {
        if (r == null || r.size() < 3) {
            return;
        }
        String kind = r.get(0).toString();
        if ("message".equals(kind) || "smessage".equals(kind)) {
            try {
                onMessage.accept(new JsonObject(r.get(2).toString()));
            } catch (RuntimeException e) {
                log.warn("{} {}: bad message: {}", name, channel, e.toString());
            }
        } else if ("sunsubscribe".equals(kind) && !closed) {
            // the channel's slot moved to another shard: subscribe where it lives now
            lost();
        }
    }

    private void lost() {
        if (closed || !subscribed) {
            return;
        }
        subscribed = false;
        RedisConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
        log.warn("{} {} lost its subscription; resubscribing", name, channel);
        retry();
    }

    private void retry() {
        if (closed) {
            return;
        }
        long delay = backoff;
        backoff = Math.min(backoff * 2, 5_000);
        vertx.setTimer(delay, id -> subscribe());
    }

    public Future<Void> close() {
        closed = true;
        subscribed = false;
        RedisConnection c = connection;
        connection = null;
        Future<Void> f = c == null ? Future.succeededFuture() : c.close();
        return f.eventually(subscriber::close);
    }
}
