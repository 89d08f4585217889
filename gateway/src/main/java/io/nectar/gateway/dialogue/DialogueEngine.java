package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.action.ActionResult;
import io.nectar.gateway.knowledge.Answer;
import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.FlowSet;
import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Templates;
import io.nectar.nlu.entity.Entity;
import io.nectar.nlu.entity.EntityType;
import io.nectar.nlu.entity.Extraction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 */
public final class DialogueEngine {

    /** Actions one message may trigger (a lookup, then the flow's action, then a chained flow's lookup). */
    public static final int MAX_ACTIONS_PER_MESSAGE = 6;

    /** Starts handling one message; the state is copied, so the caller's stays as it was until it takes the turn's. */
    public Turn begin(Store store, DialogueState state, Understanding u, String conversationId) {
        Turn t = new Turn(store, state.copy(), u, conversationId);
        noteContext(t, u.extraction());
        String text = u.text();
        if (Lexicon.isComplaint(text)) {
            t.intent = "complaint";
            t.confidence = 1.0;
            handoff(t, "complaint");
            return t;
        }
        DialogueState s = t.state;
        if (s.active != null && store.flows().flow(s.active.flow) == null) {
            s.active = null; // the store's flows changed under this conversation
        }
        if (s.active != null) {
            inFlow(t, s.active, store.flows().flow(s.active.flow));
            return t;
        }
        noFlow(t);
        return t;
    }

