package io.nectar.gateway.dialogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a conversation stands in its dialogue: the flow in progress with its collected slots, flows
 * put aside by an interruption, what was last talked about (for "this one"), the run of misunderstood
 * messages, a pending offer and the handoff to a human. A plain value that round-trips through JSON
 * ({@link #toJson()}), kept with the conversation ({@link io.nectar.gateway.conversations.Claim}).
 * <p>
 * Not thread-safe: one conversation's messages are handled one at a time.
 */
public final class DialogueState {

    /** Flows that can wait behind the active one. */
    public static final int MAX_SUSPENDED = 3;
    /** {@link #offer} after a fallback offered a human agent (no flow id can look like it). */
    public static final String HANDOFF_OFFER = "@handoff";

    /** One flow in progress. */
    public static final class Frame {
        /** Unique per started flow in the conversation; part of the actions' idempotency keys. */
        public String instance;
        public String flow;
        /** A slot name, {@code confirm}, {@code action} or {@code retry} (after the merchant's system failed). */
        public String step;
        public final LinkedHashMap<String, String> slots = new LinkedHashMap<>();
        /** Results of lookups and the action ({@code order}, {@code result}, {@code promotion}). */
        public JsonObject vars = new JsonObject();
        /**
         * The language each lookup result in {@link #vars} was fetched in (its texts are the merchant's
         * system's, in that language): a message in another language fetches it again.
         */
        public final Map<String, String> fetchedIn = new LinkedHashMap<>();
        public final Set<String> validated = new LinkedHashSet<>();
        /** Slots whose value from the conversation context was refused once: ask instead. */
        public final Set<String> noContext = new LinkedHashSet<>();
        public int attempts;
        public boolean confirmed;
        /** The action call to repeat after a failure of the merchant's system ({@code step = retry}). */
        public JsonObject retry;

        JsonObject toJson() {
            JsonObject s = new JsonObject();
            slots.forEach(s::put);
            JsonObject fetched = new JsonObject();
            fetchedIn.forEach(fetched::put);
            return new JsonObject().put("instance", instance).put("flow", flow).put("step", step).put("slots", s)
                    .put("vars", vars.copy()).put("fetchedIn", fetched).put("validated", new JsonArray(new ArrayList<>(validated)))
                    .put("noContext", new JsonArray(new ArrayList<>(noContext))).put("attempts", attempts)
                    .put("confirmed", confirmed).put("retry", retry == null ? null : retry.copy());
        }

        static Frame fromJson(JsonObject j) {
            Frame f = new Frame();
            f.instance = j.getString("instance");
            f.flow = j.getString("flow");
            f.step = j.getString("step");
            JsonObject s = j.getJsonObject("slots", new JsonObject());
            s.fieldNames().forEach(k -> f.slots.put(k, s.getString(k)));
            f.vars = j.getJsonObject("vars", new JsonObject()).copy();
            JsonObject fetched = j.getJsonObject("fetchedIn", new JsonObject());
            fetched.fieldNames().forEach(k -> f.fetchedIn.put(k, fetched.getString(k)));
            j.getJsonArray("validated", new JsonArray()).forEach(x -> f.validated.add(String.valueOf(x)));
            j.getJsonArray("noContext", new JsonArray()).forEach(x -> f.noContext.add(String.valueOf(x)));
            f.attempts = j.getInteger("attempts", 0);
            f.confirmed = j.getBoolean("confirmed", false);
            JsonObject r = j.getJsonObject("retry");
            f.retry = r == null ? null : r.copy();
            return f;
        }
    }

    public Frame active;
    public final List<Frame> suspended = new ArrayList<>();
    /** What was last discussed: {@code product} (SKU), {@code order}, {@code color}, {@code size}. */
    public final Map<String, String> context = new LinkedHashMap<>();
    /** Consecutive replies that understood nothing. */
    public int fallbacks;
    /**
     * A flow the bot just offered (after an FAQ answer), or {@link #HANDOFF_OFFER} after a fallback that
     * offered a human agent; a yes takes it.
     */
    public String offer;
    /** Set once the conversation was handed to a human: {@code reason}, {@code at}. */
    public JsonObject handoff;
    /** Flows started so far, for instance ids. */
    public int started;
    /** Offer rules shown in this conversation, oldest first (each at most once per conversation). */
    public final List<String> offersShown = new ArrayList<>();

    public JsonObject toJson() {
        JsonArray s = new JsonArray();
        suspended.forEach(f -> s.add(f.toJson()));
        JsonObject c = new JsonObject();
        context.forEach(c::put);
        return new JsonObject().put("active", active == null ? null : active.toJson()).put("suspended", s)
                .put("context", c).put("fallbacks", fallbacks).put("offer", offer)
                .put("handoff", handoff == null ? null : handoff.copy()).put("started", started)
                .put("offers", new JsonArray(new ArrayList<>(offersShown)));
    }

    public static DialogueState fromJson(JsonObject j) {
        DialogueState d = new DialogueState();
        if (j == null) {
            return d;
        }
        JsonObject a = j.getJsonObject("active");
        d.active = a == null ? null : Frame.fromJson(a);
        j.getJsonArray("suspended", new JsonArray()).forEach(x -> d.suspended.add(Frame.fromJson((JsonObject) x)));
        JsonObject c = j.getJsonObject("context", new JsonObject());
        c.fieldNames().forEach(k -> d.context.put(k, c.getString(k)));
        d.fallbacks = j.getInteger("fallbacks", 0);
        d.offer = j.getString("offer");
        JsonObject h = j.getJsonObject("handoff");
        d.handoff = h == null ? null : h.copy();
        d.started = j.getInteger("started", 0);
        j.getJsonArray("offers", new JsonArray()).forEach(o -> d.offersShown.add(String.valueOf(o)));
        return d;
    }

    public DialogueState copy() {
        return fromJson(toJson());
    }

    public boolean handedOff() {
        return handoff != null;
    }
}
