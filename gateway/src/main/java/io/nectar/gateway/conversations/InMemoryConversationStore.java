package io.nectar.gateway.conversations;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Conversations in this node's memory (the embedded default): bounded in count and expiring after a
 * period without activity (Caffeine does both), with the same claim/commit/sequence rules as the Redis
 * store so the connection code is one. Committed messages go to a {@link TranscriptSink} at once (in
 * embedded mode, the node's handoff desk). Any thread; futures complete immediately.
 */
public final class InMemoryConversationStore implements ConversationStore {

    private static final class Record {
        final String merchantId;
        final long createdAt;
        long epoch;
        long seq;
        long updatedAt;
        String language;
        String dialogue;
        String shopperId;
        String owner = Owner.BOT;
        final ArrayDeque<String> window = new ArrayDeque<>();
        final LinkedHashMap<String, Long> answered = new LinkedHashMap<>();

        Record(String merchantId, long now) {
            this.merchantId = merchantId;
            this.createdAt = now;
            this.updatedAt = now;
        }
    }

    private final Cache<String, Record> records;
    private final int windowMessages;
    private final int answeredIds;
    private final TranscriptSink sink;
    private final LongSupplier clock;
    private volatile DeliveryHandler deliveries = (c, e, f) -> { };
    /** merchant + shopper → the shopper's latest conversation. */
    private final Cache<String, String> shoppers;

    public InMemoryConversationStore(long maxConversations, Duration timeToLive, int windowMessages, TranscriptSink sink) {
        this(maxConversations, timeToLive, windowMessages, sink, System::currentTimeMillis);
    }

    InMemoryConversationStore(long maxConversations, Duration timeToLive, int windowMessages, TranscriptSink sink,
                              LongSupplier clock) {
        this.records = Caffeine.newBuilder().maximumSize(maxConversations).expireAfterAccess(timeToLive)
                .executor(Runnable::run).build();
        this.windowMessages = windowMessages;
        this.answeredIds = Math.max(16, windowMessages);
        this.sink = sink;
        this.clock = clock;
        this.shoppers = Caffeine.newBuilder().maximumSize(maxConversations).expireAfterWrite(timeToLive)
                .executor(Runnable::run).build();
    }

    @Override
    public Future<Claim> claim(String conversationId, String merchantId, String shopperId) {
        long now = clock.getAsLong();
        Record r = conversationId == null ? null : records.getIfPresent(conversationId);
        boolean resumed = r != null && r.merchantId.equals(merchantId)
                && (shopperId == null || r.shopperId == null || r.shopperId.equals(shopperId));
        String id = resumed ? conversationId : UUID.randomUUID().toString();
        if (!resumed) {
            r = new Record(merchantId, now);
            records.put(id, r);
        }
        if (shopperId != null) {
            shoppers.put(merchantId + "\u0000" + shopperId, id);
        }
        synchronized (r) {
            if (shopperId != null) {
                r.shopperId = shopperId;
            }
            r.epoch++;
            List<JsonObject> window = new ArrayList<>();
            r.window.forEach(s -> window.add(new JsonObject(s)));
            DialogueState dialogue = r.dialogue == null ? new DialogueState() : DialogueState.fromJson(new JsonObject(r.dialogue));
            return Future.succeededFuture(new Claim(id, merchantId, r.epoch, r.seq, resumed, r.createdAt, r.language,
                    dialogue, window, Map.copyOf(r.answered), r.shopperId, r.owner));
        }
    }

    @Override
    public Future<Committed> commit(Claim claim, TurnWrite turn) {
        Record r = records.getIfPresent(claim.conversationId());
        if (r == null) {
            // expired while the connection stayed open: the holder of the claim brings it back
            r = new Record(claim.merchantId(), claim.createdAt());
            r.epoch = claim.epoch();
            r.seq = claim.seq();
            records.put(claim.conversationId(), r);
        }
        LoggedMessage shopper;
        LoggedMessage reply;
        synchronized (r) {
            if (r.epoch != claim.epoch()) {
                return Future.failedFuture(new StaleClaimException(claim.conversationId(), claim.epoch(), Long.toString(r.epoch)));
            }
            if (turn.messageId() != null) {
                Long earlier = r.answered.get(turn.messageId());
                if (earlier != null) {
                    return Future.succeededFuture(Committed.duplicate(earlier));
                }
            }
            boolean held = Owner.isAgent(r.owner);
            if (!held && !turn.hasReply()) {
                return Future.succeededFuture(Committed.UNHELD);
            }
            if (held) {
                // an agent owns the conversation: the bot does not answer; the message is kept for the agent
                long s1 = ++r.seq;
                push(r, turn.shopperFrame().copy().put("seq", s1));
                if (turn.messageId() != null) {
                    r.answered.put(turn.messageId(), s1);
                    trim(r.answered, answeredIds);
                }
                r.updatedAt = clock.getAsLong();
                shopper = withSeq(turn.shopper(), s1);
                String owner = r.owner;
                sink.write(List.of(shopper));
                return Future.succeededFuture(Committed.held(s1, owner));
            }
            if (Owner.CLOSED.equals(r.owner)) {
                r.owner = Owner.BOT; // the shopper wrote again after an agent closed it: the bot carries on
            }
            long s1 = ++r.seq;
            long s2 = ++r.seq;
            // one copy of each frame, stamped with its seq: the window keeps it encoded, the log record shares it
            JsonObject shopperFrame = turn.shopperFrame().copy().put("seq", s1);
            JsonObject replyFrame = turn.replyFrame().copy().put("seq", s2);
            push(r, shopperFrame);
            push(r, replyFrame);
            if (turn.messageId() != null) {
                r.answered.put(turn.messageId(), s2);
                trim(r.answered, answeredIds);
            }
            r.dialogue = turn.dialogue().encode();
            r.language = turn.language();
            r.updatedAt = clock.getAsLong();
            shopper = withSeq(turn.shopper(), s1, shopperFrame);
            reply = withSeq(turn.reply(), s2, replyFrame);
        }
        sink.write(List.of(shopper, reply));
        return Future.succeededFuture(new Committed(shopper.seq(), reply.seq(), null, null));
    }

    @Override
    public Future<String> conversationOf(String merchantId, String shopperId) {
        return Future.succeededFuture(shoppers.getIfPresent(merchantId + "\u0000" + shopperId));
    }

    @Override
    public Future<JsonObject> append(String merchantId, String conversationId, LoggedMessage message, String dedupeId,
                                     String requiredOwner, JsonObject dialogue) {
        Record r = records.getIfPresent(conversationId);
        if (r == null || !r.merchantId.equals(merchantId)) {
            return Future.succeededFuture(null);
        }
        JsonObject frame;
        long epoch;
        LoggedMessage logged;
        synchronized (r) {
            if (requiredOwner != null && !requiredOwner.equals(r.owner)) {
                return Future.failedFuture(new NotOwnerException(r.owner));
            }
            if (dedupeId != null && r.answered.containsKey(dedupeId)) {
                return Future.succeededFuture(new JsonObject().put("seq", r.answered.get(dedupeId)).put("duplicate", true));
            }
            long seq = ++r.seq;
            if (dedupeId != null) {
                r.answered.put(dedupeId, seq);
                trim(r.answered, answeredIds);
            }
            frame = message.frame().copy().put("seq", seq);
            push(r, frame);
            r.updatedAt = clock.getAsLong();
            if (dialogue != null) {
                r.dialogue = dialogue.encode();
            }
            epoch = r.epoch;
            logged = withSeq(message, seq);
            if (logged.shopperId() == null && r.shopperId != null) {
                logged = new LoggedMessage(logged.conversationId(), logged.merchantId(), logged.seq(), logged.role(), logged.messageId(),
                        logged.text(), logged.intent(), logged.source(), logged.language(), logged.at(), logged.handoffReason(),
                        logged.dialogue(), logged.frame(), r.shopperId);
            }
        }
        sink.write(List.of(logged));
        deliveries.deliver(conversationId, epoch, dialogue == null ? frame : frame.copy().put(DIALOGUE_FIELD, dialogue));
        return Future.succeededFuture(frame);
    }

    @Override
    public Future<OwnerChange> changeOwner(String merchantId, String conversationId, OwnerRequest request) {
        Record r = records.getIfPresent(conversationId);
        if (r == null || !r.merchantId.equals(merchantId)) {
            return Future.succeededFuture(OwnerChange.none());
        }
        JsonObject frame;
        long epoch;
        LoggedMessage logged;
        OwnerChange change;
        synchronized (r) {
            String before = r.owner;
            String after;
            switch (request.action()) {
                case TAKE -> {
                    if (before.equals(request.agent())) {
                        return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.SAME, before));
                    }
                    if (Owner.isAgent(before)) {
                        return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.TAKEN, before));
                    }
                    after = request.agent();
                }
                case HAND_BACK, CLOSE -> {
                    if (!before.equals(request.agent())) {
                        return Future.succeededFuture(OwnerChange.refused(OwnerChange.Status.NOT_OWNER, before));
                    }
                    after = request.action() == OwnerRequest.Action.CLOSE ? Owner.CLOSED : Owner.BOT;
                }
                default -> throw new IllegalStateException();
            }
            r.owner = after;
            if (!Owner.isAgent(after) && r.dialogue != null) {
                DialogueState d = DialogueState.fromJson(new JsonObject(r.dialogue));
                d.handoff = null; // the handoff is over: the bot may hand off again later
                r.dialogue = d.toJson().encode();
            }
            String language = request.messages().containsKey(r.language) ? r.language : request.messages().keySet().iterator().next();
            LoggedMessage m = request.message(language);
            long seq = ++r.seq;
            frame = m.frame().copy().put("seq", seq);
            push(r, frame);
            r.updatedAt = clock.getAsLong();
            epoch = r.epoch;
            logged = withSeq(m, seq);
            change = new OwnerChange(OwnerChange.Status.CHANGED, before, after, frame, language);
        }
        sink.write(List.of(logged));
        deliveries.deliver(conversationId, epoch, frame);
        return Future.succeededFuture(change);
    }

    @Override
    public Future<Peek> peek(String merchantId, String conversationId) {
        Record r = conversationId == null ? null : records.getIfPresent(conversationId);
        if (r == null || !r.merchantId.equals(merchantId)) {
            return Future.succeededFuture(null);
        }
        synchronized (r) {
            return Future.succeededFuture(peekOf(conversationId, r));
        }
    }

    private static Peek peekOf(String id, Record r) {
        List<JsonObject> window = new ArrayList<>();
        r.window.forEach(f -> window.add(new JsonObject(f)));
        return new Peek(id, r.merchantId, r.owner, r.language,
                r.dialogue == null ? new DialogueState() : DialogueState.fromJson(new JsonObject(r.dialogue)), window, r.seq, r.updatedAt);
    }

    /**
     * The merchant's conversations active since {@code sinceMillis}, most recent first, at most {@code limit}
     * (the embedded mode's list of live conversations for agents).
     */
    public List<Peek> recent(String merchantId, long sinceMillis, int limit) {
        List<Peek> out = new ArrayList<>();
        for (Map.Entry<String, Record> e : records.asMap().entrySet()) {
            Record r = e.getValue();
            if (r.merchantId.equals(merchantId) && r.updatedAt >= sinceMillis && r.seq > 0) {
                synchronized (r) {
                    out.add(peekOf(e.getKey(), r));
                }
            }
        }
        out.sort((a, b) -> Long.compare(b.updatedAt(), a.updatedAt()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    @Override
    public Future<Void> release(Claim claim) {
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> unclaim(Claim claim) {
        Record r = records.getIfPresent(claim.conversationId());
        if (r != null) {
            synchronized (r) {
                if (r.epoch == claim.epoch()) {
                    r.epoch--;
                }
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public void deliveries(DeliveryHandler handler) {
        this.deliveries = handler;
    }

    /** The window of a conversation as a transcript for agents (role, text, at, ...), oldest first; empty when unknown. */
    public JsonArray transcript(String conversationId) {
        Record r = records.getIfPresent(conversationId);
        JsonArray out = new JsonArray();
        if (r != null) {
            synchronized (r) {
                r.window.forEach(s -> out.add(Transcripts.turn(new JsonObject(s))));
            }
        }
        return out;
    }

    @Override
    public long size() {
        return records.estimatedSize();
    }

    @Override
    public Future<Void> close() {
        records.invalidateAll();
        return Future.succeededFuture();
    }

    private void push(Record r, JsonObject frame) {
        r.window.addLast(frame.encode());
        while (r.window.size() > windowMessages) {
            r.window.removeFirst();
        }
    }

    private static void trim(LinkedHashMap<String, Long> m, int max) {
        Iterator<String> it = m.keySet().iterator();
        while (m.size() > max && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    static LoggedMessage withSeq(LoggedMessage m, long seq) {
        return withSeq(m, seq, m.frame() == null ? null : m.frame().copy().put("seq", seq));
    }

    /** {@code m} numbered {@code seq}, with {@code frame} (already stamped with it) as its frame. */
    private static LoggedMessage withSeq(LoggedMessage m, long seq, JsonObject frame) {
        return new LoggedMessage(m.conversationId(), m.merchantId(), seq, m.role(), m.messageId(), m.text(), m.intent(),
                m.source(), m.language(), m.at(), m.handoffReason(), m.dialogue(), frame, m.shopperId());
    }
}