    /**
     * Runs every flow template and a sample turn once, on the calling (start-up) thread, so that class
     * loading and the template engine's first-use reflection do not land on an event loop with the first
     * shopper's message.
     */
    public void warmUp(Store store) {
        Map<String, Object> empty = new LinkedHashMap<>();
        for (Flow f : store.flows().flows()) {
            List<Localized> texts = new java.util.ArrayList<>(java.util.Arrays.asList(f.confirm(), f.reply(), f.failure(),
                    f.cancelled(), f.offer()));
            f.slots().forEach(s -> texts.addAll(java.util.Arrays.asList(s.prompt(), s.invalid(), s.unmet(), s.retry())));
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
        if (call.purpose().startsWith("lookup:")) {
            Flow.Slot slot = flow.slot(call.purpose().substring("lookup:".length()));
            switch (result.status()) {
                case OK -> {
                    f.vars.put(slot.lookup().as(), result.data());
                    f.validated.add(slot.name());
                    advance(t, f, flow);
                }
                case REJECTED -> {
                    String value = f.slots.remove(slot.name());
                    f.validated.remove(slot.name());
                    f.noContext.add(slot.name());
                    Map<String, Object> scope = scope(t, f, flow);
                    scope.put("value", display(t, slot.type(), value));
                    scope.put("error", result.error() == null ? "" : result.error());
                    t.source = "flow";
                    if (!tooManyAttempts(t, f)) {
                        sayOr(t, slot.invalid(), scope, result.error());
                        f.step = slot.name();
                    }
                }
                case UNAVAILABLE -> unavailable(t, f, call);
            }
            return;
        }
        switch (result.status()) {
            case OK -> {
                f.vars.put("result", result.data());
                f.step = "done";
                complete(t, f, flow);
            }
            case REJECTED -> {
                Map<String, Object> scope = scope(t, f, flow);
                scope.put("error", result.error() == null ? "" : result.error());
                t.source = "flow";
                sayOr(t, flow.failure(), scope, result.error());
                end(t, f, "failed");
                resumeSuspended(t);
            }
            case UNAVAILABLE -> unavailable(t, f, call);
        }
    }

    /** Ends a turn whose action could not run at all (too many for one message). */
    public void abandon(Turn t) {
        if (t.pending != null && t.state.active != null) {
            unavailable(t, t.state.active, t.pending);
        }
        t.pending = null;
    }

    // ---- routing ----

    private void noFlow(Turn t) {
        DialogueState s = t.state;
        Understanding u = t.understanding;
        Intent top = u.top();
        FlowSet flows = t.store.flows();
        if (s.offer != null) {
            Flow offered = flows.flow(s.offer);
            s.offer = null;
            if (offered != null && (Lexicon.yesNo(u.text()) == Lexicon.YesNo.YES || fillsFirstSlot(t, offered))) {
                t.confidence = 1.0;
                start(t, offered);
                return;
            }
        }
        if (Lexicon.isHumanRequest(u.text())) {
            t.confidence = 1.0;
            if (humanFlow(t) != null) {
                start(t, humanFlow(t));
            } else {
                t.intent = "handoff";
                handoff(t, "requested"); // a store without a handoff flow still hands off on request
            }
            return;
        }
        if (productQuestion(t)) {
            return;
        }
        Flow concrete = flowNamedByEntity(t);
        if (concrete == null && u.extraction().resolved(EntityType.ORDER_ID).isPresent()
                && flows.settings().orderNumberFlow() != null) {
            concrete = flows.flow(flows.settings().orderNumberFlow());
        }
        if (concrete != null) {
            t.confidence = confidenceOf(u, Intent.FLOW, concrete.id());
            start(t, concrete);
            return;
        }
        if (top != null && top.confident()) {
            Flow flow = flowFor(flows, top);
            String faq = flow == null ? null : offeringFaq(t, flow);
            if (faq != null) {
                // "I need an invoice for my order": a general request that an FAQ offering this flow also
                // matches is answered with the FAQ and the offer; with the order number it starts the flow
                answer(t, new Answer("faq", faq, faq, ReplyComposer.faqAnswer(t.store, t.store.faq(faq).answer(), t.lang),
                        confidenceOf(u, Intent.FAQ, faq), 0, t.lang, List.of()));
                say(t, flow.offer(), Map.of());
                s.offer = flow.id();
                return;
            }
            if (flow != null) {
                t.confidence = top.confidence();
                start(t, flow);
                return;
            }
            answer(t, u.answer());
            Flow offer = Intent.FAQ.equals(top.kind()) ? flows.offeredAfter(top.id()) : null;
            if (offer != null && offer.offer() != null) {
                say(t, offer.offer(), Map.of());
                s.offer = offer.id();
            }
            return;
        }
        String product = s.context.get("product");
        if (u.extraction().has(EntityType.REFERENCE) && product != null && t.store.product(product) != null) {
            Product p = t.store.product(product);
            t.source = "product";
            t.intent = "product_inquiry";
            t.ref = p.sku();
            t.confidence = 0.5;
            t.say.add(ReplyComposer.product(t.store, p, t.lang));
            s.fallbacks = 0;
            return;
        }
        fallback(t);
    }

    private void inFlow(Turn t, DialogueState.Frame f, Flow flow) {
        Understanding u = t.understanding;
        String text = u.text();
        Intent top = u.top();
        Flow other = top != null && top.confident() ? flowFor(t.store.flows(), top) : null;
        Flow human = Lexicon.isHumanRequest(text) ? humanFlow(t) : null;
        if (human == null && Lexicon.isHumanRequest(text)) {
            t.intent = "handoff";
            handoff(t, "requested");
            return;
        }
        if (human != null) {
            other = human;
            top = new Intent(Intent.FLOW, human.id(), 1.0);
        }
        if (other != null && other.id().equals(flow.id())) {
            other = null;
        }
        if (other == null && productQuestion(t)) {
            t.say.add(resumeLine(t, flow));
            reprompt(t, f, flow);
            return;
        }
        Lexicon.YesNo yn = Lexicon.yesNo(text);
        t.intent = flow.id();
        t.confidence = 1.0;

        if (Lexicon.isCancel(text) && !(yn == Lexicon.YesNo.NO && isYesNoStep(f, flow))) {
            if (other != null) {
                end(t, f, "cancelled");
                t.confidence = top.confidence();
                start(t, other);
                return;
            }
            t.intent = "cancel";
            cancel(t, f, flow);
            resumeSuspended(t);
            return;
        }
        if ("retry".equals(f.step)) {
            if (yn == Lexicon.YesNo.YES || Lexicon.isRetry(text)) {
                t.pending = ActionCall.fromJson(f.retry);
                f.step = f.retry.getString("purpose").startsWith("lookup:") ? f.retry.getString("purpose").substring(7) : "action";
                f.retry = null;
                return;
            }
            if (yn == Lexicon.YesNo.NO) {
                t.intent = "cancel";
                cancel(t, f, flow);
                resumeSuspended(t);
                return;
            }
        }
        Flow.Slot expected = flow.slot(f.step);
        // free text is the answer to a text slot, unless it is a longer message that starts another flow
        // ("please issue an invoice for my order"); a short one ("个人") is an answer whatever it resembles
        if (other != null && human == null && expected != null && Flow.TEXT.equals(expected.type()) && Lexicon.isShort(text)) {
            other = null;
        }
        boolean sameFlowAgain = top != null && top.confident() && flow.equals(flowFor(t.store.flows(), top));
        Flow.Slot filling = expected != null && Flow.TEXT.equals(expected.type())
                && (other != null || sameFlowAgain && !Lexicon.isShort(text)) ? null : expected;
        Map<String, String> fills = fills(t, f, flow, filling);
        if ("confirm".equals(f.step)) {
            fills.putAll(correctedText(t, f, flow));
            if (!fills.isEmpty()) {
                apply(f, flow, fills);
                advance(t, f, flow);
                return;
            }
            if (yn == Lexicon.YesNo.YES) {
                f.confirmed = true;
                advance(t, f, flow);
                return;
            }
            if (yn == Lexicon.YesNo.NO) {
                t.intent = "cancel";
                cancel(t, f, flow);
                resumeSuspended(t);
                return;
            }
        } else if (expected != null) {
            if (Flow.YES_NO.equals(expected.type())) {
                if (yn == Lexicon.YesNo.NO && fills.isEmpty()) {
                    t.intent = "cancel";
                    cancel(t, f, flow);
                    resumeSuspended(t);
                    return;
                }
                if (yn == Lexicon.YesNo.YES || !fills.isEmpty()) {
                    fills.put(expected.name(), "yes");
                }
            }
            if (!fills.isEmpty()) {
                apply(f, flow, fills);
                advance(t, f, flow);
                return;
            }
        }
        if (other != null) {
            suspend(t, f);
            t.confidence = top.confidence();
            t.intent = other.id();
            start(t, other);
            return;
        }
        if (top != null && top.confident() && !Intent.FLOW.equals(top.kind()) && t.store.flows().claiming(top.id()) == null) {
            // an interruption: answer it, then ask the flow's question again
            answer(t, u.answer());
            t.say.add(resumeLine(t, flow));
            reprompt(t, f, flow);
            return;
        }
        if (top != null && top.confident()) {
            reprompt(t, f, flow); // the shopper asked for this same flow again
            return;
        }
        t.intent = "out_of_scope";
        t.confidence = top == null ? 0 : top.confidence();
        if (tooManyAttempts(t, f)) {
            return;
        }
        t.source = "flow";
        if (expected != null && expected.invalid() != null && expected.pattern() != null) {
            say(t, expected.invalid(), scope(t, f, flow));
            say(t, expected.prompt(), scope(t, f, flow));
        } else if (expected != null && expected.retry() != null) {
            say(t, expected.retry(), scope(t, f, flow));
        } else {
            t.say.add(zh(t) ? "抱歉，我没听明白。" : "Sorry, I didn't catch that.");
            reprompt(t, f, flow);
        }
    }

    // ---- flows ----

    private void start(Turn t, Flow flow) {
        DialogueState s = t.state;
        DialogueState.Frame f = new DialogueState.Frame();
        f.instance = flow.id() + "-" + (++s.started);
        f.flow = flow.id();
        f.step = "start";
        s.active = f;
        t.intent = flow.id();
        s.fallbacks = 0;
        Map<String, String> fills = fills(t, f, flow, null);
        apply(f, flow, fills);
        advance(t, f, flow);
    }

    /** Asks for the next missing slot, runs lookups and checks, confirms, or runs the action. */
    private void advance(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = "flow";
        t.flowId = flow.id();
        for (Flow.Slot slot : flow.slots()) {
            String v = f.slots.get(slot.name());
            if (v == null && slot.fromContext() && !f.noContext.contains(slot.name())) {
                v = contextValue(t, slot.type());
                if (v != null) {
                    f.slots.put(slot.name(), v);
                }
            }
            if (v == null && slot.defaultValue() != null) {
                String d = Templates.render(slot.defaultValue(), scope(t, f, flow));
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
                say(t, slot.prompt(), scope(t, f, flow));
                return;
            }
            if (slot.lookup() != null && !f.validated.contains(slot.name())) {
                f.step = slot.name();
                call(t, f, flow, slot.lookup().action(), "lookup:" + slot.name());
                return;
            }
            Map<String, Object> scope = scope(t, f, flow);
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
                sayOr(t, slot.unmet(), scope, zh(t) ? "这个不符合办理条件。" : "That doesn't qualify.");
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
            Map<String, Object> scope = scope(t, f, flow);
            JsonObject promo = Compensation.find(t.store, flow.promotion().trigger(),
                    Templates.render(flow.promotion().product(), scope), Templates.render(flow.promotion().color(), scope), t.lang);
            if (promo == null) {
                f.vars.remove("promotion");
            } else {
                f.vars.put("promotion", promo);
            }
        }
        if (flow.confirm() != null && !f.confirmed) {
            f.step = "confirm";
            say(t, flow.confirm(), scope(t, f, flow));
            return;
        }
        if (flow.action() != null) {
            if ("handoff".equals(flow.action())) {
                f.vars.put("result", new JsonObject());
                if (t.state.handedOff()) {
                    end(t, f, "completed");
                    t.say.add(zh(t) ? "已经为您转接人工客服了，请稍候，客服会尽快回复您。"
                            : "You're already in the queue for a human agent; they'll reply as soon as they can.");
                    return;
                }
                markHandoff(t, "requested");
                complete(t, f, flow);
                return;
            }
            f.step = "action";
            call(t, f, flow, flow.action(), "final");
            return;
        }
        complete(t, f, flow);
    }

    private void complete(Turn t, DialogueState.Frame f, Flow flow) {
        Map<String, Object> scope = scope(t, f, flow);
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
                t.state.active = g;
                advance(t, g, next);
                return;
            }
        }
        say(t, flow.reply(), scope);
        end(t, f, "completed");
        resumeSuspended(t);
    }

    private void call(Turn t, DialogueState.Frame f, Flow flow, String action, String purpose) {
        JsonObject params = new JsonObject();
        f.slots.forEach(params::put);
        if (f.vars.containsKey("promotion")) {
            params.put("promotion", f.vars.getJsonObject("promotion").copy());
        }
        params.put("language", t.lang);
        String key = ActionCall.key(t.conversationId, f.instance, action, params);
        t.pending = new ActionCall(action, params, key, purpose, flow.id(), t.conversationId);
    }

    private void unavailable(Turn t, DialogueState.Frame f, ActionCall call) {
        f.step = "retry";
        f.retry = call.toJson();
        t.source = "flow";
        t.say.add(zh(t) ? "抱歉，我们的系统暂时没有响应，您刚才提供的信息我都记下了。请稍后回复“重试”，或者说“转人工”。"
                : "Sorry, our system isn't responding right now. I've kept everything you told me: reply \"retry\" in a moment, or ask for a human agent.");
    }

    private void cancel(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = "flow";
        t.confidence = 1.0;
        if (flow.cancelled() != null) {
            say(t, flow.cancelled(), scope(t, f, flow));
        } else {
            String name = flow.name().get(t.lang, t.store.defaultLanguage());
            t.say.add(zh(t) ? "好的，已取消" + name + "。还有什么可以帮您？" : "OK, I've cancelled the " + name + ". Anything else I can help with?");
        }
        end(t, f, "cancelled");
    }

    /** Clears the active flow, remembering how it ended for the reply. */
    private void end(Turn t, DialogueState.Frame f, String status) {
        t.flowId = f.flow;
        t.flowStatus = status;
        JsonObject slots = new JsonObject();
        f.slots.forEach(slots::put);
        t.flowSlots = slots;
        if (t.state.active == f) {
            t.state.active = null;
        }
    }

    private void suspend(Turn t, DialogueState.Frame f) {
        DialogueState s = t.state;
        s.active = null;
        s.suspended.add(0, f);
        while (s.suspended.size() > DialogueState.MAX_SUSPENDED) {
            s.suspended.remove(s.suspended.size() - 1);
        }
    }

    private void resumeSuspended(Turn t) {
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

    private void reprompt(Turn t, DialogueState.Frame f, Flow flow) {
        t.source = t.source == null || "fallback".equals(t.source) ? "flow" : t.source;
        String source = t.source;
        if ("confirm".equals(f.step)) {
            say(t, flow.confirm(), scope(t, f, flow));
        } else if ("retry".equals(f.step)) {
            t.say.add(zh(t) ? "上次提交没有成功，要重试吗？" : "The last attempt didn't go through. Shall I try again?");
        } else {
            Flow.Slot s = flow.slot(f.step);
            if (s != null && s.prompt() != null) {
                say(t, s.prompt(), scope(t, f, flow));
            }
        }
        t.source = source;
        t.flowId = flow.id();
    }

    private String resumeLine(Turn t, Flow flow) {
        String name = flow.name().get(t.lang, t.store.defaultLanguage());
        return zh(t) ? "我们继续刚才的" + name + "：" : "Back to your " + name + ":";
    }

    private boolean tooManyAttempts(Turn t, DialogueState.Frame f) {
        f.attempts++;
        if (f.attempts < t.store.flows().settings().maxAttempts()) {
            return false;
        }
        f.attempts = 0;
        handoff(t, "misunderstanding");
        return true;
    }

    // ---- slot filling ----

    /** Slot values the message gives: for the expected slot, and any other slot whose type it names. */
    private Map<String, String> fills(Turn t, DialogueState.Frame f, Flow flow, Flow.Slot expected) {
        Extraction x = t.understanding.extraction();
        Map<String, String> out = new LinkedHashMap<>();
        for (Flow.Slot slot : flow.slots()) {
            boolean isExpected = expected != null && slot.name().equals(expected.name());
            String v = switch (slot.type()) {
                case Flow.YES_NO -> null;
                case Flow.TEXT -> isExpected ? freeText(t, slot) : null;
                default -> entityValue(t, slot, x, isExpected);
            };
            if (v != null && !v.equals(f.slots.get(slot.name()))) {
                out.put(slot.name(), v);
            }
        }
        return out;
    }

    /**
     * "wait, make it 99 Nanjing Road" at the confirmation: the text after a correction cue replaces the
     * one filled text slot with a pattern that it matches (an address). Empty when that is not clear.
     */
    private Map<String, String> correctedText(Turn t, DialogueState.Frame f, Flow flow) {
        Extraction x = t.understanding.extraction();
        int cut = -1;
        for (io.nectar.nlu.entity.Cue c : x.cues()) {
            if (c.kind() == io.nectar.nlu.entity.Cue.Kind.CORRECTION) {
                cut = Math.max(cut, c.end());
            }
        }
        if (cut < 0) {
            return Map.of();
        }
        String rest = t.understanding.text().substring(cut).replaceAll("^[\\s,，:：、.。!！]+", "").strip();
        Map<String, String> out = new LinkedHashMap<>();
        for (Flow.Slot slot : flow.slots()) {
            if (Flow.TEXT.equals(slot.type()) && slot.pattern() != null && f.slots.containsKey(slot.name())
                    && !rest.isEmpty() && slot.pattern().matcher(rest).find() && !rest.equals(f.slots.get(slot.name()))) {
                out.put(slot.name(), rest);
            }
        }
        return out.size() == 1 ? out : Map.of();
    }

    private String freeText(Turn t, Flow.Slot slot) {
        String text = t.understanding.text().strip();
        if (Lexicon.yesNo(text) != null || Lexicon.isCancel(text) || text.isEmpty()) {
            return null;
        }
        if (slot.pattern() != null) {
            return slot.pattern().matcher(text).find() ? text : null;
        }
        return Lexicon.isQuestion(text) ? null : text;
    }

    private String entityValue(Turn t, Flow.Slot slot, Extraction x, boolean expected) {
        EntityType type = EntityType.fromCode(slot.type());
        if (type == null) {
            return null;
        }
        Optional<Entity> e = x.resolved(type);
        if (e.isPresent() && type == EntityType.SIZE && "true".equals(e.get().attribute("bare")) && !expected) {
            e = Optional.empty();
        }
        if (e.isPresent() && type == EntityType.PRODUCT && e.get().attribute("candidates") != null) {
            String ctx = t.state.context.get("product");
            List<String> candidates = List.of(e.get().attribute("candidates").split(","));
            return ctx != null && candidates.contains(ctx) ? ctx : e.get().value();
        }
        if (e.isPresent()) {
            return e.get().value();
        }
        if ((type == EntityType.PRODUCT || type == EntityType.ORDER_ID) && x.has(EntityType.REFERENCE)) {
            return contextValue(t, slot.type());
        }
        return null;
    }

    private void apply(DialogueState.Frame f, Flow flow, Map<String, String> fills) {
        // a consent question is answered by answering what comes after it ("能换成棕色吗" says yes)
        List<Flow.Slot> slots = flow.slots();
        for (int i = 0; i < slots.size(); i++) {
            Flow.Slot s = slots.get(i);
            if (Flow.YES_NO.equals(s.type()) && !f.slots.containsKey(s.name()) && !fills.containsKey(s.name())) {
                for (Flow.Slot later : slots.subList(i + 1, slots.size())) {
                    if (fills.containsKey(later.name())) {
                        fills.put(s.name(), "yes");
                        break;
                    }
                }
            }
        }
        fills.forEach((name, value) -> {
            f.slots.put(name, value);
            f.validated.remove(name);
            Flow.Slot slot = flow.slot(name);
            if (slot != null && slot.lookup() != null) {
                f.vars.remove(slot.lookup().as());
            }
        });
        if (!fills.isEmpty()) {
            f.confirmed = false;
            f.attempts = 0;
        }
    }

    private boolean fillsFirstSlot(Turn t, Flow flow) {
        if (flow.slots().isEmpty()) {
            return false;
        }
        Flow.Slot first = flow.slots().get(0);
        EntityType type = EntityType.fromCode(first.type());
        return type != null && t.understanding.extraction().resolved(type).isPresent();
    }

    private static boolean isYesNoStep(DialogueState.Frame f, Flow flow) {
        Flow.Slot s = flow.slot(f.step);
        return "confirm".equals(f.step) || s != null && Flow.YES_NO.equals(s.type());
    }

    private String contextValue(Turn t, String slotType) {
        return switch (slotType) {
            case "order_id" -> t.state.context.get("order");
            case "product" -> t.state.context.get("product");
            default -> null;
        };
    }

    /** Remembers the order and product the shopper named, for "this one" later on. */
    private void noteContext(Turn t, Extraction x) {
        x.resolved(EntityType.ORDER_ID).ifPresent(e -> t.state.context.put("order", e.value()));
        x.resolved(EntityType.PRODUCT).filter(e -> e.attribute("candidates") == null)
                .ifPresent(e -> t.state.context.put("product", e.value()));
    }

    // ---- answers, fallback, handoff ----

    /** Below the answer threshold, but close enough when the message names the flow's first slot value. */
    static final double CONCRETE_FLOW_CONFIDENCE = 0.2;

    /**
     * "DX1002发货了吗": a message that names the value of a flow's first slot (an order number) and is
     * near that flow among its top five intents, even below the answer threshold or below an FAQ answer
     * about the policy, is about that concrete order: the best-ranked such flow. {@code null} when none.
     */
    private Flow flowNamedByEntity(Turn t) {
        List<Intent> intents = t.understanding.intents();
        for (Intent i : intents.subList(0, Math.min(5, intents.size()))) {
            if (i.confidence() < CONCRETE_FLOW_CONFIDENCE) {
                break;
            }
            Flow f = flowFor(t.store.flows(), i);
            if (f == null && Intent.FAQ.equals(i.kind())) {
                f = t.store.flows().offeredAfter(i.id()); // "DX1003能开发票吗": the offer taken at once
            }
            if (f != null && fillsFirstSlot(t, f) && !f.slots().get(0).type().equals(Flow.TEXT)) {
                return f;
            }
        }
        return null;
    }

    /** An FAQ entry that offers {@code flow}, matched confidently too, when the message lacks the flow's first slot. */
    private String offeringFaq(Turn t, Flow flow) {
        if (flow.offer() == null || fillsFirstSlot(t, flow)) {
            return null;
        }
        for (Intent i : t.understanding.intents()) {
            if (Intent.FAQ.equals(i.kind()) && i.confident() && flow.offerAfter().contains(i.id()) && t.store.faq(i.id()) != null) {
                return i.id();
            }
        }
        return null;
    }

    private static double confidenceOf(Understanding u, String kind, String id) {
        return u.intents().stream().filter(i -> i.kind().equals(kind) && i.id().equals(id)).mapToDouble(Intent::confidence)
                .findFirst().orElse(0.5);
    }

    /** The flow that hands off to a human: the one whose action is {@code handoff}. */
    private static Flow humanFlow(Turn t) {
        for (Flow f : t.store.flows().flows()) {
            if ("handoff".equals(f.action()) && f.slots().stream().noneMatch(Flow.Slot::required)) {
                return f;
            }
        }
        return null;
    }

    /**
     * "这个多少钱" / "how much is this one": a price question about the product last discussed is answered
     * from the catalogue. Says the answer and returns true, or returns false.
     */
    private boolean productQuestion(Turn t) {
        String text = t.understanding.text();
        Extraction x = t.understanding.extraction();
        String sku = x.resolved(EntityType.PRODUCT).filter(e -> e.attribute("candidates") == null).map(Entity::value)
                .orElse(x.has(EntityType.REFERENCE) || Lexicon.isBarePriceQuestion(text) ? t.state.context.get("product") : null);
        Product p = sku == null ? null : t.store.product(sku);
        if (p == null || !Lexicon.isPriceQuestion(text)) {
            return false;
        }
        t.source = "product";
        t.intent = "product_inquiry";
        t.ref = p.sku();
        t.confidence = 1.0;
        t.say.add(ReplyComposer.product(t.store, p, t.lang));
        t.state.fallbacks = 0;
        t.state.context.put("product", p.sku());
        return true;
    }

    private void answer(Turn t, Answer a) {
        t.source = a.source();
        t.intent = a.intent();
        t.ref = a.target();
        t.confidence = a.confidence();
        t.suggestions = a.suggestions();
        t.say.add(a.text());
        t.state.fallbacks = 0;
        if ("product".equals(a.source()) && a.target() != null) {
            t.state.context.put("product", a.target());
        }
    }

    private void fallback(Turn t) {
        Answer a = t.understanding.answer();
        DialogueState s = t.state;
        s.fallbacks++;
        if (!s.handedOff() && s.fallbacks >= t.store.flows().settings().handoffAfterFallbacks()) {
            t.intent = "out_of_scope";
            t.confidence = a.confidence();
            handoff(t, "fallbacks");
            return;
        }
        t.source = "fallback";
        t.intent = "out_of_scope";
        t.confidence = a.confidence();
        t.suggestions = a.suggestions();
        t.handoffOffered = !s.handedOff();
        t.say.add(a.text());
    }

    /** Hands the conversation to a human with an explanation; an active flow waits with its slots. */
    private void handoff(Turn t, String reason) {
        DialogueState s = t.state;
        if (s.active != null) {
            suspend(t, s.active);
        }
        t.source = "handoff";
        if (s.handedOff()) {
            t.say.add(zh(t) ? "已经为您转接人工客服了，请稍候，客服会尽快回复您。"
                    : "You're already in the queue for a human agent; they'll reply as soon as they can.");
            return;
        }
        markHandoff(t, reason);
        if ("requested".equals(reason)) {
            t.say.add(zh(t) ? "好的，正在为您转接人工客服，请稍候，我们的聊天记录会一并转给客服。"
                    : "Sure, I'm connecting you to a human agent; they'll see our conversation so far.");
        } else if ("complaint".equals(reason)) {
            t.say.add(zh(t) ? "非常抱歉给您带来不好的体验。我已为您转接人工客服，我们的聊天记录会一并转给客服，请稍候。"
                    : "I'm really sorry about this. I've passed you to a human agent together with our conversation so far; they'll be with you shortly.");
        } else {
            t.say.add(zh(t) ? "抱歉，我一直没能理解您的意思。我已为您转接人工客服，聊天记录会一并转过去，请稍候。"
                    : "Sorry, I keep missing what you need. I've passed you to a human agent with our conversation so far; please hold on.");
        }
    }

    private void markHandoff(Turn t, String reason) {
        t.handoffReason = reason;
        t.state.handoff = new JsonObject().put("reason", reason).put("at", System.currentTimeMillis());
        t.state.fallbacks = 0;
    }

    // ---- templates ----

    private Map<String, Object> scope(Turn t, DialogueState.Frame f, Flow flow) {
        Map<String, Object> scope = new LinkedHashMap<>();
        Map<String, Object> storeScope = new LinkedHashMap<>();
        t.store.facts().forEach((k, v) -> storeScope.put(k, ReplyComposer.fillFacts(t.store, v.get(t.lang, t.store.defaultLanguage()), t.lang)));
        storeScope.put("name", t.store.name().get(t.lang, t.store.defaultLanguage()));
        scope.put("store", storeScope);
        scope.put("flow", Map.of("name", flow.name().get(t.lang, t.store.defaultLanguage())));
        Map<String, Object> raw = new LinkedHashMap<>(f.slots);
        scope.put("slots", raw);
        for (Flow.Slot slot : flow.slots()) {
            String v = f.slots.get(slot.name());
            if (v != null) {
                scope.put(slot.name(), display(t, slot.type(), v));
            }
        }
        // a lookup's result may share its slot's name ({{order.id}}, {{order.statusText}}): the result wins
        f.vars.forEach(e -> scope.put(e.getKey(), plain(e.getValue())));
        return scope;
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (v instanceof JsonArray a) {
            return a.stream().map(DialogueEngine::plain).toList();
        }
        return v;
    }

    private String display(Turn t, String type, String value) {
        if (value == null) {
            return "";
        }
        return switch (type) {
            case "color" -> t.store.colorName(value, t.lang);
            case "product" -> {
                Product p = t.store.product(value);
                yield p == null ? value : p.title().get(t.lang, t.store.defaultLanguage());
            }
            case Flow.YES_NO -> "yes".equals(value) ? (zh(t) ? "是" : "yes") : (zh(t) ? "否" : "no");
            default -> value;
        };
    }

    private static Object path(Map<String, Object> scope, String path) {
        Object cur = scope;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    static boolean truthy(Map<String, Object> scope, String expr) {
        boolean not = expr.startsWith("!");
        Object v = path(scope, not ? expr.substring(1).strip() : expr.strip());
        boolean t = v != null && !Boolean.FALSE.equals(v) && !"".equals(v) && !(v instanceof List<?> l && l.isEmpty())
                && !(v instanceof Number n && n.doubleValue() == 0);
        return not != t;
    }

    private void say(Turn t, Localized template, Map<String, Object> scope) {
        if (template == null) {
            return;
        }
        String text = Templates.render(template.get(t.lang, t.store.defaultLanguage()), scope);
        if (!text.isBlank()) {
            t.say.add(text);
        }
    }

    private void sayOr(Turn t, Localized template, Map<String, Object> scope, String otherwise) {
        if (template != null) {
            say(t, template, scope);
        } else if (otherwise != null && !otherwise.isBlank()) {
            t.say.add(otherwise);
        }
    }

    private static Flow flowFor(FlowSet flows, Intent top) {
        if (Intent.FLOW.equals(top.kind())) {
            return flows.flow(top.id());
        }
        if (Intent.FAQ.equals(top.kind())) {
            return flows.claiming(top.id());
        }
        return null;
    }

    private static boolean zh(Turn t) {
        return "zh".equals(t.lang);
    }
}
