package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.action.ActionResult;
import io.nectar.gateway.knowledge.Answer;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Templates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dialogue manager: given a conversation's {@link DialogueState} and what the NLU made of a message,
 * decides the reply and the next state. It routes a message to one of: the active flow (slot filling,
 * confirmation, corrections), a new flow (trigger intents; the active one waits and resumes later), an
 * FAQ/product/promotion answer (an interruption mid-flow, after which the flow's question is asked
 * again), a cancellation, a handoff to a human (on request, on anger or complaint words, after repeated
 * misunderstanding), or the fallback.
 * <p>
 * Pure and fast: no I/O and no blocking, so it runs on the connection's event loop. When a flow needs
 * the merchant's systems, the turn comes back with {@link Turn#pending()} set; the caller runs the action
 * and hands its result to {@link #resume}. Stateless itself; thread-safe.
 * <p>
 * The parts: {@link Routing} decides where a message goes, {@link FlowRunner} moves a flow forward,
 * {@link SlotFilling} reads slot values from a message, {@link Replies} writes answers, fallbacks and
 * handoffs, {@link TemplateScope} renders flow templates, {@link Phrase} holds the engine's own lines.
 */
public final class DialogueEngine {

    /** Actions one message may trigger (a lookup, then the flow's action, then a chained flow's lookup). */
    public static final int MAX_ACTIONS_PER_MESSAGE = 6;

    /** Starts handling one message; the state is copied, so the caller's stays as it was until it takes the turn's. */
    public Turn begin(Store store, DialogueState state, Understanding u, String conversationId) {
        Turn t = new Turn(store, state.copy(), u, conversationId);
        SlotFilling.noteContext(t, u.extraction());
        String text = u.text();
        if (Lexicon.isComplaint(text)) {
            t.intent = "complaint";
            t.confidence = 1.0;
            Replies.handoff(t, "complaint");
            return t;
        }
        DialogueState s = t.state;
        if (s.active != null && store.flows().flow(s.active.flow) == null) {
            s.active = null; // the store's flows changed under this conversation
        }
        if (s.active != null && FlowRunner.refresh(t, s.active, store.flows().flow(s.active.flow))) {
            return t; // the flow's lookups are in another language: fetched again first, then routed (resume)
        }
        route(t);
        return t;
    }

    private static void route(Turn t) {
        t.routed = true;
        DialogueState s = t.state;
        if (s.active != null) {
            Routing.inFlow(t, s.active, t.store.flows().flow(s.active.flow));
        } else {
            Routing.noFlow(t);
        }
    }

    /**
     * Runs every flow template and a sample turn once, on the calling (start-up) thread, so that class
     * loading and the template engine's first-use reflection do not land on an event loop with the first
     * shopper's message.
     */
    public void warmUp(Store store) {
        Map<String, Object> empty = new LinkedHashMap<>();
        for (Flow f : store.flows().flows()) {
            List<Localized> texts = new ArrayList<>(Arrays.asList(f.confirm(), f.reply(), f.failure(),
                    f.cancelled(), f.offer()));
            f.slots().forEach(s -> texts.addAll(Arrays.asList(s.prompt(), s.invalid(), s.unmet(), s.retry())));
            for (Localized l : texts) {
                if (l != null) {
                    l.texts().values().forEach(t -> Templates.render(t, empty));
                }
            }
        }
        String lang = store.defaultLanguage();
        Answer a = new Answer("fallback", null, "out_of_scope", "", 0, 0, lang, List.of());
        for (Flow f : store.flows().flows()) {
            Turn t = begin(store, new DialogueState(), new Understanding("warm-up", lang,
                    List.of(new Intent(Intent.FLOW, f.id(), 1.0)), a, io.nectar.nlu.entity.Extraction.EMPTY), "warm-up");
            t.flow();
            t.state().toJson();
        }
    }

    /** Continues a turn with the result of its pending action. */
    public void resume(Turn t, ActionResult result) {
        ActionCall call = t.pending;
        t.pending = null;
        t.actionsRun++;
        DialogueState.Frame f = t.state.active;
        Flow flow = f == null ? null : t.store.flows().flow(f.flow);
        if (call == null || flow == null) {
            return;
        }
        if (call.purpose().startsWith("refresh:")) {
            Flow.Slot slot = flow.slot(call.purpose().substring("refresh:".length()));
            if (slot != null && slot.lookup() != null) {
                if (result.status() == ActionResult.Status.OK) {
                    f.vars.put(slot.lookup().as(), result.data());
                }
                // fetched once per language change: a refusal or an outage keeps the earlier texts
                f.fetchedIn.put(slot.lookup().as(), t.lang);
            }
            if (!FlowRunner.refresh(t, f, flow)) {
                if (t.routed) {
                    FlowRunner.advance(t, f, flow);
                } else {
                    route(t);
                }
            }
            return;
        }
        if (call.purpose().startsWith("lookup:")) {
            Flow.Slot slot = flow.slot(call.purpose().substring("lookup:".length()));
            switch (result.status()) {
                case OK -> {
                    f.vars.put(slot.lookup().as(), result.data());
                    f.fetchedIn.put(slot.lookup().as(), call.params().getString("language", t.lang));
                    f.validated.add(slot.name());
                    FlowRunner.advance(t, f, flow);
                }
                case REJECTED -> {
                    String value = f.slots.remove(slot.name());
                    f.validated.remove(slot.name());
                    f.noContext.add(slot.name());
                    Map<String, Object> scope = TemplateScope.of(t, f, flow);
                    scope.put("value", TemplateScope.display(t, slot.type(), value));
                    scope.put("error", result.error() == null ? "" : result.error());
                    t.source = "flow";
                    if (!FlowRunner.tooManyAttempts(t, f)) {
                        TemplateScope.sayOr(t, slot.invalid(), scope, result.error());
                        f.step = slot.name();
                    }
                }
                case UNAVAILABLE -> FlowRunner.unavailable(t, f, call);
            }
            return;
        }
        switch (result.status()) {
            case OK -> {
                f.vars.put("result", result.data());
                f.step = "done";
                FlowRunner.complete(t, f, flow);
            }
            case REJECTED -> {
                Map<String, Object> scope = TemplateScope.of(t, f, flow);
                scope.put("error", result.error() == null ? "" : result.error());
                t.source = "flow";
                TemplateScope.sayOr(t, flow.failure(), scope, result.error());
                FlowRunner.end(t, f, "failed");
                FlowRunner.resumeSuspended(t);
            }
            case UNAVAILABLE -> FlowRunner.unavailable(t, f, call);
        }
    }

    /** Ends a turn whose action could not run at all (too many for one message). */
    public void abandon(Turn t) {
        if (t.pending != null && t.pending.purpose().startsWith("refresh:")) {
            t.pending = null; // the names stay in the language they were fetched in
            if (!t.routed) {
                route(t);
            }
        }
        if (t.pending != null && t.state.active != null) {
            FlowRunner.unavailable(t, t.state.active, t.pending);
        }
        t.pending = null;
    }
}
