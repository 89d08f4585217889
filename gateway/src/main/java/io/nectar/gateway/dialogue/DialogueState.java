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

        /** As JSON, leaving out what is empty, zero or unset ({@link #fromJson} reads those as defaults). */
        JsonObject toJson() {
            JsonObject j = new JsonObject().put("instance", instance).put("flow", flow).put("step", step);
            if (!slots.isEmpty()) {
                JsonObject s = new JsonObject();
                slots.forEach(s::put);
                j.put("slots", s);
            }
            if (!vars.isEmpty()) {
                j.put("vars", vars.copy());
            }
            if (!fetchedIn.isEmpty()) {
                JsonObject fetched = new JsonObject();
                fetchedIn.forEach(fetched::put);
                j.put("fetchedIn", fetched);
            }
            if (!validated.isEmpty()) {
                j.put("validated", new JsonArray(new ArrayList<>(validated)));
            }
            if (!noContext.isEmpty()) {
                j.put("noContext", new JsonArray(new ArrayList<>(noContext)));
            }
            if (attempts != 0) {
                j.put("attempts", attempts);
            }
            if (confirmed) {
                j.put("confirmed", true);
            }
            if (retry != null) {
                j.put("retry", retry.copy());
            }
            return j;
        }

        /** A deep copy: nothing the copy holds is shared with this frame. */
        Frame copy() {
            Frame f = new Frame();
            f.instance = instance;
            f.flow = flow;
            f.step = step;
            f.slots.putAll(slots);
            f.vars = vars.copy();
            f.fetchedIn.putAll(fetchedIn);
            f.validated.addAll(validated);
            f.noContext.addAll(noContext);
            f.attempts = attempts;
            f.confirmed = confirmed;
            f.retry = retry == null ? null : retry.copy();
            return f;
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

    /**
     * As JSON, leaving out what is empty, zero or unset ({@link #fromJson} reads those as defaults): a new
     * conversation's state is {@code {}}, not a dozen nulls and empty containers written with every turn.
     */
    public JsonObject toJson() {
        JsonObject j = new JsonObject();
        if (active != null) {
            j.put("active", active.toJson());
        }
        if (!suspended.isEmpty()) {
            JsonArray s = new JsonArray();
            suspended.forEach(f -> s.add(f.toJson()));
            j.put("suspended", s);
        }
        if (!context.isEmpty()) {
            JsonObject c = new JsonObject();
            context.forEach(c::put);
            j.put("context", c);
        }
        if (fallbacks != 0) {
            j.put("fallbacks", fallbacks);
        }
        if (offer != null) {
            j.put("offer", offer);
        }
        if (handoff != null) {
            j.put("handoff", handoff.copy());
        }
        if (started != 0) {
            j.put("started", started);
        }
        if (!offersShown.isEmpty()) {
            j.put("offers", new JsonArray(new ArrayList<>(offersShown)));
        }
        return j;
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

    /** A deep copy (each turn works on one, so a failed turn leaves the conversation's state as it was). */
    public DialogueState copy() {
        DialogueState d = new DialogueState();
        d.active = active == null ? null : active.copy();
        suspended.forEach(f -> d.suspended.add(f.copy()));
        d.context.putAll(context);
        d.fallbacks = fallbacks;
        d.offer = offer;
        d.handoff = handoff == null ? null : handoff.copy();
        d.started = started;
        d.offersShown.addAll(offersShown);
        return d;
    }

    public boolean handedOff() {
        return handoff != null;
    }
}
