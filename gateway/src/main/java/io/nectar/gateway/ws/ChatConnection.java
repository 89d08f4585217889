package io.nectar.gateway.ws;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.chat.ChatSession;
import io.nectar.gateway.chat.MessagePipeline;
import io.nectar.gateway.chat.Welcome;
import io.nectar.gateway.conversations.Claim;
import io.nectar.gateway.conversations.ConversationStore;
import io.nectar.gateway.error.ErrorCode;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.shoppers.ShopperTokens;
import io.nectar.gateway.store.Store;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One shopper's WebSocket: parses frames, answers bad input with error frames, and hands messages to
 * the {@link MessagePipeline} strictly one after another in arrival order. At open it claims the
 * conversation (new, or resumed with {@code ?conversation=ID&lastSeq=N}: the welcome frame then carries
 * what the client missed). Everything here runs on the connection's event loop.
 */
public final class ChatConnection {

    private static final Logger log = LoggerFactory.getLogger(ChatConnection.class);
    /** A connection closed within this time of opening, without a message from its client, gives its claim back. */
    private static final long ABANDONED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    static final int MAX_ID_CHARS = 128;
    /** Close code after a {@code reconnect} frame: this node is going away; resume on another. */
    public static final short CLOSE_DRAINING = 1012;
    /** Close code after a {@code moved} frame: the conversation was opened on another connection. */
    public static final short CLOSE_MOVED = 4001;
    /** Most missed messages a welcome frame carries. */
    static final int MAX_MISSED = 200;

    private final ChatSocket ws;
    private final GatewayServices services;
    private final Context context;
    private final RateLimiter limiter;
    private final MessagePipeline pipeline;
    private final ArrayDeque<MessagePipeline.Inbound> queue = new ArrayDeque<>();
    private final Set<String> queuedIds = new HashSet<>();
    private Store store;
    private String requestedLanguage;
    private String shopperProblem;
    private ChatSession session;
    private boolean busy;
    /** Whether the client sent a message on this connection. */
    private boolean used;
    private long openedAt;
    private boolean closed;
    private boolean draining;
    private Promise<Void> drained;
    private long serverIds;

    ChatConnection(ChatSocket ws, GatewayServices services) {
        this.ws = ws;
        this.services = services;
        this.context = Vertx.currentContext();
        this.limiter = new RateLimiter(services.config().messagesPerSecond(), services.config().messageBurst());
        this.pipeline = services.pipeline();
    }

    void start(ChatSocket.Opening opening) {
        services.metrics().connectionOpened();
        services.connections().opened(this);
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
        ws.listener(new ChatSocket.Listener() {
            @Override
            public void frame(io.netty.handler.codec.http.websocketx.WebSocketFrame frame) {
                frames.frame(frame);
            }

            @Override
            public void closed() {
                onClose();
            }
        });

        KnowledgeBase knowledge = services.knowledge();
        if (knowledge == null) {
            fatal(ErrorCode.NOT_READY, "the gateway is still loading; retry in a few seconds", (short) 1013);
            return;
        }
        Map<String, List<String>> params = new QueryStringDecoder(opening.uri()).parameters();
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
        String origin = opening.origin();
        if (!store.storefront().allowsOrigin(origin, opening.host())) {
            fatal(ErrorCode.ORIGIN_NOT_ALLOWED, "this store's chat is not enabled on " + truncate(String.valueOf(origin), 100),
                    (short) 1008);
            return;
        }
        requestedLanguage = first(params, "lang");
        String resumeId = first(params, "conversation");
        if (resumeId != null && (resumeId.isBlank() || resumeId.length() > MAX_ID_CHARS)) {
            resumeId = null;
        }
        Long lastSeq = seqParam(first(params, "lastSeq"));
        String shopperId = null;
        String token = first(params, "shopper");
        if (token != null && !token.isBlank()) {
            ShopperTokens.Verdict v = ShopperTokens.verify(store.selling().shopperTokenSecret(), store.merchantId(), token.strip(),
                    services.clock().millis());
            shopperId = v.shopperId();
            shopperProblem = v.problem();
        }
        services.conversations().claim(resumeId, store.merchantId(), shopperId)
                .compose(claim -> missed(claim, lastSeq).map(missed -> {
                    opened(claim, missed);
                    return claim;
                }))
                .onFailure(t -> {
                    log.warn("conversation store unreachable at connect: {}", t.toString());
                    fatal(ErrorCode.UNAVAILABLE, "we cannot open your conversation just now; retrying shortly", (short) 1013);
                });
    }

