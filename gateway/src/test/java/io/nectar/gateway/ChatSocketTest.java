package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat socket's own transport duties, on a real node and real sockets: WebSocket pings, the closing
 * handshake either side starts, the idle timeout, no compression extension, and handshakes it refuses.
 */
class ChatSocketTest {

    static Gateway gateway;
    static Vertx client;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(GatewayConfig.fromArgs(new String[]{"--port", "0", "--idle-timeout", "2"}))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWebSocketPingIsAnsweredWithTheSamePayload() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo")) {
            CompletableFuture<String> pong = new CompletableFuture<>();
            c.socket().pongHandler(b -> pong.complete(b.toString(StandardCharsets.UTF_8)));
            c.socket().writePing(Buffer.buffer("are you there"));
            assertEquals("are you there", pong.get(10, TimeUnit.SECONDS));
            assertEquals("reply", c.ask("after-ping", "Do you ship abroad?").getString("type"));
        }
    }

    @Test
    void aCloseFromTheShopperIsAnsweredWithTheirCode() throws Exception {
        ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo");
        c.socket().close((short) 4000, "bye").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(4000, c.awaitClose(), "the server echoes the shopper's close code");
        c.close();
        assertEquals("reply", ChatTestClient.open(client, gateway.port(), "merchant=demo").ask("x", "Do you ship abroad?")
                .getString("type"), "the node goes on");
    }

    @Test
    void anIdleConnectionIsClosedAsGoingAway() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo")) {
            assertEquals(1001, c.awaitClose(), "closed after the idle timeout (2 s here)");
        }
    }

    @Test
    void aClientThatPingsStaysPastTheIdleTimeoutAndIsClosedOnceItStops() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=demo")) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_500);
            while (System.nanoTime() < until) {
                c.sendText("{\"type\":\"ping\"}");
                Thread.sleep(500);
            }
            assertFalse(c.isClosed(), "its pings keep it open past the 2 s idle timeout");
            assertEquals(1001, c.awaitClose(), "silent, it is closed as idle");
        }
    }

    @Test
    void compressionIsNotNegotiatedEvenWhenOffered() throws Exception {
        WebSocketClient ws = client.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
        try {
            CompletableFuture<JsonObject> welcome = new CompletableFuture<>();
            ClientWebSocket s = ws.webSocket();
            s.textMessageHandler(t -> welcome.complete(new JsonObject(t))); // before the connect: the welcome comes at once
            s.connect(new WebSocketConnectOptions().setPort(gateway.port()).setHost("localhost")
                    .setURI("/ws/chat?merchant=demo")).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertFalse(s.headers().contains("sec-websocket-extensions"), "the server accepted no extension: " + s.headers());
            assertEquals("welcome", welcome.get(10, TimeUnit.SECONDS).getString("type"));
        } finally {
            ws.close();
        }
    }

    @Test
    void handshakesItCannotServeAreRefusedOverHttp() throws Exception {
        assertTrue(rawUpgrade("GET", "13").startsWith("HTTP/1.1 101"), "a well-formed upgrade is accepted");
        String oldVersion = rawUpgrade("GET", "99");
        assertTrue(oldVersion.startsWith("HTTP/1.1 426") && oldVersion.toLowerCase().contains("sec-websocket-version: 13"),
                oldVersion);
        assertTrue(rawUpgrade("POST", "13").startsWith("HTTP/1.1 405"), "only GET upgrades");
    }

    /** The status line and headers the node answers a hand-written upgrade request with. */
    private static String rawUpgrade(String method, String version) throws Exception {
        try (Socket s = new Socket("localhost", gateway.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((method + " /ws/chat?merchant=demo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: " + version
                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }
}
