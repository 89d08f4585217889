package io.nectar.gateway.conversations;

import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.redis.RedisClients;
import io.nectar.gateway.support.TestServers;
import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Redis conversation store against a real Redis server and a real three-master Redis Cluster:
 * claims and fencing, one-round-trip commits, idempotent message ids, the bounded window, appends
 * routed to the holding node over pub/sub, the durable log drained exactly once, and timeouts.
 */
class RedisConversationStoreTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        await(vertx.close());
    }

    /** One deployment's view of Redis: a node's store, its channel and its drainer, under a prefix of its own. */
    static final class Node implements AutoCloseable {
        final Redis redis;
        final NodeChannel channel;
        final RedisConversationStore store;
        final ConversationKeys keys;
        final String id;

        Node(String kind, String prefix, String id) throws Exception {
            this.id = id;
            ClusterConfig.RedisEndpoints endpoints = endpoints(kind);
            redis = RedisClients.create(vertx, endpoints, 8);
            keys = new ConversationKeys(prefix, 8);
            channel = new NodeChannel(vertx, redis, RedisClients.create(vertx, endpoints, 1), keys, id,
                    endpoints.kind() == ClusterConfig.RedisEndpoints.Kind.CLUSTER, 2000);
            await(channel.start());
            store = new RedisConversationStore(redis, keys, id, Duration.ofMinutes(30), 6, Duration.ofSeconds(2), channel);
        }

        @Override
        public void close() throws Exception {
            await(store.close());
            redis.close();
        }
    }

    static ClusterConfig.RedisEndpoints endpoints(String kind) {
        return "cluster".equals(kind) ? ClusterConfig.RedisEndpoints.cluster(TestServers.redisCluster())
                : ClusterConfig.RedisEndpoints.standalone(TestServers.redisUrl());
    }

    static String prefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static TurnWrite turn(Claim c, String messageId, String text, String answer) {
        long now = System.currentTimeMillis();
        JsonObject in = new JsonObject().put("type", "message").put("id", messageId).put("text", text).put("at", now);
        JsonObject out = new JsonObject().put("type", "reply").put("replyTo", messageId).put("text", answer).put("at", now);
        return new TurnWrite(messageId, in,
                new LoggedMessage(c.conversationId(), c.merchantId(), 0, "shopper", messageId, text, null, null, "en", now, null, null, in),
                out,
                new LoggedMessage(c.conversationId(), c.merchantId(), 0, "bot", messageId, answer, "faq", "faq", "en", now, null, null, out),
                new JsonObject().put("fallbacks", 0), "en");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void claimsFenceCommitsAndKeepABoundedWindow(String kind) throws Exception {
        String prefix = prefix();
        try (Node a = new Node(kind, prefix, "node-a"); Node b = new Node(kind, prefix, "node-b")) {
            Claim first = await(a.store.claim(null, "shop"));
            assertFalse(first.resumed());
            assertEquals(1, first.epoch());
            assertEquals(0, first.seq());
            ConversationStore.Committed c1 = await(a.store.commit(first, turn(first, "m1", "hello", "hi there")));
            assertEquals(1, c1.shopperSeq());
            assertEquals(2, c1.replySeq());

            // the same message id again: nothing written, the earlier reply's seq
            ConversationStore.Committed again = await(a.store.commit(first, turn(first, "m1", "hello", "hi there")));
            assertTrue(again.duplicate());
            assertEquals(2L, again.duplicateOf());

            // another merchant cannot take it: a new conversation instead
            Claim foreign = await(b.store.claim(first.conversationId(), "other-shop"));
            assertNotEquals(first.conversationId(), foreign.conversationId());

            // node b takes it over: a new epoch, the state and window as committed
            Claim second = await(b.store.claim(first.conversationId(), "shop"));
            assertTrue(second.resumed());
            assertEquals(2, second.epoch());
            assertEquals(2, second.seq());
            assertEquals(List.of(1L, 2L), second.window().stream().map(f -> f.getLong("seq")).toList());
            assertEquals("hi there", second.window().get(1).getString("text"));
            assertEquals(Map.of("m1", 2L), second.answered());
            assertEquals(0, second.dialogue().fallbacks);

            // node a's claim is stale: its write is refused, never merged
            ExecutionException stale = assertThrows(ExecutionException.class,
                    () -> await(a.store.commit(first, turn(first, "m2", "late", "should not land"))));
            assertInstanceOf(StaleClaimException.class, stale.getCause());

            for (int i = 2; i <= 5; i++) {
                await(b.store.commit(second, turn(second, "m" + i, "q" + i, "a" + i)));
            }
            Claim third = await(a.store.claim(first.conversationId(), "shop"));
            assertEquals(10, third.seq());
            assertEquals(6, third.window().size(), "the window keeps the newest 6 messages");
            assertEquals(5L, third.window().get(0).getLong("seq"));
            assertEquals(5, third.windowStart());
            assertFalse(third.window().stream().anyMatch(f -> "late".equals(f.getString("text"))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void aClaimWhoseConnectionClosedBeforeItOpenedGivesTheConversationBack(String kind) throws Exception {
        String prefix = prefix();
        try (Node a = new Node(kind, prefix, "node-a"); Node b = new Node(kind, prefix, "node-b")) {
            Claim first = await(a.store.claim(null, "shop"));
            await(a.store.commit(first, turn(first, "m1", "hello", "hi there")));
            // the shopper's new connection on node b, then a late claim on node a for a connection already closed
            Claim live = await(b.store.claim(first.conversationId(), "shop"));
            Claim abandoned = await(a.store.claim(first.conversationId(), "shop"));
            assertEquals(live.epoch() + 1, abandoned.epoch());
            await(a.store.unclaim(abandoned));
            ConversationStore.Committed c = await(b.store.commit(live, turn(live, "m2", "still here?", "yes")));
            assertEquals(3, c.shopperSeq(), "the live connection keeps the conversation");
            // frames appended by others go to node b again, the owner before the abandoned claim
            List<JsonObject> atB = new java.util.concurrent.CopyOnWriteArrayList<>();
            b.store.deliveries((conversation, epoch, frame) -> atB.add(frame));
            await(a.store.append("shop", first.conversationId(), new LoggedMessage(first.conversationId(), "shop", 0, "agent", null,
                    "an agent here", null, null, "en", System.currentTimeMillis(), null, null,
                    new JsonObject().put("type", "agent").put("text", "an agent here")), null, null, null));
            waitUntil(() -> !atB.isEmpty(), 5_000);
            assertEquals("an agent here", atB.get(0).getString("text"));

            // once another claim came after it, an abandoned claim gives nothing back
            Claim abandonedAgain = await(a.store.claim(first.conversationId(), "shop"));
            Claim newest = await(b.store.claim(first.conversationId(), "shop"));
            await(a.store.unclaim(abandonedAgain));
            assertEquals(6, await(b.store.commit(newest, turn(newest, "m3", "and now?", "still yes"))).shopperSeq(), "after m2 (3, 4) and the agent (5)");
            ExecutionException stale = assertThrows(ExecutionException.class,
                    () -> await(b.store.commit(live, turn(live, "m4", "old", "no"))));
            assertInstanceOf(StaleClaimException.class, stale.getCause());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void appendedFramesReachTheHoldingNodeOrWaitInTheWindow(String kind) throws Exception {
        String prefix = prefix();
        try (Node a = new Node(kind, prefix, "node-a-" + kind); Node b = new Node(kind, prefix, "node-b-" + kind)) {
            LinkedBlockingQueue<JsonObject> atA = new LinkedBlockingQueue<>();
            a.store.deliveries((conv, epoch, frame) -> atA.add(frame.copy().put("conv", conv).put("epoch", epoch)));
            Claim held = await(a.store.claim(null, "shop"));
            await(a.store.commit(held, turn(held, "m1", "I need a person", "connecting you")));

            JsonObject agent = new JsonObject().put("type", "agent").put("text", "Hi, I'm Li").put("at", 1L);
            JsonObject stored = await(b.store.append("shop", held.conversationId(), new LoggedMessage(held.conversationId(),
                    "shop", 0, "agent", null, "Hi, I'm Li", null, null, "en", 1L, null, null, agent)));
            assertEquals(3L, stored.getLong("seq"));
            JsonObject delivered = atA.poll(5, TimeUnit.SECONDS);
            assertNotNull(delivered, "the holding node got the agent's frame over pub/sub");
            assertEquals(held.conversationId(), delivered.getString("conv"));
            assertEquals(held.epoch(), delivered.getLong("epoch"));
            assertEquals(3L, delivered.getLong("seq"));

            // another merchant's id appends nothing
            assertNull(await(b.store.append("other-shop", held.conversationId(), new LoggedMessage(held.conversationId(),
                    "other-shop", 0, "agent", null, "x", null, null, "en", 1L, null, null, agent))));

            // released: nobody holds it; an appended frame waits in the window for the next connect
            await(a.store.release(held));
            await(b.store.append("shop", held.conversationId(), new LoggedMessage(held.conversationId(), "shop", 0, "agent",
                    null, "Are you still there?", null, null, "en", 2L, null, null, agent.copy().put("text", "Are you still there?"))));
            assertNull(atA.poll(300, TimeUnit.MILLISECONDS));
            Claim back = await(b.store.claim(held.conversationId(), "shop"));
            assertEquals(4, back.seq());
            assertEquals("Are you still there?", back.window().get(back.window().size() - 1).getString("text"));
            assertEquals(List.of(4L), await(b.store.framesAfter(held.conversationId(), 3)).stream()
                    .map(f -> f.getLong("seq")).toList());
        }
    }

    /** A sink that keeps what it was given and can be made to fail, like PostgreSQL going away. */
    static final class ListSink implements TranscriptSink {
        final List<LoggedMessage> rows = Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean down = new AtomicBoolean();
        volatile int batches;

        @Override
        public Future<Void> write(List<LoggedMessage> batch) {
            if (down.get()) {
                return Future.failedFuture(new IllegalStateException("database away"));
            }
            batches++;
            rows.addAll(batch);
            return Future.succeededFuture();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "cluster"})
    void theDurableLogDrainsExactlyOnceAcrossASinkOutageAndADeadDrainer(String kind) throws Exception {
        String prefix = prefix();
        try (Node a = new Node(kind, prefix, "drain-a"); Node b = new Node(kind, prefix, "drain-b")) {
            ListSink sink = new ListSink();
            LogDrainer drainerA = new LogDrainer(vertx, a.redis, a.keys, "drain-a", sink, 2000, 500);
            await(drainerA.start());
            List<Claim> claims = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                claims.add(await(a.store.claim(null, "shop")));
            }
            sink.down.set(true);
            for (Claim c : claims) {
                for (int m = 0; m < 3; m++) {
                    await(a.store.commit(c, turn(c, "m" + m, "q" + m, "a" + m)));
                }
            }
            Thread.sleep(300);
            assertEquals(0, sink.rows.size(), "nothing is written while the database is away");
            long pendingNow = pending(a);
            assertTrue(pendingNow > 0 || streamLength(a) == 120, "entries stay in Redis: " + pendingNow);
            sink.down.set(false);
            waitUntil(() -> sink.rows.size() >= 120, 10_000);
            await(drainerA.stop());

            // a drainer that read entries and died: another node takes them over and writes them
            Claim late = await(a.store.claim(null, "shop"));
            await(a.store.commit(late, turn(late, "x", "last question", "last answer")));
            int shard = a.keys.shard(late.conversationId());
            await(a.redis.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(ConversationKeys.DRAIN_GROUP).arg("dead-node")
                    .arg("COUNT").arg(100).arg("STREAMS").arg(a.keys.log(shard)).arg(">")));
            LogDrainer drainerB = new LogDrainer(vertx, b.redis, b.keys, "drain-b", sink, 2000, 500);
            await(drainerB.start());
            waitUntil(() -> sink.rows.size() >= 122, 10_000);
            await(drainerB.stop());

            Map<String, List<Long>> seqs = new HashMap<>();
            for (LoggedMessage m : sink.rows) {
                seqs.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m.seq());
                assertEquals(m.seq(), m.frame().getLong("seq"), "the frame carries its seq");
            }
            assertEquals(21, seqs.size());
            for (List<Long> s : seqs.values()) {
                List<Long> sorted = new ArrayList<>(s);
                Collections.sort(sorted);
                assertEquals(sorted.size(), new java.util.HashSet<>(sorted).size(), "no message twice: " + s);
                for (int i = 0; i < sorted.size(); i++) {
                    assertEquals(i + 1, sorted.get(i), "gapless: " + s);
                }
            }
            assertEquals(122, sink.rows.size(), "every message exactly once");
            assertEquals(0, streamLength(a), "acknowledged entries are deleted from the streams");
        }
    }

    @Test
    void aRedisThatNeverAnswersFailsTheCallWithinItsTimeout() throws Exception {
        // a server that accepts connections and never says a word
        NetServer silent = vertx.createNetServer().connectHandler(s -> s.handler(b -> { }));
        await(silent.listen(0, "127.0.0.1"));
        Redis redis = RedisClients.create(vertx, ClusterConfig.RedisEndpoints.standalone("redis://127.0.0.1:" + silent.actualPort()), 2);
        ConversationKeys keys = new ConversationKeys(prefix(), 4);
        NodeChannel channel = new NodeChannel(vertx, redis, redis, keys, "n", false, 300);
        RedisConversationStore store = new RedisConversationStore(redis, keys, "n", Duration.ofMinutes(1), 10,
                Duration.ofMillis(300), channel);
        long t0 = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.claim(null, "shop")));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertInstanceOf(TimeoutException.class, e.getCause(), e.toString());
        assertTrue(ms < 5_000, "failed after " + ms + " ms, not hung");
        redis.close();
        await(silent.close());
    }

    private static long pending(Node n) throws Exception {
        long total = 0;
        for (int s = 0; s < n.keys.shards(); s++) {
            var r = await(n.redis.send(Request.cmd(Command.XPENDING).arg(n.keys.log(s)).arg(ConversationKeys.DRAIN_GROUP)));
            total += r.get(0).toLong();
        }
        return total;
    }

    private static long streamLength(Node n) throws Exception {
        long total = 0;
        for (int s = 0; s < n.keys.shards(); s++) {
            total += await(n.redis.send(Request.cmd(Command.XLEN).arg(n.keys.log(s)))).toLong();
        }
        return total;
    }

    static void waitUntil(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
