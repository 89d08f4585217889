package io.nectar.gateway.redis;

import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.support.Await;
import io.nectar.gateway.support.DroppingProxy;
import io.nectar.gateway.support.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel kept subscribed, against a real Redis server and a real Redis Cluster. */
class SubscriptionTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static <T> T await(Future<T> f) throws Exception {
        return Await.result(f, 10);
    }

    static void waitUntil(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!c.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void aLostConnectionIsSubscribedAgainAndTheOwnerToldToCatchUp() throws Exception {
        // the subscriber reaches Redis through a proxy the test can cut, as a network or a failover would
        DroppingProxy proxy = new DroppingProxy(vertx, URI.create(TestServers.redisUrl()).getPort());
        Redis publisher = RedisClients.create(vertx, ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl()), 2);
        Redis subscriber = RedisClients.create(vertx,
                ClusterConfig.RedisEndpoints.standalone("redis://127.0.0.1:" + proxy.port()), 1);
        String channel = "test:sub:" + UUID.randomUUID();
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        AtomicInteger resubscribed = new AtomicInteger();
        Subscription s = new Subscription(vertx, subscriber, channel, false, 2_000, "test channel", received::add,
                resubscribed::incrementAndGet);
        try {
            await(s.start());
            assertTrue(s.subscribed());
            publish(publisher, channel, false, "not json");
            publish(publisher, channel, false, new JsonObject().put("n", 1).encode());
            waitUntil(() -> received.size() == 1, "the first message arrives");
            assertEquals(1, received.get(0).getInteger("n"), "a payload that is not JSON is dropped, the next one delivered");
            assertEquals(0, resubscribed.get(), "the first subscription is not a resubscription");

            proxy.dropAll();
            waitUntil(() -> resubscribed.get() == 1, "the subscription is made again");
            assertTrue(s.subscribed());
            publish(publisher, channel, false, new JsonObject().put("n", 2).encode());
            waitUntil(() -> received.size() == 2, "a message after the resubscription arrives");
            assertEquals(2, received.get(1).getInteger("n"));
        } finally {
            await(s.close());
            assertFalse(s.subscribed());
            publisher.close();
            proxy.close();
        }
    }

    @Test
    void onARedisClusterTheChannelIsShardedAndDelivered() throws Exception {
        ClusterConfig.RedisEndpoints cluster = ClusterConfig.RedisEndpoints.cluster(TestServers.redisCluster());
        Redis publisher = RedisClients.create(vertx, cluster, 2);
        String channel = "test:sub:{" + UUID.randomUUID() + "}";
        List<JsonObject> received = new CopyOnWriteArrayList<>();
        Subscription s = new Subscription(vertx, RedisClients.create(vertx, cluster, 1), channel, true, 2_000, "test channel",
                received::add, () -> { });
        try {
            await(s.start());
            publish(publisher, channel, true, new JsonObject().put("n", 7).encode());
            waitUntil(() -> received.size() == 1, "the sharded message arrives");
            assertEquals(7, received.get(0).getInteger("n"));
        } finally {
            await(s.close());
            publisher.close();
        }
    }

    private static void publish(Redis publisher, String channel, boolean sharded, String payload) throws Exception {
        await(publisher.send(Request.cmd(sharded ? Command.SPUBLISH : Command.PUBLISH).arg(channel).arg(payload)));
    }
}
