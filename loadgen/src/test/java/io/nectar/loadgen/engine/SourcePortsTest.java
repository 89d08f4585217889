package io.nectar.loadgen.engine;

import io.nectar.loadgen.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourcePortsTest {

    @Test
    void eachTargetHasItsOwnCursorThatWrapsWithinTheRange() {
        SourcePorts ports = new SourcePorts(SourcePorts.HIGH - SourcePorts.LOW);
        assertEquals(new InetSocketAddress("127.0.0.2", SourcePorts.HIGH), ports.next("127.0.0.2", "127.0.0.1:80"));
        assertEquals(new InetSocketAddress("127.0.0.2", SourcePorts.LOW), ports.next("127.0.0.2", "127.0.0.1:80"));
        assertEquals(new InetSocketAddress("127.0.0.2", SourcePorts.HIGH), ports.next("127.0.0.2", "127.0.0.1:81"),
                "one port serves many targets");
        assertEquals(new InetSocketAddress("127.0.0.3", SourcePorts.HIGH), ports.next("127.0.0.3", "127.0.0.1:80"));
    }

    @Test
    void aTakenPortIsRecognisedFromTheBindOrConnectFailure() {
        assertTrue(SourcePorts.taken(new java.net.BindException("Address already in use")));
        assertTrue(SourcePorts.taken(new java.io.IOException("connect", new java.net.ConnectException(
                "connect(..) failed: Cannot assign requested address"))));
        assertFalse(SourcePorts.taken(new java.net.ConnectException("Connection refused")));
    }

    /** A listener on the wildcard address holds the first chosen port: the connect moves on to the next one. */
    @Test
    void aConnectWhoseChosenPortIsTakenUsesTheNextPort() throws Exception {
        ServerSocket holder = null;
        for (int tries = 0; holder == null && tries < 100; tries++) {
            int p = SourcePorts.LOW + ThreadLocalRandom.current().nextInt(SourcePorts.HIGH - SourcePorts.LOW - 100);
            try {
                holder = new ServerSocket(p, 1, null);   // null: the wildcard address
            } catch (java.io.IOException inUse) {
                // try another
            }
        }
        assertTrue(holder != null, "no free port to hold");
        Vertx vertx = Vertx.vertx();
        try (ServerSocket held = holder; TestServer server = TestServer.echo()) {
            int taken = held.getLocalPort();
            ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
            NettyUserSocket socket = new NettyUserSocket(context, ((VertxInternal) vertx).transport().channelFactory(false),
                    "127.0.0.2", new SourcePorts(taken - SourcePorts.LOW));
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            context.runOnContext(v -> socket.connect(RunContext.Target.parse(server.url()), "/ws/chat", 5_000)
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(ar.cause());
                        }
                    }));
            done.get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.remotePorts.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, server.remotePorts.size(), server.remotePorts.toString());
            int used = server.remotePorts.iterator().next();
            assertTrue(used > taken && used < taken + SourcePorts.ATTEMPTS, "taken " + taken + ", used " + used);
            context.runOnContext(v -> socket.close());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
