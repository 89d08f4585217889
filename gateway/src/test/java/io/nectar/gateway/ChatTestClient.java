package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket chat client for tests: frames arrive on a Vert.x event loop and queue up for the
 * test thread, which waits on them (test threads may block).
 */
public final class ChatTestClient implements AutoCloseable {

    /** Held for the socket's lifetime: Vert.x closes a WebSocketClient (and its sockets) once it is garbage-collected. */
    private final WebSocketClient client;
    private final ClientWebSocket ws;
    private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Short> closed = new CompletableFuture<>();

    private ChatTestClient(WebSocketClient client, ClientWebSocket ws) {
        this.client = client;
        this.ws = ws;
        // handlers are in place before the handshake, so no early frame is missed
        ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        ws.exceptionHandler(t -> { });
    }

    public static ChatTestClient connect(Vertx vertx, int port, String query) throws Exception {
        return connect(vertx, port, query, null);
    }

    /** Connects as a page of {@code origin} would ({@code null}: no Origin header, as an app). */
    public static ChatTestClient connect(Vertx vertx, int port, String query, String origin) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("localhost").setPort(port)
                .setURI("/ws/chat" + (query == null ? "" : "?" + query));
        if (origin != null) {
            options.addHeader("Origin", origin);
        }
        // Vert.x 5.0.7's ClientWebSocket sets its handlers on the socket only after the handshake completes,
        // and fails the connect with "WebSocket is closed" (the frames unread) when the server has already
        // sent its frame and closed by then, as it does for a refused connection. That is the client's
        // race, not the server's answer: try again, up to three times in all.
        for (int attempt = 1; ; attempt++) {
            WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
            ChatTestClient c = new ChatTestClient(client, client.webSocket());
            try {
                c.ws.connect(options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return c;
            } catch (java.util.concurrent.ExecutionException e) {
                client.close();
                boolean raced = e.getCause() instanceof IllegalStateException
                        && "WebSocket is closed".equals(e.getCause().getMessage());
                if (!raced || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Connects and consumes the welcome frame. */
    public static ChatTestClient open(Vertx vertx, int port, String query) throws Exception {
        ChatTestClient c = connect(vertx, port, query);
        JsonObject welcome = c.next();
        assertEquals("welcome", welcome.getString("type"), welcome.encode());
        c.welcome = welcome;
        return c;
    }

    public JsonObject welcome;

    public JsonObject next() throws InterruptedException {
        return next(10_000);
    }

    public JsonObject next(long timeoutMillis) throws InterruptedException {
        JsonObject f = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        assertNotNull(f, "no frame within " + timeoutMillis + " ms");
        return f;
    }

    /** The next frame, or null if none arrives within the time. */
    public JsonObject poll(long timeoutMillis) throws InterruptedException {
        return frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits for the first frame matching {@code p}, failing on timeout. */
    public JsonObject await(Predicate<JsonObject> p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            JsonObject f = frames.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (f != null && p.test(f)) {
                return f;
            }
        }
        fail("no matching frame");
        return null;
    }

    public void sendText(String raw) {
        ws.writeTextMessage(raw);
    }

    /** Sends one text message split into frames of at most {@code frameBytes} bytes (the first must be ASCII). */
    public void sendFragmented(String text, int frameBytes) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int off = 0; off < bytes.length; off += frameBytes) {
            Buffer part = Buffer.buffer(java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + frameBytes)));
            boolean last = off + frameBytes >= bytes.length;
            ws.writeFrame(off == 0 ? io.vertx.core.http.WebSocketFrame.textFrame(part.toString(java.nio.charset.StandardCharsets.US_ASCII), last)
                    : io.vertx.core.http.WebSocketFrame.continuationFrame(part, last));
        }
    }

    public void sendBinary(byte[] data) {
        ws.writeBinaryMessage(Buffer.buffer(data));
    }

    public void message(String id, String text) {
        sendText(new JsonObject().put("type", "message").put("id", id).put("text", text).encode());
    }

    /** Sends a message and returns the frame that answers it (reply or error). */
    public JsonObject ask(String id, String text) throws InterruptedException {
        message(id, text);
        return await(f -> id.equals(f.getString("replyTo")));
    }

    /** The underlying socket, for tests of the transport itself (pings, closing handshakes). */
    public ClientWebSocket socket() {
        return ws;
    }

    /** Close code once the server closed the socket. */
    public short awaitClose() throws Exception {
        return closed.get(10, TimeUnit.SECONDS);
    }

    public boolean isClosed() {
        return ws.isClosed();
    }

    @Override
    public void close() {
        if (!ws.isClosed()) {
            ws.close();
        }
        client.close();
    }
}
