package io.nectar.gateway.ws;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.error.ErrorCode;
import io.nectar.gateway.dialogue.DialogueEngine;
import io.nectar.gateway.dialogue.Understanding;
import io.nectar.nlu.entity.Entity;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.session.Conversation;
import io.nectar.gateway.session.Turn;
import io.nectar.gateway.store.Store;
import io.nectar.nlu.NluException;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One shopper's WebSocket: parses frames, answers bad input with error frames, and processes messages
 * strictly one after another in arrival order. Everything here runs on the connection's event loop;
 * answering is handed to the knowledge base (inference and search run on their own threads) and comes
 * back to this loop as a Vert.x future.
 */
public final class ChatConnection {

    private static final Logger log = LoggerFactory.getLogger(ChatConnection.class);
    static final int MAX_ID_CHARS = 128;

    private record Pending(String id, String text, long arrivedNanos) {
    }

    private final ServerWebSocket ws;
    private final GatewayServices services;
    private final Context context;
    private final RateLimiter limiter;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Set<String> queuedIds = new HashSet<>();
    private Store store;
    private Conversation conversation;
    private boolean busy;
    private boolean closed;
    private long serverIds;

    public ChatConnection(ServerWebSocket ws, GatewayServices services) {
        this.ws = ws;
        this.services = services;
        this.context = Vertx.currentContext();
        this.limiter = new RateLimiter(services.config().messagesPerSecond(), services.config().messageBurst());
    }

    public void start() {
        services.metrics().connectionOpened();
        ws.closeHandler(v -> {
            closed = true;
            services.metrics().connectionClosed();
        });
        ws.exceptionHandler(t -> log.debug("websocket {}: {}", ws.remoteAddress(), t.toString()));
        FrameAssembler frames = new FrameAssembler(services.config().maxFrameBytes(), new FrameAssembler.Sink() {
            @Override
            public void text(String message) {
                onText(message);
            }

            @Override
            public void binary(int bytes) {
                onBinary();
            }

            @Override
            public void tooBig(long bytes) {
                services.metrics().error(ErrorCode.MESSAGE_TOO_BIG);
                closed = true;
                ws.close((short) 1009, "message over " + services.config().maxFrameBytes() + " bytes");
            }
        });
        ws.frameHandler(frames::frame);

        KnowledgeBase knowledge = services.knowledge();
        if (knowledge == null) {
            fatal(ErrorCode.NOT_READY, "the gateway is still loading; retry in a few seconds", (short) 1013);
            return;
        }
        Map<String, List<String>> params = new QueryStringDecoder(ws.uri()).parameters();
        String merchant = first(params, "merchant");
        if (merchant == null || merchant.isBlank()) {
            fatal(ErrorCode.MISSING_MERCHANT, "connect to /ws/chat?merchant=<merchant id>", (short) 1008);
            return;
        }
        store = knowledge.store(merchant);
        if (store == null) {
            fatal(ErrorCode.UNKNOWN_MERCHANT, "no merchant '" + truncate(merchant, 64) + "' here", (short) 1008);
            return;
        }
        String origin = ws.headers().get("Origin");
        if (!store.storefront().allowsOrigin(origin, ws.headers().get("Host"))) {
            fatal(ErrorCode.ORIGIN_NOT_ALLOWED, "this store's chat is not enabled on " + truncate(origin, 100), (short) 1008);
            return;
        }
        String requestedLanguage = first(params, "lang");
        String resumeId = first(params, "conversation");
        Future<Conversation> loaded = resumeId == null || resumeId.isBlank() || resumeId.length() > MAX_ID_CHARS
                ? Future.succeededFuture(null) : services.sessions().get(resumeId);
        loaded.onComplete(ar -> {
            if (closed) {
                return;
            }
            Conversation c = ar.succeeded() ? ar.result() : null;
            if (ar.failed()) {
                log.warn("session store get failed; starting a new conversation: {}", ar.cause().toString());
            }
            boolean resumed = c != null && c.merchantId().equals(store.merchantId());
            conversation = resumed ? c : new Conversation(UUID.randomUUID().toString(), store.merchantId(), System.currentTimeMillis());
            sendWelcome(resumed, requestedLanguage);
            pump();
        });
    }

    private void sendWelcome(boolean resumed, String requestedLanguage) {
        String lang = Welcome.language(store, conversation, requestedLanguage);
        send(Welcome.frame(store, conversation, resumed, lang, services.config(), activeFlow()));
    }

    /** The flow in progress of a resumed conversation, as in replies; {@code null} when none. */
    private JsonObject activeFlow() {
        var active = conversation.dialogue().active;
        if (active == null) {
            return null;
        }
        JsonObject slots = new JsonObject();
        active.slots.forEach(slots::put);
        return new JsonObject().put("id", active.flow).put("step", active.step).put("status", "active").put("slots", slots);
    }

