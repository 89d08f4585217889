package io.nectar.gateway.dialogue;

import io.nectar.gateway.action.ActionCall;
import io.nectar.gateway.knowledge.Answer;
import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.FlowSet;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.nlu.entity.EntityType;

import java.util.List;
import java.util.Map;

import static io.nectar.gateway.dialogue.FlowRunner.advance;
import static io.nectar.gateway.dialogue.FlowRunner.cancel;
import static io.nectar.gateway.dialogue.FlowRunner.end;
import static io.nectar.gateway.dialogue.FlowRunner.reprompt;
import static io.nectar.gateway.dialogue.FlowRunner.resumeLine;
import static io.nectar.gateway.dialogue.FlowRunner.resumeSuspended;
import static io.nectar.gateway.dialogue.FlowRunner.start;
import static io.nectar.gateway.dialogue.FlowRunner.suspend;
import static io.nectar.gateway.dialogue.FlowRunner.tooManyAttempts;
import static io.nectar.gateway.dialogue.TemplateScope.say;

/**
 * Where one message goes (decision 12): outside a flow, to an offered flow, a handoff, a flow its
 * intent or order number starts, an FAQ/product/promotion answer, or the fallback; inside a flow, to a
 * cancellation, a retry, slot values and corrections, the confirmation, another flow (the current one
 * waits), an interruption answered before the flow's question is asked again, or a re-ask. Pure.
 */
final class Routing {

    /** Below the answer threshold, but close enough when the message names the flow's first slot value. */
    static final double CONCRETE_FLOW_CONFIDENCE = 0.2;

    private Routing() {
    }

    static void noFlow(Turn t) {
        DialogueState s = t.state;
        Understanding u = t.understanding;
        Intent top = u.top();
        FlowSet flows = t.store.flows();
        if (s.offer != null) {
            String offer = s.offer;
            s.offer = null;
            Lexicon.YesNo yn = Lexicon.yesNo(u.text());
            Flow offered = flows.flow(offer);
            if (DialogueState.HANDOFF_OFFER.equals(offer) && yn == Lexicon.YesNo.YES) {
                requestHuman(t); // "Shall I connect you to a human agent?" "yes"
                return;
            }
            if (offered != null && (yn == Lexicon.YesNo.YES || SlotFilling.fillsFirstSlot(t, offered))) {
                t.confidence = 1.0;
                start(t, offered);
                return;
            }
            if (yn == Lexicon.YesNo.NO) {
                Replies.control(t, "cancel", Phrase.ANYTHING_ELSE); // the offer declined
                return;
            }
        }
        if (Lexicon.isHumanRequest(u.text())) {
            requestHuman(t);
            return;
        }
        if (Lexicon.isCancel(u.text()) && (Lexicon.isShort(u.text()) || top == null || !top.confident()
                || Intent.FAQ.equals(top.kind()) && SmallTalk.isSmallTalk(top.id()))) {
            // "never mind" with nothing to cancel: not a goodbye, the shopper may go on
            Replies.control(t, "cancel", Phrase.ANYTHING_ELSE);
            return;
        }
        if (Lexicon.bareYesNo(u.text()) != null) {
            // "确认" / "yes" with nothing asked (a stale button, say): say so rather than guess
            Replies.control(t, "nothing_to_confirm", Phrase.NOTHING_TO_CONFIRM);
            return;
        }
        if (Replies.productQuestion(t)) {
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
                Replies.answer(t, new Answer("faq", faq, faq, ReplyComposer.faqAnswer(t.store, t.store.faq(faq).answer(), t.lang),
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
            Replies.answer(t, u.answer());
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
            Replies.productAnswer(t, p, 0.5);
            return;
        }
        Replies.fallback(t);
    }

    static void inFlow(Turn t, DialogueState.Frame f, Flow flow) {
        Understanding u = t.understanding;
        String text = u.text();
        Intent top = u.top();
        Flow other = top != null && top.confident() ? flowFor(t.store.flows(), top) : null;
        Flow human = Lexicon.isHumanRequest(text) ? humanFlow(t) : null;
        if (human == null && Lexicon.isHumanRequest(text)) {
            t.intent = "handoff";
            Replies.handoff(t, "requested");
            return;
        }
        if (human != null) {
            other = human;
            top = new Intent(Intent.FLOW, human.id(), 1.0);
        }
        if (other != null && other.id().equals(flow.id())) {
            other = null;
        }
        if (other == null && Replies.productQuestion(t)) {
            t.say.add(resumeLine(t, flow));
            reprompt(t, f, flow);
            return;
        }
        Lexicon.YesNo yn = Lexicon.yesNo(text);
        t.intent = flow.id();
        t.confidence = 1.0;

        if (Lexicon.isCancel(text) && !(yn == Lexicon.YesNo.NO && SlotFilling.isYesNoStep(f, flow))) {
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
        Map<String, String> fills = SlotFilling.fills(t, f, flow, filling);
        if ("confirm".equals(f.step)) {
            fills.putAll(SlotFilling.correctedText(t, f, flow));
            if (!fills.isEmpty()) {
                SlotFilling.apply(f, flow, fills);
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
                SlotFilling.apply(f, flow, fills);
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
            Replies.answer(t, u.answer());
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
        Map<String, Object> scope = TemplateScope.of(t, f, flow);
        if (expected != null && expected.invalid() != null && expected.pattern() != null) {
            say(t, expected.invalid(), scope);
            say(t, expected.prompt(), scope);
        } else if (expected != null && expected.retry() != null) {
            say(t, expected.retry(), scope);
        } else {
            t.say.add(Phrase.NOT_UNDERSTOOD.in(t));
            reprompt(t, f, flow);
        }
    }

    /**
     * "DX1002发货了吗": a message that names the value of a flow's first slot (an order number) and is
     * near that flow among its top five intents, even below the answer threshold or below an FAQ answer
     * about the policy, is about that concrete order: the best-ranked such flow. {@code null} when none.
     */
    private static Flow flowNamedByEntity(Turn t) {
        List<Intent> intents = t.understanding.intents();
        for (Intent i : intents.subList(0, Math.min(5, intents.size()))) {
            if (i.confidence() < CONCRETE_FLOW_CONFIDENCE) {
                break;
            }
            Flow f = flowFor(t.store.flows(), i);
            if (f == null && Intent.FAQ.equals(i.kind())) {
                f = t.store.flows().offeredAfter(i.id()); // "DX1003能开发票吗": the offer taken at once
            }
            if (f != null && SlotFilling.fillsFirstSlot(t, f) && !f.slots().get(0).type().equals(Flow.TEXT)) {
                return f;
            }
        }
        return null;
    }

    /** An FAQ entry that offers {@code flow}, matched confidently too, when the message lacks the flow's first slot. */
    private static String offeringFaq(Turn t, Flow flow) {
        if (flow.offer() == null || SlotFilling.fillsFirstSlot(t, flow)) {
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

    /** The store's flow to a human when it has one, else a handoff on request. */
    private static void requestHuman(Turn t) {
        t.confidence = 1.0;
        Flow human = humanFlow(t);
        if (human != null) {
            start(t, human);
        } else {
            t.intent = "handoff";
            Replies.handoff(t, "requested"); // a store without a handoff flow still hands off on request
        }
    }

    /** The flow that hands off to a human: the one whose action is {@code handoff}. */
    static Flow humanFlow(Turn t) {
        for (Flow f : t.store.flows().flows()) {
            if ("handoff".equals(f.action()) && f.slots().stream().noneMatch(Flow.Slot::required)) {
                return f;
            }
        }
        return null;
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
}
