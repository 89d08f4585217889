package io.nectar.gateway.handoff;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Conversations handed to a human and waiting for one, per merchant, each with its transcript. Only a
 * merchant's own agents see its queue ({@link io.nectar.gateway.http.AgentApiHandler}). Bounded: a
 * merchant's queue keeps its newest {@value #MAX_PER_MERCHANT} conversations. Thread-safe; any thread.
 * <p>
 * Kept in this node's memory: the queue of the embedded mode. With PostgreSQL and Redis the queue is
 * {@code PgHandoffQueue}, shared by every node.
 */
public final class HandoffDesk implements HandoffQueue {

    public static final int MAX_PER_MERCHANT = 1000;

    /**
     * One conversation waiting for an agent.
     *
     * @param reason     {@code requested}, {@code complaint}, {@code fallbacks} or {@code misunderstanding}
     * @param transcript the conversation's turns so far, oldest first (updated as the shopper goes on)
     * @param dialogue   the flows in progress and their slots, so the agent need not ask again
     * @param takenBy    the login of the agent who took it, or {@code null} while it waits
     */
    public record Handoff(String merchant, String conversationId, String reason, long at, String language,
                          JsonArray transcript, JsonObject dialogue, String takenBy) {
        public JsonObject toJson() {
            JsonObject j = new JsonObject().put("conversationId", conversationId).put("reason", reason).put("at", at)
                    .put("language", language).put("transcript", transcript.copy()).put("dialogue", dialogue.copy());
            if (takenBy != null) {
                j.put("takenBy", takenBy);
            }
            return j;
        }
    }

    /** A queued handoff and, when the shopper has gone on since, where its newer transcript is read. */
    private static final class Waiting {
        Handoff handoff;
        Supplier<JsonArray> newer;

        Waiting(Handoff handoff) {
            this.handoff = handoff;
        }

        /** The handoff with its transcript as of now: read here, when someone looks, not at every message. */
        Handoff current() {
            if (newer != null) {
                JsonArray now = newer.get();
                newer = null;
                if (!now.isEmpty()) { // (a conversation the store has since let go keeps the transcript it had)
                    Handoff h = handoff;
                    handoff = new Handoff(h.merchant(), h.conversationId(), h.reason(), h.at(), h.language(),
                            now.copy(), h.dialogue(), h.takenBy());
                }
            }
            return handoff;
        }
    }

    private final Map<String, LinkedHashMap<String, Waiting>> queues = new ConcurrentHashMap<>();

    public void open(String merchant, String conversationId, String reason, String language, JsonArray transcript, JsonObject dialogue) {
        LinkedHashMap<String, Waiting> q = queues.computeIfAbsent(merchant, k -> new LinkedHashMap<>());
        synchronized (q) {
            q.remove(conversationId);
            q.put(conversationId, new Waiting(new Handoff(merchant, conversationId, reason, System.currentTimeMillis(), language,
                    transcript.copy(), dialogue.copy(), null)));
            while (q.size() > MAX_PER_MERCHANT) {
                q.remove(q.keySet().iterator().next());
            }
        }
    }

    /**
     * The shopper of a waiting conversation went on: its dialogue is replaced now, its transcript is read
     * from {@code transcript} the next time the queue is listed. Does nothing when it is not waiting.
     */
    public void update(String merchant, String conversationId, Supplier<JsonArray> transcript, JsonObject dialogue) {
        LinkedHashMap<String, Waiting> q = queues.get(merchant);
        if (q == null) {
            return;
        }
        synchronized (q) {
            Waiting w = q.get(conversationId);
            if (w != null) {
                Handoff h = w.handoff;
                w.handoff = new Handoff(merchant, conversationId, h.reason(), h.at(), h.language(), h.transcript(),
                        dialogue.copy(), h.takenBy());
                w.newer = transcript;
            }
        }
    }

    @Override
    public Future<List<Handoff>> pending(String merchant) {
        return Future.succeededFuture(waiting(merchant));
    }

    @Override
    public Future<Boolean> close(String merchant, String conversationId) {
        return Future.succeededFuture(take(merchant, conversationId));
    }

    /** The merchant's waiting conversations, oldest first. */
    public List<Handoff> waiting(String merchant) {
        LinkedHashMap<String, Waiting> q = queues.get(merchant);
        if (q == null) {
            return List.of();
        }
        synchronized (q) {
            List<Handoff> list = new ArrayList<>(q.size());
            for (Waiting w : q.values()) {
                list.add(w.current());
            }
            return list;
        }
    }

    /** An agent took a waiting conversation in the workbench: it stays listed, with who has it. */
    public void taken(String merchant, String conversationId, String login, JsonArray transcript) {
        LinkedHashMap<String, Waiting> q = queues.get(merchant);
        if (q == null) {
            return;
        }
        synchronized (q) {
            Waiting w = q.get(conversationId);
            if (w != null) {
                Handoff h = w.handoff;
                w.handoff = new Handoff(merchant, conversationId, h.reason(), h.at(), h.language(),
                        transcript.copy(), h.dialogue(), login);
                w.newer = null;
            }
        }
    }

    /** An agent took the conversation: removes it from the merchant's queue; false when it is not there. */
    public boolean take(String merchant, String conversationId) {
        LinkedHashMap<String, Waiting> q = queues.get(merchant);
        if (q == null) {
            return false;
        }
        synchronized (q) {
            return q.remove(conversationId) != null;
        }
    }
}
