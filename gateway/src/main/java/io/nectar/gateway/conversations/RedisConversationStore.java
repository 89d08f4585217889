package io.nectar.gateway.conversations;

import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.redis.LuaScript;
import io.nectar.gateway.transcript.LoggedMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Conversations in Redis, shared by every node (see {@link ConversationStore} for the contract). Each
 * claim, commit, append and release is one Lua script, one round trip, on the conversation's hash slot
 * ({@link ConversationKeys}); every call has a timeout. Frames appended for a conversation held on
 * another node reach it through that node's pub/sub channel ({@link NodeChannel}).
 */
public final class RedisConversationStore implements ConversationStore {

    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript COMMIT = LuaScript.load("commit");
    private static final LuaScript APPEND = LuaScript.load("append");
    private static final LuaScript RELEASE = LuaScript.load("release");
    private static final LuaScript UNCLAIM = LuaScript.load("unclaim");
    private static final LuaScript OWNER = LuaScript.load("owner");
    private static final LuaScript PEEK = LuaScript.load("peek");

    private final Redis redis;
    private final ConversationKeys keys;
    private final String nodeId;
    private final long ttlSeconds;
    private final int windowMessages;
    private final int answeredIds;
    private final long timeoutMillis;
    private final NodeChannel channel;
    private final LongSupplier clock;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder held = new LongAdder();

    public RedisConversationStore(Redis redis, ConversationKeys keys, String nodeId, Duration timeToLive, int windowMessages,
                                  Duration timeout, NodeChannel channel) {
        this(redis, keys, nodeId, timeToLive, windowMessages, timeout, channel, System::currentTimeMillis);
    }

    RedisConversationStore(Redis redis, ConversationKeys keys, String nodeId, Duration timeToLive, int windowMessages,
                           Duration timeout, NodeChannel channel, LongSupplier clock) {
        this.redis = redis;
        this.keys = keys;
        this.nodeId = nodeId;
        this.ttlSeconds = Math.max(1, timeToLive.toSeconds());
        this.windowMessages = windowMessages;
        this.answeredIds = Math.max(16, windowMessages);
        this.timeoutMillis = timeout.toMillis();
        this.channel = channel;
        this.clock = clock;
    }

    /** Redis round trips made so far (for the one-round-trip-per-message figure). */
    public long roundTrips() {
        return roundTrips.sum();
    }

    @Override
    public Future<Claim> claim(String conversationId, String merchantId, String shopperId) {
        Future<Claim> claimed = conversationId == null ? create(merchantId, shopperId)
                : claimScript(conversationId, merchantId, shopperId, false)
                .compose(c -> c != null ? Future.succeededFuture(c) : create(merchantId, shopperId));
        if (shopperId == null) {
            return claimed;
        }
        // the shopper's latest conversation, for reminders (another hash slot: a command of its own)
        return claimed.compose(c -> {
            roundTrips.increment();
            return redis.send(Request.cmd(Command.SET).arg(keys.prefix() + "shopper:{" + merchantId + ":" + shopperId + "}")
                            .arg(c.conversationId()).arg("EX").arg(ttlSeconds))
                    .timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(c);
        });
    }

