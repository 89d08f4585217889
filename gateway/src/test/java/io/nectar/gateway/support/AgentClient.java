package io.nectar.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** An agent's workbench as a test drives it: signs in over HTTP, then talks on /ws/agent. */
public final class AgentClient implements AutoCloseable {

    public record Answer(int status, JsonObject body, String setCookie) {
    }

    private final WebSocketClient client;
    private final ClientWebSocket ws;
    public final String cookie;
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private int refs;

    private AgentClient(WebSocketClient client, ClientWebSocket ws, String cookie) {
        this.client = client;
        this.ws = ws;
        this.cookie = cookie;
        ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        ws.exceptionHandler(t -> { });
    }

    public static Answer signIn(Vertx vertx, int port, String merchant, String login, String password) throws Exception {
        return http(vertx, port, HttpMethod.POST, "/api/agent/session", null,
                new JsonObject().put("merchant", merchant).put("login", login).put("password", password));
    }

    public static Answer http(Vertx vertx, int port, HttpMethod method, String path, String cookie, JsonObject body) throws Exception {
        HttpClient http = vertx.createHttpClient();
        try {
            RequestOptions o = new RequestOptions().setHost("localhost").setPort(port).setMethod(method).setURI(path);
            if (cookie != null) {
                o.addHeader("cookie", cookie);
            }
            if (body != null) {
                o.addHeader("content-type", "application/json");
            }
            return http.request(o).compose(req -> (body == null ? req.send() : req.send(Buffer.buffer(body.encode())))
                            .compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.length() == 0 ? null : b.toJsonObject(),
                                    cookieOf(r)))))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            http.close();
        }
    }

    private static String cookieOf(HttpClientResponse r) {
        String c = r.getHeader("set-cookie");
        return c == null ? null : c.substring(0, c.indexOf(';'));
    }

    public static AgentClient open(Vertx vertx, int port, String merchant, String login, String password) throws Exception {
        Answer a = signIn(vertx, port, merchant, login, password);
        if (a.status() != 200) {
            fail("sign-in refused: " + a.status() + " " + a.body());
        }
        return connect(vertx, port, a.setCookie());
    }

    public static AgentClient connect(Vertx vertx, int port, String cookie) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        ClientWebSocket ws = client.webSocket();
        AgentClient c = new AgentClient(client, ws, cookie);
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("localhost").setPort(port).setURI("/ws/agent");
        if (cookie != null) {
            o.addHeader("cookie", cookie);
        }
        ws.connect(o).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        c.await(f -> "hello".equals(f.getString("type")));
        return c;
    }

    /** Sends a request and returns the frame that answers it. */
    public JsonObject ask(JsonObject request) throws InterruptedException {
        int ref = ++refs;
        ws.writeTextMessage(request.copy().put("ref", ref).encode());
        return await(f -> Integer.valueOf(ref).equals(f.getInteger("ref")));
    }

    public JsonObject ask(String type, String conversationId) throws InterruptedException {
        return ask(new JsonObject().put("type", type).put("conversationId", conversationId));
    }

    public JsonObject await(Predicate<JsonObject> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            JsonObject f = frames.poll(100, TimeUnit.MILLISECONDS);
            if (f != null && p.test(f)) {
                return f;
            }
        }
        fail("no such frame within 30 s");
        return null;
    }

    /** Frames received so far that match, without waiting. */
    public boolean anyQueued(Predicate<JsonObject> p) {
        return frames.stream().anyMatch(p);
    }

    @Override
    public void close() {
        ws.close();
        client.close();
    }
}