    private void onBinary() {
        services.metrics().messageIn();
        if (admit(null)) {
            error(ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames, not binary", null);
        }
    }

    private void onText(String raw) {
        services.metrics().messageIn();
        JsonObject frame;
        try {
            Object parsed = io.vertx.core.json.Json.decodeValue(raw);
            if (!(parsed instanceof JsonObject o)) {
                if (admit(null)) {
                    error(ErrorCode.BAD_JSON, "a frame must be a JSON object", null);
                }
                return;
            }
            frame = o;
        } catch (DecodeException e) {
            if (admit(null)) {
                error(ErrorCode.BAD_JSON, "frame is not valid JSON", null);
            }
            return;
        }
        Object idValue = frame.getValue("id");
        String replyTo = idValue instanceof String s && !s.isEmpty() && s.length() <= MAX_ID_CHARS ? s : null;
        if (!admit(replyTo)) {
            return;
        }
        Object type = frame.getValue("type");
        if ("ping".equals(type)) {
            send(new JsonObject().put("type", "pong").put("at", System.currentTimeMillis()));
            return;
        }
        if (!"message".equals(type)) {
            error(ErrorCode.UNKNOWN_TYPE, type == null ? "frame has no 'type'"
                    : "unknown type '" + truncate(String.valueOf(type), 32) + "'; expected 'message' or 'ping'", replyTo);
            return;
        }
        if (idValue != null && replyTo == null) {
            error(ErrorCode.BAD_ID, "'id' must be a string of 1-" + MAX_ID_CHARS + " characters", null);
            return;
        }
        Object textValue = frame.getValue("text");
        if (!(textValue instanceof String text) || text.isBlank()) {
            error(ErrorCode.EMPTY_TEXT, "a message needs a non-empty 'text'", replyTo);
            return;
        }
        int chars = text.codePointCount(0, text.length());
        if (chars > services.config().maxTextChars()) {
            error(ErrorCode.TEXT_TOO_LONG, "text has " + chars + " characters; the limit is "
                    + services.config().maxTextChars(), replyTo);
            return;
        }
        String id = replyTo != null ? replyTo : "s-" + (++serverIds);
        if (queuedIds.contains(id)) {
            return; // the same message is already waiting; its reply answers both
        }
        if (queue.size() >= services.config().maxPendingPerConnection()) {
            error(ErrorCode.TOO_MANY_PENDING, "too many messages waiting for replies; wait for them first", replyTo);
            return;
        }
        queue.add(new Pending(id, text.strip(), System.nanoTime()));
        queuedIds.add(id);
        pump();
    }

    /** Applies the per-connection rate limit to every inbound frame; answers the refused ones. */
    private boolean admit(String replyTo) {
        if (limiter.tryAcquire()) {
            return true;
        }
        services.metrics().error(ErrorCode.RATE_LIMITED);
        send(new JsonObject().put("type", "error").put("code", ErrorCode.RATE_LIMITED.code())
                .put("message", "too many messages; slow down").put("replyTo", replyTo)
                .put("retryAfterMs", limiter.millisUntilNext()));
        return false;
    }

    private void pump() {
        if (busy || conversation == null || queue.isEmpty()) {
            return;
        }
        busy = true;
        Pending p = queue.poll();
        handle(p).onComplete(ar -> {
            queuedIds.remove(p.id());
            busy = false;
            if (ar.failed()) {
                log.warn("message handling failed", ar.cause());
                error(ErrorCode.INTERNAL, "something went wrong on our side; send the message again", p.id());
            }
            pump();
        });
    }

    private Future<Void> handle(Pending p) {
        JsonObject earlier = conversation.answerTo(p.id());
        if (earlier != null) {
            send(earlier.copy().put("duplicate", true));
            return Future.succeededFuture();
        }
        KnowledgeBase knowledge = services.knowledge();
        return Future.fromCompletionStage(knowledge.understand(store.merchantId(), p.text()), context)
                .compose(u -> converse(p, u), failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RejectedExecutionException
                            || cause instanceof NluException n && n.code() == NluException.Code.OVERLOADED) {
                        error(ErrorCode.OVERLOADED, "we are very busy right now; please retry in a moment", p.id());
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(cause);
                });
    }

    /**
     * Runs the dialogue for one understood message: the engine decides on this event loop; when a flow
     * needs the merchant's systems the action runs (a webhook, or the demo backend at once) and the
     * engine continues with its result, all before the next message of this connection is taken.
     */
    private Future<Void> converse(Pending p, Understanding u) {
        DialogueEngine engine = services.dialogue();
        if (conversation.language() != null && !conversation.language().equals(u.lang()) && u.languageNeutral()) {
            u = u.inLanguage(conversation.language()); // "DX1001" answers in the language of the conversation
        }
        io.nectar.gateway.dialogue.Turn turn = engine.begin(store, conversation.dialogue(), u, conversation.id());
        return drive(engine, turn).compose(v -> reply(p, turn));
    }