    private void opened(Claim claim, List<JsonObject> missed) {
        openedAt = System.nanoTime();
        log.debug("conversation {} claimed with epoch {} for {}", claim.conversationId(), claim.epoch(), ws.remoteAddress());
        session = new ChatSession(claim, services.config().cluster().windowMessages());
        if (closed) {
            services.conversations().unclaim(claim); // closed while claiming: the connection that replaced it keeps it
            return;
        }
        services.connections().holds(claim.conversationId(), this);
        send(Welcome.frame(session, store, services.config(), missed, requestedLanguage));
        if (shopperProblem != null) {
            error(ErrorCode.BAD_SHOPPER_TOKEN, shopperProblem + "; this chat goes on without knowing the shopper", null);
        }
        if (claim.shopperId() != null) {
            services.reminders().visited(store.merchantId(), claim.shopperId(), claim.conversationId());
        }
        pump();
    }

    /**
     * What a resuming client missed: the frames after its {@code lastSeq}, from the claimed window, and
     * from PostgreSQL when the window no longer reaches back that far.
     */
    private Future<List<JsonObject>> missed(Claim claim, Long lastSeq) {
        if (lastSeq == null || !claim.resumed()) {
            return Future.succeededFuture(lastSeq == null ? null : List.of());
        }
        List<JsonObject> fromWindow = new ArrayList<>();
        for (JsonObject f : claim.window()) {
            if (f.getLong("seq", 0L) > lastSeq) {
                fromWindow.add(f);
            }
        }
        if (lastSeq + 1 >= claim.windowStart() || services.transcripts() == null) {
            return Future.succeededFuture(tail(fromWindow));
        }
        return services.transcripts().framesAfter(claim.merchantId(), claim.conversationId(), lastSeq, MAX_MISSED)
                .map(older -> {
                    List<JsonObject> all = new ArrayList<>();
                    for (JsonObject f : older) {
                        if (f.getLong("seq", 0L) < claim.windowStart()) {
                            all.add(f);
                        }
                    }
                    all.addAll(fromWindow);
                    return tail(all);
                })
                .recover(t -> {
                    log.warn("older messages of {} unavailable: {}", claim.conversationId(), t.toString());
                    return Future.succeededFuture(tail(fromWindow));
                });
    }

    private static List<JsonObject> tail(List<JsonObject> frames) {
        return frames.size() <= MAX_MISSED ? frames : frames.subList(frames.size() - MAX_MISSED, frames.size());
    }

