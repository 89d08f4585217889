package io.nectar.gateway.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A shopper that works through a script of messages the way the chat page does: one message at a
 * time, each with its own id; when the connection drops it reconnects (through whatever the port
 * leads to) with its conversation id and the last seq it saw, takes what it missed from the welcome
 * frame, and resends the message it has no reply for. Records what it saw so a test can check that
 * nothing was lost or answered twice. Runs on a Vert.x event loop; {@link #run()} completes when the
 * script is done.
 */
public final class ScriptedShopper {

    /** What one shopper saw. {@code answeredTwice} counts fresh (non-duplicate) replies to an id already answered. */
    /**
     * What one shopper saw. {@code recoveries} holds, for every dropped connection, the milliseconds from the
     * drop to the next reply; {@code errorFrames} counts every error frame, retried or not.
     */
    public record Result(String name, String conversationId, Map<String, JsonObject> replies, int reconnects,
                         int answeredTwice, List<String> problems, List<Long> recoveries, int errorFrames) {
    }

    private final Vertx vertx;
    private final WebSocketClient client;
    private final int port;
    private final String merchant;
    private final String name;
    private final List<String> script;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private final Map<String, JsonObject> replies = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Long> recoveries = new ArrayList<>();
    private long droppedAt;
    private int errorFrames;
    private ClientWebSocket ws;
    private String conversationId;
    private long lastSeq;
    private int next;
    private int reconnects;
    private int answeredTwice;
    private long backoff = 100;
    private final long deadline;

    public ScriptedShopper(Vertx vertx, int port, String merchant, String name, List<String> script, long timeoutMillis) {
        this.vertx = vertx;
        // no handshake timeout of its own, like the widget (decision 99)
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20));
        this.port = port;
        this.merchant = merchant;
        this.name = name;
        this.script = List.copyOf(script);
        this.deadline = System.currentTimeMillis() + timeoutMillis;
    }

    public CompletableFuture<Result> run() {
        vertx.runOnContext(v -> connect());
        return done;
    }

    /** The id of the i-th message of the script. */
    public String id(int i) {
        return name + "-" + i;
    }

    private void connect() {
        if (done.isDone()) {
            return;
        }
        if (System.currentTimeMillis() > deadline) {
            finish("timed out at message " + next + " of " + script.size());
            return;
        }
        StringBuilder uri = new StringBuilder("/ws/chat?merchant=").append(merchant);
        if (conversationId != null) {
            uri.append("&conversation=").append(URLEncoder.encode(conversationId, StandardCharsets.UTF_8)).append("&lastSeq=").append(lastSeq);
        }
        ClientWebSocket socket = client.webSocket();
        socket.textMessageHandler(t -> onFrame(socket, new JsonObject(t)));
        socket.closeHandler(v -> onClose(socket));
        socket.exceptionHandler(t -> { });
        socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri.toString()))
                .onSuccess(s -> ws = socket)
                .onFailure(t -> retryLater());
    }

    private void retryLater() {
        reconnects++;
        long delay = backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        backoff = Math.min(backoff * 2, 2000);
        vertx.setTimer(delay, id -> connect());
    }

    private void onClose(ClientWebSocket socket) {
        if (socket != ws || done.isDone()) {
            return;
        }
        ws = null;
        if (droppedAt == 0) {
            droppedAt = System.nanoTime();
        }
        Short code = socket.closeStatusCode();
        if (code != null && code == 4001) {
            finish("the conversation was taken by another connection");
            return;
        }
        retryLater();
    }

    private void onFrame(ClientWebSocket socket, JsonObject f) {
        switch (f.getString("type", "")) {
            case "welcome" -> {
                backoff = 100;
                String id = f.getString("conversationId");
                if (conversationId != null && !conversationId.equals(id)) {
                    problems.add("resume gave a new conversation " + id + " instead of " + conversationId);
                }
                conversationId = id;
                JsonArray missed = f.getJsonArray("missed");
                if (missed != null) {
                    for (Object o : missed) {
                        see((JsonObject) o, true);
                    }
                }
                lastSeq = Math.max(lastSeq, f.getLong("seq", 0L));
                if (missed != null && missed.stream().anyMatch(o -> "reply".equals(((JsonObject) o).getString("type")))) {
                    recovered(); // a reply that came while we were away counts as the first one after the drop
                }
                sendCurrent(socket);
            }
            case "reply" -> {
                recovered();
                see(f, false);
                if (id(next).equals(f.getString("replyTo")) && replies.containsKey(id(next))) {
                    advance(socket);
                }
            }
            case "error" -> {
                errorFrames++;
                String code = f.getString("code");
                if ("unavailable".equals(code) || "overloaded".equals(code) || "rate_limited".equals(code) || "internal".equals(code)) {
                    vertx.setTimer(200, t -> sendCurrent(ws));
                } else {
                    problems.add("error " + f.encode());
                }
            }
            case "moved" -> {
                // a socket given up on (its connect timed out here after the node had claimed for it) is
                // moved aside when the next one claims: only the current socket being moved is a problem
                if (socket == ws) {
                    problems.add("moved: " + f.encode());
                }
            }
            default -> lastSeq = Math.max(lastSeq, f.getLong("seq", lastSeq));
        }
    }

    private void recovered() {
        if (droppedAt != 0) {
            recoveries.add((System.nanoTime() - droppedAt) / 1_000_000);
            droppedAt = 0;
        }
    }

    private void see(JsonObject f, boolean fromMissed) {
        lastSeq = Math.max(lastSeq, f.getLong("seq", 0L));
        if (!"reply".equals(f.getString("type"))) {
            return;
        }
        String replyTo = f.getString("replyTo");
        if (replyTo == null || !replyTo.startsWith(name + "-")) {
            return;
        }
        if (replies.containsKey(replyTo)) {
            if (!f.getBoolean("duplicate", false) && !fromMissed
                    && !f.getLong("seq", -1L).equals(replies.get(replyTo).getLong("seq"))) {
                answeredTwice++;
                problems.add("answered twice: " + replyTo + " (seq " + replies.get(replyTo).getLong("seq") + " and " + f.getLong("seq") + ")");
            }
            return;
        }
        replies.put(replyTo, f);
        if (fromMissed && replyTo.equals(id(next))) {
            next++; // the reply came while we were away: the message is done
        }
    }

    private void sendCurrent(ClientWebSocket socket) {
        if (socket == null || socket != ws || done.isDone()) {
            return;
        }
        if (next >= script.size()) {
            finish(null);
            return;
        }
        if (replies.containsKey(id(next))) {
            advance(socket);
            return;
        }
        socket.writeTextMessage(new JsonObject().put("type", "message").put("id", id(next)).put("text", script.get(next)).encode());
    }

    private void advance(ClientWebSocket socket) {
        next++;
        if (next >= script.size()) {
            finish(null);
            return;
        }
        vertx.setTimer(50 + ThreadLocalRandom.current().nextInt(250), t -> sendCurrent(ws));
    }

    private void finish(String problem) {
        if (problem != null) {
            problems.add(problem);
        }
        if (ws != null) {
            ws.close();
        }
        done.complete(new Result(name, conversationId, Map.copyOf(replies), reconnects, answeredTwice, List.copyOf(problems),
                List.copyOf(recoveries), errorFrames));
    }
}