    private Future<Void> drive(DialogueEngine engine, io.nectar.gateway.dialogue.Turn turn) {
        if (turn.pending() == null) {
            return Future.succeededFuture();
        }
        if (turn.actionsRunCount() >= DialogueEngine.MAX_ACTIONS_PER_MESSAGE) {
            engine.abandon(turn);
            return Future.succeededFuture();
        }
        long t0 = System.nanoTime();
        String kind = store.flows().actions().containsKey(turn.pending().action())
                ? store.flows().actions().get(turn.pending().action()).type() : "none";
        return services.actions().run(store, turn.pending()).compose(result -> {
            services.metrics().action(kind, result.status().name().toLowerCase(java.util.Locale.ROOT), System.nanoTime() - t0);
            engine.resume(turn, result);
            return drive(engine, turn);
        });
    }

    private Future<Void> reply(Pending p, io.nectar.gateway.dialogue.Turn t) {
        long now = System.currentTimeMillis();
        String text = t.text();
        JsonObject reply = new JsonObject()
                .put("type", "reply")
                .put("replyTo", p.id())
                .put("text", text)
                .put("intent", t.intent())
                .put("confidence", Math.round(t.confidence() * 1000) / 1000.0)
                .put("source", t.source())
                .put("language", t.lang())
                .put("at", now);
        if (t.ref() != null) {
            reply.put("ref", t.ref());
        }
        if (!t.suggestions().isEmpty()) {
            reply.put("suggestions", new JsonArray(t.suggestions()));
        }
        if (t.handoffOffered()) {
            reply.put("handoffOffered", true);
        }
        JsonObject flow = t.flow();
        if (flow != null) {
            reply.put("flow", flow);
        }
        JsonArray quickReplies = QuickReplies.of(store, t.lang(), flow, t.suggestions(), t.handoffOffered());
        if (!quickReplies.isEmpty()) {
            reply.put("quickReplies", quickReplies);
        }
        JsonArray cards = ReplyCards.of(store, t.source(), t.ref(), t.lang());
        if (!cards.isEmpty()) {
            reply.put("cards", cards);
        }
        JsonArray entities = new JsonArray();
        for (Entity e : t.understanding().extraction().entities()) {
            JsonObject j = new JsonObject().put("type", e.type().code()).put("value", e.value()).put("text", e.text())
                    .put("start", e.start()).put("end", e.end());
            e.attributes().forEach(j::put);
            if (!e.flags().isEmpty()) {
                j.put("flags", new JsonArray(e.flags().stream().map(f -> f.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList()));
            }
            entities.add(j);
        }
        if (!entities.isEmpty()) {
            reply.put("entities", entities);
        }
        if (t.handoffReason() != null) {
            reply.put("handoff", new JsonObject().put("reason", t.handoffReason()).put("status", "pending"));
        }
        conversation.dialogue(t.state());
        conversation.language(t.lang());
        conversation.addTurn(new Turn("shopper", p.text(), now, p.id(), null, null));
        conversation.addTurn(new Turn("bot", text, now, p.id(), t.intent(), t.source()));
        conversation.rememberAnswer(p.id(), reply);
        if (t.handoffReason() != null) {
            services.metrics().handoff(t.handoffReason());
            services.handoffs().open(store.merchantId(), conversation.id(), t.handoffReason(), t.lang(),
                    conversation.transcript(), t.state().toJson());
        } else if (t.state().handedOff()) {
            services.handoffs().update(store.merchantId(), conversation.id(), conversation.transcript(), t.state().toJson());
        }
        send(reply);
        services.metrics().replyLatency(t.source(), System.nanoTime() - p.arrivedNanos());
        return services.sessions().put(conversation).recover(x -> {
            log.warn("session store put failed for conversation {}: {}", conversation.id(), x.toString());
            return Future.succeededFuture();
        });
    }

    private void error(ErrorCode code, String message, String replyTo) {
        services.metrics().error(code);
        JsonObject e = new JsonObject().put("type", "error").put("code", code.code()).put("message", message);
        if (replyTo != null) {
            e.put("replyTo", replyTo);
        }
        send(e);
    }

    private void fatal(ErrorCode code, String message, short closeCode) {
        error(code, message, null);
        closed = true;
        ws.close(closeCode, code.code());
    }

    private void send(JsonObject frame) {
        if (ws.isClosed()) {
            return;
        }
        services.metrics().messageOut(frame.getString("type"));
        ws.writeTextMessage(frame.encode());
        if (ws.writeQueueFull()) {
            // the shopper is not reading: stop reading from them until what we wrote has drained
            ws.pause();
            ws.drainHandler(v -> ws.resume());
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> v = params.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
