package io.nectar.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A TCP proxy in front of a server (the gateway, Redis) that can cut every open connection, like a network drop. */
public final class DroppingProxy implements AutoCloseable {

    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final NetServer server;

    public DroppingProxy(Vertx vertx, int targetPort) throws Exception {
        NetClient client = vertx.createNetClient();
        server = vertx.createNetServer().connectHandler(in -> {
            in.pause();
            client.connect(targetPort, "127.0.0.1").onSuccess(out -> {
                sockets.add(in);
                sockets.add(out);
                in.handler(out::write);
                out.handler(in::write);
                in.closeHandler(v -> out.close());
                out.closeHandler(v -> in.close());
                in.resume();
            }).onFailure(t -> in.close());
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** Closes every proxied connection at once; new connections are still accepted. */
    public void dropAll() {
        sockets.forEach(NetSocket::close);
        sockets.clear();
    }

    @Override
    public void close() throws Exception {
        dropAll();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
