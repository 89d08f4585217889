package io.nectar.gateway.conversations;

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

/**
 * Each node's pub/sub channel: frames appended on any node for a conversation this node holds arrive
 * here and go to its socket. Plain pub/sub on a single server or Sentinel; sharded pub/sub (SSUBSCRIBE,
 * SPUBLISH) on a Redis Cluster, so a message travels only to the shard that owns the channel. The
 * subscription has a connection of its own, re-established with backoff when lost; after a new
 * subscription the node catches up from the windows ({@link #onResubscribed}), because messages
 * published meanwhile were not kept.
 */
public final class NodeChannel {

    private static final Logger log = LoggerFactory.getLogger(NodeChannel.class);

    private final Vertx vertx;
    private final Redis publisher;
    private final Redis subscriber;
    private final String nodeId;
    private final ConversationKeys keys;
    private final boolean sharded;
    private final long timeoutMillis;
    private volatile ConversationStore.DeliveryHandler handler = (c, e, f) -> { };
    private volatile Runnable resubscribed = () -> { };
    private volatile RedisConnection connection;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private long backoff = 100;
    private boolean first = true;

    /**
     * @param publisher  the node's pooled client
     * @param subscriber a client of its own for the subscription (a subscribed connection can do nothing else)
     */
    public NodeChannel(Vertx vertx, Redis publisher, Redis subscriber, ConversationKeys keys, String nodeId, boolean sharded,
                       long timeoutMillis) {
        this.vertx = vertx;
        this.keys = keys;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.nodeId = nodeId;
        this.sharded = sharded;
        this.timeoutMillis = timeoutMillis;
    }

    /** Subscribes; completes once the first subscription is in place. */
    public Future<Void> start() {
        return subscribe();
    }

    public boolean subscribed() {
        return subscribed;
    }

    void handler(ConversationStore.DeliveryHandler h) {
        this.handler = h;
    }

    /** Runs after every subscription but the first: messages published while unsubscribed were lost. */
    public void onResubscribed(Runnable r) {
        this.resubscribed = r;
    }

    Future<Void> publish(String owner, String conversationId, long epoch, JsonObject frame) {
        String payload = new JsonObject().put("c", conversationId).put("e", epoch).put("f", frame).encode();
        return publisher.send(Request.cmd(sharded ? Command.SPUBLISH : Command.PUBLISH)
                        .arg(keys.nodeChannel(owner)).arg(payload))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS).mapEmpty();
    }

    private Future<Void> subscribe() {
        String channel = keys.nodeChannel(nodeId);
        return subscriber.connect().compose(conn -> {
            connection = conn;
            conn.handler(this::onMessage);
            conn.exceptionHandler(t -> log.debug("node channel: {}", t.toString()));
            conn.endHandler(v -> lost());
            return conn.send(Request.cmd(sharded ? Command.SSUBSCRIBE : Command.SUBSCRIBE).arg(channel))
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .onFailure(t -> conn.close())
                    .<Void>mapEmpty();
        }).onSuccess(v -> {
            subscribed = true;
            backoff = 100;
            if (!first) {
                log.info("node channel {} subscribed again; catching up from the windows", channel);
                resubscribed.run();
            }
            first = false;
        }).onFailure(t -> {
            log.warn("node channel {}: cannot subscribe ({}); retrying in {} ms", channel, t.toString(), backoff);
            retry();
        });
    }

    private void onMessage(Response r) {
        if (r == null || r.size() < 3) {
            return;
        }
        String kind = r.get(0).toString();
        if ("message".equals(kind) || "smessage".equals(kind)) {
            try {
                JsonObject m = new JsonObject(r.get(2).toString());
                handler.deliver(m.getString("c"), m.getLong("e", 0L), m.getJsonObject("f"));
            } catch (RuntimeException e) {
                log.warn("node channel: bad message: {}", e.toString());
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
        log.warn("node channel {} lost its subscription; resubscribing", keys.nodeChannel(nodeId));
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
