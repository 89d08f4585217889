package io.nectar.gateway.cluster;

import io.nectar.gateway.conversations.ConversationKeys;
import io.nectar.gateway.conversations.LogDrainer;
import io.nectar.gateway.conversations.NodeChannel;
import io.nectar.gateway.conversations.RedisConversationStore;
import io.nectar.gateway.redis.RedisClients;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A node's share of the cluster in Redis: the pooled client, the conversation store, the node's pub/sub
 * channel, the durable-log drainer and a health probe. Built at start-up when Redis is configured;
 * the drainer starts once the transcript sink (PostgreSQL) is there.
 */
public final class SharedState {

    private static final Logger log = LoggerFactory.getLogger(SharedState.class);

    private final Vertx vertx;
    private final ClusterConfig config;
    private final Redis redis;
    private final ConversationKeys keys;
    private final NodeChannel channel;
    private final RedisConversationStore store;
    private volatile LogDrainer drainer;
    private volatile boolean redisUp;
    private final long probeTimer;

    private SharedState(Vertx vertx, ClusterConfig config, Duration conversationTtl) {
        this.vertx = vertx;
        this.config = config;
        this.redis = RedisClients.create(vertx, config.redis(), 32);
        this.keys = new ConversationKeys(config.keyPrefix(), config.logShards());
        boolean cluster = config.redis().kind() == ClusterConfig.RedisEndpoints.Kind.CLUSTER;
        this.channel = new NodeChannel(vertx, redis, RedisClients.create(vertx, config.redis(), 1), keys, config.nodeId(),
                cluster, config.redisTimeout().toMillis());
        this.store = new RedisConversationStore(redis, keys, config.nodeId(), conversationTtl, config.windowMessages(),
                config.redisTimeout(), channel);
        this.probeTimer = vertx.setPeriodic(1_000, id -> probe());
    }

    /** Connects (the subscription keeps retrying in the background while Redis is away). */
    public static SharedState start(Vertx vertx, ClusterConfig config, Duration conversationTtl) {
        SharedState s = new SharedState(vertx, config, conversationTtl);
        s.channel.start().onFailure(t -> log.warn("Redis not reachable yet ({}); the node stays unready until it is", t.toString()));
        s.probe();
        return s;
    }

    private void probe() {
        redis.send(Request.cmd(Command.PING)).timeout(config.redisTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .onComplete(ar -> {
                    boolean up = ar.succeeded();
                    if (up != redisUp) {
                        log.info("Redis is {}", up ? "reachable" : "unreachable: " + ar.cause());
                    }
                    redisUp = up;
                });
    }

    /** The node's Redis client (pooled). */
    public Redis redis() {
        return redis;
    }

    /** A client of one connection of its own, for a subscription. */
    public Redis newSubscriberClient() {
        return RedisClients.create(vertx, config.redis(), 1);
    }

    /** Whether Redis is a cluster (sharded pub/sub). */
    public boolean redisCluster() {
        return config.redis().kind() == ClusterConfig.RedisEndpoints.Kind.CLUSTER;
    }

    public RedisConversationStore store() {
        return store;
    }

    public NodeChannel channel() {
        return channel;
    }

    public ConversationKeys keys() {
        return keys;
    }

    /** True when Redis answered the last probe and the node's channel is subscribed. */
    public boolean healthy() {
        return redisUp && channel.subscribed();
    }

    public boolean redisUp() {
        return redisUp;
    }

    /** The drainer, once started; {@code null} before. */
    public LogDrainer drainer() {
        return drainer;
    }

    /** Starts moving the durable log into {@code sink}. */
    public Future<Void> startDrainer(TranscriptSink sink) {
        LogDrainer d = new LogDrainer(vertx, redis, keys, config.nodeId(), sink, config.redisTimeout().toMillis());
        this.drainer = d;
        return d.start();
    }

    /** Writes what this node's drainer read, stops it, closes the channel and the client. */
    public Future<Void> stop() {
        vertx.cancelTimer(probeTimer);
        LogDrainer d = drainer;
        Future<Void> drained = d == null ? Future.succeededFuture()
                : d.stop().compose(v -> d.drainOnce().<Void>mapEmpty()).recover(t -> Future.succeededFuture());
        return drained.compose(v -> store.close()).eventually(() -> {
            redis.close();
            return Future.succeededFuture();
        });
    }
}
