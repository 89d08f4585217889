package io.nectar.gateway.conversations;

import io.nectar.gateway.redis.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

import java.util.concurrent.TimeUnit;

/**
 * Each node's pub/sub channel: frames appended on any node for a conversation this node holds arrive
 * here and go to its socket. Plain pub/sub on a single server or Sentinel; sharded pub/sub (SSUBSCRIBE,
 * SPUBLISH) on a Redis Cluster, so a message travels only to the shard that owns the channel. The
 * subscription ({@link Subscription}) has a connection of its own, re-established with backoff when lost;
 * after a new subscription the node catches up from the windows ({@link #onResubscribed}), because
 * messages published meanwhile were not kept.
 */
public final class NodeChannel {

    private final Redis publisher;
    private final ConversationKeys keys;
    private final boolean sharded;
    private final long timeoutMillis;
    private final Subscription subscription;
    private volatile ConversationStore.DeliveryHandler handler = (c, e, f) -> { };
    private volatile Runnable resubscribed = () -> { };

    /**
     * @param publisher  the node's pooled client
     * @param subscriber a client of its own for the subscription (a subscribed connection can do nothing else)
     */
    public NodeChannel(Vertx vertx, Redis publisher, Redis subscriber, ConversationKeys keys, String nodeId, boolean sharded,
                       long timeoutMillis) {
        this.keys = keys;
        this.publisher = publisher;
        this.sharded = sharded;
        this.timeoutMillis = timeoutMillis;
        this.subscription = new Subscription(vertx, subscriber, keys.nodeChannel(nodeId), sharded, timeoutMillis, "node channel",
                m -> handler.deliver(m.getString("c"), m.getLong("e", 0L), m.getJsonObject("f")), () -> resubscribed.run());
    }

    /** Subscribes; completes once the first subscription is in place. */
    public Future<Void> start() {
        return subscription.start();
    }

    public boolean subscribed() {
        return subscription.subscribed();
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

    public Future<Void> close() {
        return subscription.close();
    }
}