    @Override
    public Future<String> conversationOf(String merchantId, String shopperId) {
        roundTrips.increment();
        return redis.send(Request.cmd(Command.GET).arg(keys.prefix() + "shopper:{" + merchantId + ":" + shopperId + "}"))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS).map(r -> r == null ? null : r.toString());
    }

    private Future<Claim> create(String merchantId, String shopperId) {
        String id = UUID.randomUUID().toString();
        return claimScript(id, merchantId, shopperId, true).compose(c -> c != null ? Future.succeededFuture(c)
                : Future.failedFuture(new IllegalStateException("a new conversation could not be created")));
    }

    private Future<Claim> claimScript(String id, String merchantId, String shopperId, boolean create) {
        long now = clock.getAsLong();
        roundTrips.increment();
        return CLAIM.run(redis, List.of(keys.state(id), keys.window(id), keys.answered(id)),
                List.of(merchantId, nodeId, Long.toString(now), Long.toString(ttlSeconds), create ? "1" : "0",
                        shopperId == null ? "" : shopperId), timeoutMillis)
                .map(r -> {
                    if (!"OK".equals(r.get(0).toString())) {
                        return null; // NONE or FOREIGN: not this merchant's conversation
                    }
                    long epoch = r.get(1).toLong();
                    Map<String, String> state = new HashMap<>();
                    Response fields = r.get(2);
                    for (int i = 0; i + 1 < fields.size(); i += 2) {
                        state.put(fields.get(i).toString(), fields.get(i + 1).toString());
                    }
                    List<JsonObject> window = new ArrayList<>();
                    for (Response w : r.get(3)) {
                        window.add(new JsonObject(w.toString()));
                    }
                    Map<String, Long> answered = new HashMap<>();
                    Response a = r.get(4);
                    for (int i = 0; i + 1 < a.size(); i += 2) {
                        answered.put(a.get(i).toString(), (long) Double.parseDouble(a.get(i + 1).toString()));
                    }
                    String d = state.get("d");
                    held.increment();
                    return new Claim(id, merchantId, epoch, Long.parseLong(state.getOrDefault("s", "0")), !create,
                            Long.parseLong(state.getOrDefault("ca", Long.toString(now))), state.get("l"),
                            d == null ? new DialogueState() : DialogueState.fromJson(new JsonObject(d)), window, answered,
                            state.get("sh"), state.get("own"));
                });
    }

    @Override
    public Future<Committed> commit(Claim claim, TurnWrite turn) {
        String id = claim.conversationId();
        roundTrips.increment();
        return COMMIT.run(redis, List.of(keys.state(id), keys.window(id), keys.answered(id), keys.log(id)), List.of(
                        Long.toString(claim.epoch()), turn.messageId() == null ? "" : turn.messageId(),
                        turn.shopperFrame().encode(), turn.shopper().toJson().encode(),
                        turn.hasReply() ? turn.replyFrame().encode() : "", turn.hasReply() ? turn.reply().toJson().encode() : "",
                        turn.hasReply() ? turn.dialogue().encode() : "", turn.language() == null ? "" : turn.language(),
                        Long.toString(clock.getAsLong()), Long.toString(ttlSeconds), Integer.toString(windowMessages),
                        Integer.toString(answeredIds), claim.merchantId(), Long.toString(claim.seq()),
                        Long.toString(claim.createdAt())), timeoutMillis)
                .compose(r -> switch (r.get(0).toString()) {
                    case "OK" -> {
                        long s = r.get(1).toLong();
                        yield Future.succeededFuture(new Committed(s - 1, s, null, null));
                    }
                    case "DUP" -> Future.succeededFuture(Committed.duplicate((long) Double.parseDouble(r.get(1).toString())));
                    case "HELD" -> Future.succeededFuture(Committed.held(r.get(1).toLong(), r.get(2).toString()));
                    case "UNHELD" -> Future.succeededFuture(Committed.UNHELD);
                    default -> Future.failedFuture(new StaleClaimException(id, claim.epoch(), r.get(1).toString()));
                });
    }

    @Override
    public Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String dedupeId,
                                     String requiredOwner, JsonObject dialogue) {
        roundTrips.increment();
        JsonObject frame = message.frame().copy();
        frame.remove("seq");
        return APPEND.run(redis, List.of(keys.state(conversationId), keys.window(conversationId), keys.log(conversationId),
                                keys.answered(conversationId)),
                        List.of(merchantId, frame.encode(), message.toJson().encode(), Long.toString(clock.getAsLong()),
                                Long.toString(ttlSeconds), Integer.toString(windowMessages), dedupeId == null ? "" : dedupeId,
                                Integer.toString(answeredIds), requiredOwner == null ? "" : requiredOwner,
                                dialogue == null ? "" : dialogue.encode()), timeoutMillis)
                .compose(r -> {
                    String status = r.get(0).toString();
                    if ("NOT_OWNER".equals(status)) {
                        return Future.failedFuture(new NotOwnerException(r.get(1).toString()));
                    }
                    if ("DUP".equals(status)) {
                        return Future.succeededFuture(new JsonObject().put("seq", (long) Double.parseDouble(r.get(1).toString()))
                                .put("duplicate", true));
                    }
                    if (!"OK".equals(status)) {
                        return Future.succeededFuture(null);
                    }
                    long seq = r.get(1).toLong();
                    String owner = r.get(2).toString();
                    long epoch = Long.parseLong(r.get(3).toString());
                    JsonObject stored = new JsonObject().put("seq", seq).mergeIn(frame);
                    if (owner.isEmpty()) {
                        return Future.succeededFuture(stored); // nobody holds it: it waits in the window
                    }
                    JsonObject delivered = dialogue == null ? stored : stored.copy().put(DIALOGUE_FIELD, dialogue);
                    return channel.publish(owner, conversationId, epoch, delivered).map(stored);
                });
    }

    @Override
    public Future<OwnerChange> changeOwner(String merchantId, String conversationId, OwnerRequest request) {
        roundTrips.increment();
        List<String> args = new ArrayList<>(List.of(merchantId, request.action().code(), request.agent(),
                Long.toString(clock.getAsLong()), Long.toString(ttlSeconds), Integer.toString(windowMessages)));
        request.messages().forEach((lang, m) -> {
            JsonObject frame = m.frame().copy();
            frame.remove("seq");
            args.add(lang);
            args.add(frame.encode());
            args.add(m.toJson().encode());
        });
        return OWNER.run(redis, List.of(keys.state(conversationId), keys.window(conversationId), keys.log(conversationId)), args,
                        timeoutMillis)
                .compose(r -> {
                    String status = r.get(0).toString();
                    switch (status) {
                        case "NONE":
                            return Future.succeededFuture(OwnerChange.none());
                        case "SAME":
                            return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.SAME, r.get(1).toString()));
                        case "TAKEN":
                            return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.TAKEN, r.get(1).toString()));
                        case "NOT_OWNER":
                            return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.NOT_OWNER, r.get(1).toString()));
                        default:
                            break;
                    }
                    long seq = r.get(1).toLong();
                    String language = r.get(6).toString();
                    JsonObject frame = request.message(language).frame().copy();
                    frame.remove("seq");
                    JsonObject stored = new JsonObject().put("seq", seq).mergeIn(frame);
                    OwnerChange change = new OwnerChange(OwnerChange.Status.CHANGED, Owner.of(r.get(2).toString()),
                            Owner.of(r.get(3).toString()), stored, language);
                    String node = r.get(4).toString();
                    if (node.isEmpty()) {
                        return Future.succeededFuture(change);
                    }
                    return channel.publish(node, conversationId, Long.parseLong(r.get(5).toString()), stored)
                            .map(change).recover(t -> Future.succeededFuture(change)); // the shopper catches up on resume
                });
    }

    @Override
    public Future<Peek> peek(String merchantId, String conversationId) {
        roundTrips.increment();
        return PEEK.run(redis, List.of(keys.state(conversationId), keys.window(conversationId)), List.of(), timeoutMillis).map(r -> {
            if (!"OK".equals(r.get(0).toString())) {
                return null;
            }
            Map<String, String> state = new HashMap<>();
            Response fields = r.get(1);
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                state.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            if (!merchantId.equals(state.get("m"))) {
                return null; // another merchant's conversation is nobody's business here
            }
            List<JsonObject> window = new ArrayList<>();
            for (Response w : r.get(2)) {
                window.add(new JsonObject(w.toString()));
            }
            String d = state.get("d");
            return new Peek(conversationId, merchantId, state.get("own"), state.get("l"),
                    d == null ? new DialogueState() : DialogueState.fromJson(new JsonObject(d)), window,
                    Long.parseLong(state.getOrDefault("s", "0")), Long.parseLong(state.getOrDefault("ua", "0")));
        });
    }

    @Override
    public Future<Void> release(Claim claim) {
        held.decrement();
        roundTrips.increment();
        return RELEASE.run(redis, List.of(keys.state(claim.conversationId())), List.of(Long.toString(claim.epoch())), timeoutMillis)
                .mapEmpty();
    }

    @Override
    public Future<Void> unclaim(Claim claim) {
        held.decrement();
        roundTrips.increment();
        return UNCLAIM.run(redis, List.of(keys.state(claim.conversationId())), List.of(Long.toString(claim.epoch())), timeoutMillis)
                .mapEmpty();
    }

    /** The frames of a conversation's window with a seq above {@code afterSeq} (to catch up after a lost subscription). */
    public Future<List<JsonObject>> framesAfter(String conversationId, long afterSeq) {
        roundTrips.increment();
        return redis.send(Request.cmd(Command.LRANGE).arg(keys.window(conversationId)).arg(0).arg(-1))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .map(r -> {
                    List<JsonObject> out = new ArrayList<>();
                    for (Response w : r) {
                        JsonObject f = new JsonObject(w.toString());
                        if (f.getLong("seq", 0L) > afterSeq) {
                            out.add(f);
                        }
                    }
                    return out;
                });
    }

    @Override
    public void deliveries(DeliveryHandler handler) {
        channel.handler(handler);
    }

    @Override
    public long size() {
        return held.sum();
    }

    @Override
    public Future<Void> close() {
        return channel.close();
    }
}