    private static Long seqParam(String v) {
        if (v == null || v.isBlank() || v.length() > 18) {
            return null;
        }
        try {
            long n = Long.parseLong(v.strip());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
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
        if (type instanceof String && ClientEvents.TYPES.contains(type)) {
            if (session == null) {
                error(ErrorCode.BAD_EVENT, "the conversation is not open yet", replyTo);
                return;
            }
            ClientEvents.handle(services, store, session, frame).onComplete(ar -> {
                JsonObject answer = ar.succeeded() ? ar.result() : null;
                if (answer == null) {
                    error(ErrorCode.INTERNAL, "the event could not be recorded; send it again", replyTo);
                } else if ("error".equals(answer.getString("type"))) {
                    error(ErrorCode.BAD_EVENT, answer.getString("message"), replyTo);
                } else {
                    send(answer);
                }
            });
            return;
        }
        if (!"message".equals(type)) {
            error(ErrorCode.UNKNOWN_TYPE, type == null ? "frame has no 'type'"
                    : "unknown type '" + truncate(String.valueOf(type), 32) + "'; expected 'message', 'rate', 'offer' or 'ping'",
                    replyTo);
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
        used = true;
        queue.add(new MessagePipeline.Inbound(id, text.strip(), System.nanoTime()));
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
        if (busy || session == null || closed) {
            return;
        }
        if (draining) {
            reconnectElsewhere();
            return;
        }
        if (queue.isEmpty()) {
            return;
        }
        MessagePipeline.Inbound m = nextFresh();
        if (m == null) {
            return;
        }
        busy = true;
        Store current = services.knowledge().store(store.merchantId());
        if (current != null) {
            store = current; // knowledge edits (merchant API) reach conversations already open
        }
        pipeline.handle(session, store, m, context).onComplete(ar -> {
            queuedIds.remove(m.id());
            busy = false;
            if (ar.failed()) {
                log.warn("message handling failed", ar.cause());
                error(ErrorCode.INTERNAL, "something went wrong on our side; send the message again", m.id());
            } else {
                MessagePipeline.Outcome o = ar.result();
                if (o instanceof MessagePipeline.Reply r) {
                    send(r.frame());
                } else if (o instanceof MessagePipeline.Forwarded f) {
                    send(f.frame());
                } else if (o instanceof MessagePipeline.Refused r) {
                    error(r.code(), r.message(), m.id());
                } else {
                    takenOver();
                }
            }
            pump();
        });
    }

    /**
     * The next queued message that has not waited past {@code --max-queue-wait-ms}; the stale ones before it
     * are answered {@code overloaded} unread (the widget sends them again after a pause). Under overload a
     * connection's queue grows faster than it drains: reading a message its shopper stopped waiting for
     * spends an encoder run on nobody, and delays every message behind it (decision 106).
     */
    private MessagePipeline.Inbound nextFresh() {
        long now = System.nanoTime();
        long limit = services.config().maxQueueWaitMillis() * 1_000_000L;
        MessagePipeline.Inbound m;
        while ((m = queue.poll()) != null && now - m.arrivedNanos() > limit) {
            queuedIds.remove(m.id());
            services.metrics().messageShed();
            error(ErrorCode.OVERLOADED, "we are very busy right now; please send that again in a moment", m.id());
        }
        return m;
    }

    /**
     * A frame appended on some node for this conversation (an agent's message, an ownership change): sent
     * unless already sent. A dialogue state riding along (a flow an agent started) goes to the session only.
     */
    void deliver(long epoch, JsonObject frame) {
        if (session == null || closed || epoch != session.epoch()) {
            return;
        }
        JsonObject dialogue = null;
        if (frame.containsKey(ConversationStore.DIALOGUE_FIELD)) {
            frame = frame.copy();
            dialogue = (JsonObject) frame.remove(ConversationStore.DIALOGUE_FIELD);
        }
        if (session.delivered(frame, dialogue)) {
            send(frame);
        }
    }

    /** Another connection claimed this conversation: this one steps aside and does not reconnect by itself. */
    void takenOver() {
        if (closed) {
            return;
        }
        send(new JsonObject().put("type", "moved").put("reason", "opened_elsewhere")
                .put("message", "this conversation continues in another window"));
        closed = true;
        ws.close(CLOSE_MOVED, "opened_elsewhere");
    }

    /**
     * This node is going away: once the message in progress is answered, the client is told to reconnect
     * (it resumes on another node) and the socket is closed. Completes when it is closed.
     */
    Future<Void> drain() {
        if (drained == null) {
            drained = Promise.promise();
            draining = true;
            if (closed) {
                drained.tryComplete();
            } else if (!busy) {
                reconnectElsewhere();
            }
        }
        return drained.future();
    }

    private void reconnectElsewhere() {
        if (!closed) {
            send(new JsonObject().put("type", "reconnect").put("reason", "draining")
                    .put("retryAfterMs", 100 + (int) (Math.random() * 900)));
            closed = true;
            ws.close(CLOSE_DRAINING, "draining");
        }
        if (drained != null) {
            drained.tryComplete();
        }
    }

    void runOnLoop(Runnable r) {
        context.runOnContext(v -> r.run());
    }

    private void onClose() {
        closed = true;
        services.metrics().connectionClosed();
        services.connections().closed(this, session == null ? null : session.conversationId());
        if (session != null) {
            // closed moments after it opened, never used: most likely a connection its client had already given
            // up on and replaced, so its claim is taken back rather than left to move the replacement aside
            boolean abandoned = !used && System.nanoTime() - openedAt < ABANDONED_NANOS;
            (abandoned ? services.conversations().unclaim(session.claim()) : services.conversations().release(session.claim()))
                    .onFailure(t -> log.debug("release of {} failed: {}", session.conversationId(), t.toString()));
        }
        if (drained != null) {
            drained.tryComplete();
        }
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
        ws.writeJson(frame);
        if (ws.writeQueueFull()) {
            ws.pauseUntilDrained(); // the shopper is not reading: stop reading from them until what we wrote has drained
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
