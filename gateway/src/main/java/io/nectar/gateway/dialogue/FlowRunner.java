package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Templates;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

import static io.nectar.gateway.dialogue.TemplateScope.display;
import static io.nectar.gateway.dialogue.TemplateScope.path;
import static io.nectar.gateway.dialogue.TemplateScope.say;
import static io.nectar.gateway.dialogue.TemplateScope.sayOr;
import static io.nectar.gateway.dialogue.TemplateScope.truthy;

/**
 * Runs a flow forward: starts it, asks for the next missing slot, runs lookups and checks, finds the
 * promotion, confirms, calls the action and replies; chains to the next flow, ends, cancels, suspends
 * and resumes flows. Pure: an action to run is left on the turn ({@link Turn#pending()}).
 */
final class FlowRunner {

    private FlowRunner() {
    }

    static void start(Turn t, Flow flow) {
        DialogueState s = t.state;
        DialogueState.Frame f = new DialogueState.Frame();
        f.instance = flow.id() + "-" + (++s.started);
        f.flow = flow.id();
        f.step = "start";
        s.active = f;
        t.intent = flow.id();
        s.fallbacks = 0;
        Map<String, String> fills = SlotFilling.fills(t, f, flow, null);
        SlotFilling.apply(f, flow, fills);
        advance(t, f, flow);
    }

    /** Asks for the next missing slot, runs lookups and checks, confirms, or runs the action. */
    static void advance(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = "flow";
        t.flowId = flow.id();
        if (refresh(t, f, flow)) {
            return; // a flow resumed in another language than its lookups were made in
        }
        for (Flow.Slot slot : flow.slots()) {
            String v = f.slots.get(slot.name());
            if (v == null && slot.fromContext() && !f.noContext.contains(slot.name())) {
                v = SlotFilling.contextValue(t, slot.type());
                if (v != null) {
                    f.slots.put(slot.name(), v);
                }
            }
            if (v == null && slot.defaultValue() != null) {
                String d = Templates.render(slot.defaultValue(), TemplateScope.of(t, f, flow));
                if (!d.isBlank()) {
                    v = d;
                    f.slots.put(slot.name(), v);
                }
            }
            if (v == null) {
                if (!slot.required()) {
                    continue;
                }
                f.step = slot.name();
                say(t, slot.prompt(), TemplateScope.of(t, f, flow));
                return;
            }
            if (slot.lookup() != null && !f.validated.contains(slot.name())) {
                f.step = slot.name();
                call(t, f, flow, slot.lookup().action(), "lookup:" + slot.name());
                return;
            }
            Map<String, Object> scope = TemplateScope.of(t, f, flow);
            if (slot.require() != null && !truthy(scope, slot.require())) {
                f.slots.remove(slot.name());
                f.validated.remove(slot.name());
                f.noContext.add(slot.name());
                if (slot.lookup() != null) {
                    f.vars.remove(slot.lookup().as());
                }
                if (tooManyAttempts(t, f)) {
                    return;
                }
                f.step = slot.name();
                sayOr(t, slot.unmet(), scope, Phrase.NOT_QUALIFIED.in(t));
                return;
            }
            if (slot.options() != null) {
                Object options = path(scope, slot.options());
                if (options instanceof List<?> list && !list.contains(v)) {
                    f.slots.remove(slot.name());
                    if (tooManyAttempts(t, f)) {
                        return;
                    }
                    f.step = slot.name();
                    scope.put("value", display(t, slot.type(), v));
                    sayOr(t, slot.invalid(), scope, null);
                    if (slot.invalid() == null) {
                        say(t, slot.prompt(), scope);
                    }
                    return;
                }
            }
        }
        if (flow.promotion() != null) {
            Map<String, Object> scope = TemplateScope.of(t, f, flow);
            JsonObject promo = Compensation.find(t.store, flow.promotion().trigger(),
                    Templates.render(flow.promotion().product(), scope), Templates.render(flow.promotion().color(), scope));
            if (promo == null) {
                f.vars.remove("promotion");
            } else {
                f.vars.put("promotion", promo);
            }
        }
        if (flow.confirm() != null && !f.confirmed) {
            f.step = "confirm";
            say(t, flow.confirm(), TemplateScope.of(t, f, flow));
            return;
        }
        if (flow.action() != null) {
            if ("handoff".equals(flow.action())) {
                f.vars.put("result", new JsonObject());
                if (!t.store.hasAgents()) {
                    end(t, f, "failed"); // nobody to hand off to: say so rather than promise a person
                    Replies.noAgent(t, "requested");
                    resumeSuspended(t);
                    return;
                }
                if (t.state.handedOff()) {
                    end(t, f, "completed");
                    t.say.add(Phrase.ALREADY_HANDED_OFF.in(t));
                    return;
                }
                Replies.markHandoff(t, "requested");
                complete(t, f, flow);
                return;
            }
            f.step = "action";
            call(t, f, flow, flow.action(), "final");
            return;
        }
        complete(t, f, flow);
    }

