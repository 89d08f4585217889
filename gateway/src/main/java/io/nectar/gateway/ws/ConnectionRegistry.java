package io.nectar.gateway.ws;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat connections open on this node: by conversation, for frames routed here from other nodes,
 * and all of them, for a graceful drain. Thread-safe; each connection is only ever touched on its own
 * event loop.
 */
public final class ConnectionRegistry {

    private final Map<String, ChatConnection> byConversation = new ConcurrentHashMap<>();
    private final Set<ChatConnection> all = ConcurrentHashMap.newKeySet();

    void opened(ChatConnection c) {
        all.add(c);
    }

    void holds(String conversationId, ChatConnection c) {
        ChatConnection before = byConversation.put(conversationId, c);
        if (before != null && before != c) {
            org.slf4j.LoggerFactory.getLogger(ConnectionRegistry.class).info(
                    "conversation {} was opened by another connection on this node; the earlier one steps aside", conversationId);
            before.runOnLoop(() -> before.takenOver());
        }
    }

    void closed(ChatConnection c, String conversationId) {
        all.remove(c);
        if (conversationId != null) {
            byConversation.remove(conversationId, c);
        }
    }

    public int size() {
        return all.size();
    }

    /** Hands a frame appended elsewhere to the connection holding its conversation here, if any. */
    public void deliver(String conversationId, long epoch, JsonObject frame) {
        ChatConnection c = byConversation.get(conversationId);
        if (c != null) {
            c.runOnLoop(() -> c.deliver(epoch, frame));
        }
    }

    /** The conversations held here, with the last seq each connection has sent (to catch up after a lost subscription). */
    public Map<String, ChatConnection> held() {
        return Map.copyOf(byConversation);
    }

    /**
     * Moves every shopper away: each connection finishes the message in progress, then gets a
     * {@code reconnect} frame and is closed; {@code batch} connections at a time, one batch every
     * {@code intervalMillis}, so the other nodes take them over gradually. Completes when all are closed.
     */
    public Future<Void> drain(Vertx vertx, int batch, long intervalMillis) {
        List<ChatConnection> open = new ArrayList<>(all);
        Promise<Void> done = Promise.promise();
        if (open.isEmpty()) {
            done.complete();
            return done.future();
        }
        List<Future<Void>> closes = new ArrayList<>();
        for (int i = 0; i < open.size(); i += batch) {
            List<ChatConnection> slice = open.subList(i, Math.min(open.size(), i + batch));
            long delay = 1 + (i / batch) * intervalMillis;
            Promise<Void> sliceDone = Promise.promise();
            closes.add(sliceDone.future());
            vertx.setTimer(delay, id -> {
                List<Future<Void>> fs = new ArrayList<>();
                for (ChatConnection c : slice) {
                    Promise<Void> p = Promise.promise();
                    c.runOnLoop(() -> c.drain().onComplete(ar -> p.complete()));
                    fs.add(p.future());
                }
                Future.join(fs).onComplete(ar -> sliceDone.complete());
            });
        }
        Future.join(closes).onComplete(ar -> done.complete());
        return done.future();
    }
}
