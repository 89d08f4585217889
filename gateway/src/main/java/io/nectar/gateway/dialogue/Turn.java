package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One message's way through the dialogue: the state being changed, the reply being written, and the
 * action the engine waits for, if any ({@link #pending()}). Created by {@link DialogueEngine#begin} and
 * continued by {@link DialogueEngine#resume} until nothing is pending. Confined to the connection's
 * event loop.
 */
public final class Turn {

    final Store store;
    final DialogueState state;
    final Understanding understanding;
    final String lang;
    final String conversationId;
    final List<String> say = new ArrayList<>();
    String source = "fallback";
    String intent = "out_of_scope";
    String ref;
    double confidence;
    List<String> suggestions = List.of();
    boolean handoffOffered;
    ActionCall pending;
    String handoffReason;
    /** The shopper asked for (or needed) a person, but the store has no agents: nothing was queued. */
    boolean handoffUnavailable;
    /** The flow this message last touched and how it stands: active, completed, cancelled, failed. */
    String flowId;
    String flowStatus;
    JsonObject flowSlots;
    int actionsRun;
    /** Whether the message has been routed yet (false while a flow's lookups are fetched again first). */
    boolean routed;

    Turn(Store store, DialogueState state, Understanding understanding, String conversationId) {
        this.store = store;
        this.state = state;
        this.understanding = understanding;
        this.lang = understanding.lang();
        this.conversationId = conversationId;
    }

    /** The action to run before the turn can go on, or {@code null} when the reply is complete. */
    public ActionCall pending() {
        return pending;
    }

    /** Actions this message has run so far. */
    public int actionsRunCount() {
        return actionsRun;
    }

    public DialogueState state() {
        return state;
    }

    public String text() {
        return String.join(lang.equals("zh") ? "" : " ", say).strip();
    }

    public String source() {
        return source;
    }

    public String intent() {
        return intent;
    }

    public String ref() {
        return ref;
    }

    public double confidence() {
        return confidence;
    }

    public String lang() {
        return lang;
    }

    public List<String> suggestions() {
        return suggestions;
    }

    public boolean handoffOffered() {
        return handoffOffered;
    }

    /** Why this message handed the conversation to a human ({@code requested}, {@code complaint}, ...), or null. */
    public String handoffReason() {
        return handoffReason;
    }

    /** Whether the handoff of {@link #handoffReason()} could not happen: the store has no agents to take it. */
    public boolean handoffUnavailable() {
        return handoffUnavailable;
    }

    public Understanding understanding() {
        return understanding;
    }

    /**
     * The reply's {@code flow} object: the active flow (status {@code active}) or the one this message
     * ended; {@code null} when no flow was involved.
     */
    public JsonObject flow() {
        if (state.active != null) {
            JsonObject slots = new JsonObject();
            state.active.slots.forEach(slots::put);
            return new JsonObject().put("id", state.active.flow).put("step", state.active.step)
                    .put("status", "active").put("slots", slots);
        }
        if (flowId == null) {
            return null;
        }
        return new JsonObject().put("id", flowId).put("step", "end").put("status", flowStatus)
                .put("slots", flowSlots == null ? new JsonObject() : flowSlots);
    }
}