    static void complete(Turn t, DialogueState.Frame f, Flow flow) {
        Map<String, Object> scope = TemplateScope.of(t, f, flow);
        for (Flow.Next n : flow.next()) {
            if (truthy(scope, n.when())) {
                Flow next = t.store.flows().flow(n.flow());
                if (n.say() != null) {
                    say(t, n.say(), scope);
                }
                end(t, f, "completed");
                DialogueState.Frame g = new DialogueState.Frame();
                g.instance = next.id() + "-" + (++t.state.started);
                g.flow = next.id();
                g.step = "start";
                for (Flow.Slot slot : next.slots()) {
                    String v = f.slots.get(slot.name());
                    if (v != null) {
                        g.slots.put(slot.name(), v);
                        if (f.validated.contains(slot.name())) {
                            g.validated.add(slot.name());
                        }
                    }
                }
                g.vars = f.vars.copy();
                g.vars.remove("result");
                g.fetchedIn.putAll(f.fetchedIn);
                t.state.active = g;
                advance(t, g, next);
                return;
            }
        }
        say(t, flow.reply(), scope);
        end(t, f, "completed");
        resumeSuspended(t);
    }

    static void call(Turn t, DialogueState.Frame f, Flow flow, String action, String purpose) {
        JsonObject params = new JsonObject();
        f.slots.forEach(params::put);
        if (f.vars.containsKey("promotion")) {
            params.put("promotion", Compensation.named(t.store, f.vars.getJsonObject("promotion"), t.lang));
        }
        params.put("language", t.lang);
        String key = ActionCall.key(t.conversationId, f.instance, action, params);
        t.pending = new ActionCall(action, params, key, purpose, flow.id(), t.conversationId);
    }

    /**
     * Fetches again a lookup result of the frame that was fetched in another language than this turn's
     * (a shopper who switched language mid-flow hears the order's texts in the new one): leaves the
     * lookup on the turn with purpose {@code refresh:<slot>} and returns true, or returns false when
     * every result is in the turn's language. A lookup is fetched once per language change, whatever
     * its outcome.
     */
    static boolean refresh(Turn t, DialogueState.Frame f, Flow flow) {
        for (Flow.Slot slot : flow.slots()) {
            if (slot.lookup() == null || !f.validated.contains(slot.name()) || !f.vars.containsKey(slot.lookup().as())) {
                continue;
            }
            String fetched = f.fetchedIn.get(slot.lookup().as());
            if (fetched != null && !fetched.equals(t.lang)) {
                call(t, f, flow, slot.lookup().action(), "refresh:" + slot.name());
                return true;
            }
        }
        return false;
    }

    static void unavailable(Turn t, DialogueState.Frame f, ActionCall call) {
        f.step = "retry";
        f.retry = call.toJson();
        t.source = "flow";
        t.say.add(Phrase.SYSTEM_UNAVAILABLE.in(t));
    }

    static void cancel(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = "flow";
        t.confidence = 1.0;
        if (flow.cancelled() != null) {
            say(t, flow.cancelled(), TemplateScope.of(t, f, flow));
        } else {
            t.say.add(Phrase.CANCELLED.in(t, flow.name().get(t.lang, t.store.defaultLanguage())));
        }
        end(t, f, "cancelled");
    }

    /** Clears the active flow, remembering how it ended for the reply. */
    static void end(Turn t, DialogueState.Frame f, String status) {
        t.flowId = f.flow;
        t.flowStatus = status;
        JsonObject slots = new JsonObject();
        f.slots.forEach(slots::put);
        t.flowSlots = slots;
        if (t.state.active == f) {
            t.state.active = null;
        }
    }

    static void suspend(Turn t, DialogueState.Frame f) {
        DialogueState s = t.state;
        s.active = null;
        s.suspended.add(0, f);
        while (s.suspended.size() > DialogueState.MAX_SUSPENDED) {
            s.suspended.remove(s.suspended.size() - 1);
        }
    }

    static void resumeSuspended(Turn t) {
        DialogueState s = t.state;
        if (s.active != null || s.suspended.isEmpty()) {
            return;
        }
        DialogueState.Frame f = s.suspended.remove(0);
        Flow flow = t.store.flows().flow(f.flow);
        if (flow == null) {
            return;
        }
        s.active = f;
        t.say.add(resumeLine(t, flow));
        advance(t, f, flow);
    }

    static void reprompt(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = t.source == null || "fallback".equals(t.source) ? "flow" : t.source;
        String source = t.source;
        if ("confirm".equals(f.step)) {
            say(t, flow.confirm(), TemplateScope.of(t, f, flow));
        } else if ("retry".equals(f.step)) {
            t.say.add(Phrase.RETRY_PROMPT.in(t));
        } else {
            Flow.Slot s = flow.slot(f.step);
            if (s != null && s.prompt() != null) {
                say(t, s.prompt(), TemplateScope.of(t, f, flow));
            }
        }
        t.source = source;
        t.flowId = flow.id();
    }

    static String resumeLine(Turn t, Flow flow) {
        return Phrase.RESUME.in(t, flow.name().get(t.lang, t.store.defaultLanguage()));
    }

    static boolean tooManyAttempts(Turn t, DialogueState.Frame f) {
        f.attempts++;
        if (f.attempts < t.store.flows().settings().maxAttempts()) {
            return false;
        }
        f.attempts = 0;
        Replies.handoff(t, "misunderstanding");
        return true;
    }
}
