package io.nectar.loadgen.engine;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket round trip to a throwaway server in this process before a run, so the client's classes are
 * loaded and its first connect is not the slowest one of the run. Touches no target. Blocking (at most a
 * minute); never on an event loop.
 */
final class ClientWarmUp {

    private ClientWarmUp() {
    }

    static void run(Vertx vertx) {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage));
        WebSocketClient client = vertx.createWebSocketClient();
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            var done = new CompletableFuture<String>();
            var ws = client.webSocket();
            ws.textMessageHandler(done::complete);
            ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/warm-up"))
                    .onSuccess(w -> w.writeTextMessage(new JsonObject().put("type", "ping").encode()))
                    .onFailure(done::completeExceptionally);
            done.get(30, TimeUnit.SECONDS);
            ws.close();
        } catch (Exception e) {
            // only a warm-up: the run goes on without it
        } finally {
            client.close();
            server.close();
        }
    }
}
