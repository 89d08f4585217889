package io.nectar.gateway.workbench;

import io.nectar.gateway.redis.Subscription;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Workbench events over Redis: one pub/sub channel for every merchant ({@code <prefix>{wb}:events};
 * sharded pub/sub on a Redis Cluster), a subscription of its own per node, re-established with backoff
 * (after which the node's workbenches reload, since events sent meanwhile are gone). Which merchants are
 * watched is a sorted set ({@code <prefix>{wb}:online}: merchant, expiry): every node renews its own
 * merchants every few seconds and reads the set back, so a shopper's message is published only when some
 * node has a workbench of that merchant open.
 */
public final class RedisBus implements WorkbenchBus {

    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    static final long RENEW_MILLIS = 3_000;
    static final long ONLINE_TTL_MILLIS = 10_000;

    private final Vertx vertx;
    private final Redis publisher;
    private final String channel;
    private final String online;
    private final boolean sharded;
    private final long timeoutMillis;
    private final Subscription subscription;
    private volatile Receiver receiver;
    private volatile Supplier<Set<String>> local = Set::of;
    private volatile Set<String> everywhere = Set.of();
    private long timer = -1;

    public RedisBus(Vertx vertx, Redis publisher, Redis subscriber, String keyPrefix, boolean sharded, long timeoutMillis) {
        this.vertx = vertx;
        this.publisher = publisher;
        this.channel = keyPrefix + "{wb}:events";
        this.online = keyPrefix + "{wb}:online";
        this.sharded = sharded;
        this.timeoutMillis = timeoutMillis;
        // after a new subscription the workbenches reload: events sent meanwhile are gone
        this.subscription = new Subscription(vertx, subscriber, channel, sharded, timeoutMillis, "workbench channel",
                this::onMessage, () -> {
                    Receiver rc = receiver;
                    if (rc != null) {
                        rc.resync();
                    }
                });
    }

    @Override
    public Future<Void> start(Receiver r, Supplier<Set<String>> watched) {
        this.receiver = r;
        this.local = watched;
        timer = vertx.setPeriodic(1, RENEW_MILLIS, id -> renew());
        return subscription.start().recover(t -> Future.succeededFuture()); // retried in the background
    }

    public boolean subscribed() {
        return subscription.subscribed();
    }

    @Override
    public void publish(String merchant, String toLogin, JsonObject event) {
        JsonObject m = new JsonObject().put("m", merchant).put("e", event);
        if (toLogin != null) {
            m.put("to", toLogin);
        }
        publisher.send(Request.cmd(sharded ? Command.SPUBLISH : Command.PUBLISH).arg(channel).arg(m.encode()))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .onFailure(t -> log.debug("workbench event not published: {}", t.toString()));
    }

    /** Announced on the channel at once, so no node waits for its next renewal to publish the merchant's events. */
    @Override
    public void watching(String merchant) {
        publisher.send(Request.cmd(sharded ? Command.SPUBLISH : Command.PUBLISH).arg(channel)
                        .arg(new JsonObject().put("m", merchant).put("online", true).encode()))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .onFailure(t -> log.debug("workbench announcement not published: {}", t.toString()));
        renew();
    }

    @Override
    public boolean watched(String merchant) {
        return everywhere.contains(merchant) || local.get().contains(merchant);
    }

    /** Renews this node's merchants in the online set and reads everyone's back. */
    private void renew() {
        long now = System.currentTimeMillis();
        Set<String> mine = local.get();
        java.util.List<Request> batch = new java.util.ArrayList<>();
        if (!mine.isEmpty()) {
            Request add = Request.cmd(Command.ZADD).arg(online);
            mine.forEach(m -> add.arg(now + ONLINE_TTL_MILLIS).arg(m));
            batch.add(add);
        }
        batch.add(Request.cmd(Command.ZREMRANGEBYSCORE).arg(online).arg("-inf").arg(now));
        batch.add(Request.cmd(Command.ZRANGE).arg(online).arg(0).arg(-1));
        publisher.batch(batch).timeout(timeoutMillis, TimeUnit.MILLISECONDS).onSuccess(rs -> {
            Set<String> all = new HashSet<>();
            for (Response x : rs.get(rs.size() - 1)) {
                all.add(x.toString());
            }
            everywhere = all;
        }).onFailure(t -> log.debug("workbench online set: {}", t.toString()));
    }

    private void onMessage(JsonObject m) {
        if (m.getBoolean("online", false)) {
            Set<String> all = new HashSet<>(everywhere);
            all.add(m.getString("m"));
            everywhere = all;
            return;
        }
        Receiver rc = receiver;
        if (rc != null) {
            rc.receive(m.getString("m"), m.getString("to"), m.getJsonObject("e"));
        }
    }

    @Override
    public Future<Void> close() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        return subscription.close();
    }
}
