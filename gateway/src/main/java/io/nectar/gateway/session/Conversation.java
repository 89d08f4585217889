package io.nectar.gateway.session;

import io.nectar.gateway.dialogue.DialogueState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one shopper's conversation with one merchant: a plain value that serialises to JSON
 * ({@link #toJson()}), so it can live in any {@link SessionStore}. It keeps the last turns and the
 * replies to the last client message ids (so a resent message is answered once, from memory).
 * <p>
 * Not thread-safe: a conversation is handled by one connection's event loop at a time.
 */
public final class Conversation {

    /** Turns kept; older ones are dropped (the durable transcript lives elsewhere). */
    public static final int MAX_TURNS = 40;
    /** Client message ids remembered for de-duplication. */
    public static final int MAX_ANSWERED = 64;

    private final String id;
    private final String merchantId;
    private final long createdAt;
    private long updatedAt;
    private String language;
    private final List<Turn> turns;
    private final LinkedHashMap<String, JsonObject> answered;
    private DialogueState dialogue;

    public Conversation(String id, String merchantId, long createdAt) {
        this(id, merchantId, createdAt, createdAt, null, new ArrayList<>(), new LinkedHashMap<>(), new DialogueState());
    }

    private Conversation(String id, String merchantId, long createdAt, long updatedAt, String language,
                         List<Turn> turns, LinkedHashMap<String, JsonObject> answered, DialogueState dialogue) {
        this.dialogue = dialogue;
        this.id = id;
        this.merchantId = merchantId;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.language = language;
        this.turns = turns;
        this.answered = answered;
    }

    public String id() {
        return id;
    }

    public String merchantId() {
        return merchantId;
    }

    public long createdAt() {
        return createdAt;
    }

    public long updatedAt() {
        return updatedAt;
    }

    public String language() {
        return language;
    }

    public void language(String language) {
        this.language = language;
    }

    public List<Turn> turns() {
        return List.copyOf(turns);
    }

    public void addTurn(Turn turn) {
        turns.add(turn);
        while (turns.size() > MAX_TURNS) {
            turns.remove(0);
        }
        updatedAt = Math.max(updatedAt, turn.at());
    }

    /** Where the dialogue stands: flow in progress, context, handoff. */
    public DialogueState dialogue() {
        return dialogue;
    }

    public void dialogue(DialogueState state) {
        this.dialogue = state;
    }

    /** The turns as JSON, oldest first (a transcript for a human agent). */
    public JsonArray transcript() {
        JsonArray t = new JsonArray();
        turns.forEach(x -> t.add(x.toJson()));
        return t;
    }

    /** The reply frame sent for this client message id, or {@code null} if it was never answered. */
    public JsonObject answerTo(String messageId) {
        return answered.get(messageId);
    }

    public void rememberAnswer(String messageId, JsonObject reply) {
        answered.put(messageId, reply);
        Iterator<Map.Entry<String, JsonObject>> it = answered.entrySet().iterator();
        while (answered.size() > MAX_ANSWERED && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    public JsonObject toJson() {
        JsonArray t = new JsonArray();
        turns.forEach(x -> t.add(x.toJson()));
        JsonObject a = new JsonObject();
        answered.forEach(a::put);
        return new JsonObject().put("id", id).put("merchant", merchantId).put("createdAt", createdAt)
                .put("updatedAt", updatedAt).put("language", language).put("turns", t).put("answered", a)
                .put("dialogue", dialogue.toJson());
    }

    public static Conversation fromJson(JsonObject j) {
        List<Turn> turns = new ArrayList<>();
        JsonArray t = j.getJsonArray("turns", new JsonArray());
        for (int i = 0; i < t.size(); i++) {
            turns.add(Turn.fromJson(t.getJsonObject(i)));
        }
        LinkedHashMap<String, JsonObject> answered = new LinkedHashMap<>();
        JsonObject a = j.getJsonObject("answered", new JsonObject());
        for (String k : a.fieldNames()) {
            answered.put(k, a.getJsonObject(k));
        }
        return new Conversation(j.getString("id"), j.getString("merchant"), j.getLong("createdAt", 0L),
                j.getLong("updatedAt", 0L), j.getString("language"), turns, answered,
                DialogueState.fromJson(j.getJsonObject("dialogue")));
    }
}
