package io.nectar.loadgen;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real WebSocket server for tests that speaks the chat protocol's shape (welcome, reply with replyTo,
 * pong) with a behaviour chosen per test: how long to wait before each reply and what to answer. It
 * records the remote addresses it saw.
 */
public final class TestServer implements AutoCloseable {

    /** What to do with the n-th message (1-based, over the whole server): a delay and a frame to send. */
    public record Answer(long delayMillis, JsonObject frame) {
    }

    public final Set<String> remoteHosts = ConcurrentHashMap.newKeySet();
    /** Source ports of every WebSocket accepted. */
    public final Set<Integer> remotePorts = ConcurrentHashMap.newKeySet();
    public final AtomicInteger messages = new AtomicInteger();
    public final AtomicInteger connections = new AtomicInteger();
    private final Vertx vertx;
    private final HttpServer server;

    private TestServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** {@code behaviour} maps (message number, message) to the answer. */
    public static TestServer start(Function<Integer, Function<JsonObject, Answer>> behaviour) throws Exception {
        Vertx vertx = Vertx.vertx();
        TestServer[] self = new TestServer[1];
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setPort(0))
                .webSocketHandler(ws -> {
                    self[0].connections.incrementAndGet();
                    self[0].remoteHosts.add(ws.remoteAddress().host());
                    self[0].remotePorts.add(ws.remoteAddress().port());
                    ws.textMessageHandler(text -> {
                        JsonObject in = new JsonObject(text);
                        if ("ping".equals(in.getString("type"))) {
                            ws.writeTextMessage("{\"type\":\"pong\"}");
                            return;
                        }
                        int n = self[0].messages.incrementAndGet();
                        Answer a = behaviour.apply(n).apply(in);
                        if (a == null) {
                            ws.close((short) 1011);
                            return;
                        }
                        if (a.delayMillis() <= 0) {
                            ws.writeTextMessage(a.frame().encode());
                        } else {
                            vertx.setTimer(a.delayMillis(), t -> {
                                if (!ws.isClosed()) {
                                    ws.writeTextMessage(a.frame().encode());
                                }
                            });
                        }
                    });
                    ws.writeTextMessage(new JsonObject().put("type", "welcome").put("conversationId", "c-" + self[0].connections.get())
                            .put("resumed", ws.query() != null && ws.query().contains("conversation=")).encode());
                });
        self[0] = new TestServer(vertx, server);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return self[0];
    }

    /** Echoes every message at once as a reply. */
    public static TestServer echo() throws Exception {
        return start(n -> in -> new Answer(0, reply(in, "echo: " + in.getString("text"))));
    }

    public static JsonObject reply(JsonObject in, String text) {
        return new JsonObject().put("type", "reply").put("replyTo", in.getString("id")).put("text", text).put("intent", "echo");
    }

    public static JsonObject error(JsonObject in, String code) {
        return new JsonObject().put("type", "error").put("replyTo", in.getString("id")).put("code", code).put("message", code);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "ws://127.0.0.1:" + port() + "/ws/chat";
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
