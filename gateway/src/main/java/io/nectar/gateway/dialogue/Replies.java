package io.nectar.gateway.dialogue;

import io.nectar.gateway.knowledge.Answer;
import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Product;
import io.nectar.nlu.entity.Entity;
import io.nectar.nlu.entity.EntityType;
import io.nectar.nlu.entity.Extraction;
import io.vertx.core.json.JsonObject;

/**
 * Replies that are not a flow's own: an FAQ, product or promotion answer, a price question about the
 * product last discussed, the fallback, and handoffs to a human. Pure.
 */
final class Replies {

    private Replies() {
    }

    static void answer(Turn t, Answer a) {
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

    /**
     * "这个多少钱" / "how much is this one": a price question about the product last discussed is answered
     * from the catalogue. Says the answer and returns true, or returns false.
     */
    static boolean productQuestion(Turn t) {
        String text = t.understanding.text();
        Extraction x = t.understanding.extraction();
        String sku = x.resolved(EntityType.PRODUCT).filter(e -> e.attribute("candidates") == null).map(Entity::value)
                .orElse(x.has(EntityType.REFERENCE) || Lexicon.isBarePriceQuestion(text) ? t.state.context.get("product") : null);
        Product p = sku == null ? null : t.store.product(sku);
        if (p == null || !Lexicon.isPriceQuestion(text)) {
            return false;
        }
        productAnswer(t, p, 1.0);
        t.state.context.put("product", p.sku());
        return true;
    }

    /** The catalogue's answer about {@code p}. */
    static void productAnswer(Turn t, Product p, double confidence) {
        t.source = "product";
        t.intent = "product_inquiry";
        t.ref = p.sku();
        t.confidence = confidence;
        t.say.add(ReplyComposer.product(t.store, p, t.lang));
        t.state.fallbacks = 0;
    }

    static void fallback(Turn t) {
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
        if (s.handedOff()) {
            // the store's fallback offers a human: this conversation already waits for one
            t.say.add(Phrase.FALLBACK_HANDED_OFF.in(t));
            return;
        }
        t.handoffOffered = t.store.hasAgents();
        if (t.handoffOffered) {
            s.offer = DialogueState.HANDOFF_OFFER;
        }
        t.say.add(a.text());
    }

    /**
     * A short reply of the dialogue's own ({@code source: dialogue}): "nothing waits for your
     * confirmation", "OK, anything else?". No suggestions: nothing was asked.
     */
    static void control(Turn t, String intent, Phrase line) {
        t.source = "dialogue";
        t.intent = intent;
        t.confidence = 1.0;
        t.suggestions = java.util.List.of();
        t.say.add(line.in(t));
    }

    /** Hands the conversation to a human with an explanation; an active flow waits with its slots. */
    static void handoff(Turn t, String reason) {
        DialogueState s = t.state;
        if (!t.store.hasAgents()) {
            noAgent(t, reason);
            return;
        }
        if (s.active != null) {
            FlowRunner.suspend(t, s.active);
        }
        t.source = "handoff";
        if (s.handedOff()) {
            t.say.add(Phrase.ALREADY_HANDED_OFF.in(t));
            return;
        }
        markHandoff(t, reason);
        t.say.add(switch (reason) {
            case "requested" -> Phrase.HANDOFF_REQUESTED.in(t);
            case "complaint" -> Phrase.HANDOFF_COMPLAINT.in(t);
            default -> Phrase.HANDOFF_MISUNDERSTANDING.in(t);
        });
    }

    /**
     * The honest answer when the store has no agents to hand off to: no person will see this, what the
     * store says about its hours and how else to reach it (its {@code hours} and {@code contact} facts),
     * and that the bot goes on. Nothing is queued; an active flow stays where it was.
     */
    static void noAgent(Turn t, String reason) {
        t.source = "handoff";
        t.handoffReason = reason;
        t.handoffUnavailable = true;
        t.state.fallbacks = 0;
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add(switch (reason) {
            case "requested" -> Phrase.NO_AGENT_REQUESTED.in(t);
            case "complaint" -> Phrase.NO_AGENT_COMPLAINT.in(t);
            default -> Phrase.NO_AGENT_MISUNDERSTANDING.in(t);
        });
        for (String fact : java.util.List.of("hours", "contact")) {
            io.nectar.gateway.store.Localized text = t.store.facts().get(fact);
            if (text != null) {
                parts.add(ReplyComposer.fillFacts(t.store, text.get(t.lang, t.store.defaultLanguage()), t.lang));
            }
        }
        parts.add(Phrase.NO_AGENT_END.in(t));
        t.say.add(String.join(TemplateScope.zh(t) ? "" : " ", parts));
    }

    static void markHandoff(Turn t, String reason) {
        t.handoffReason = reason;
        t.state.handoff = new JsonObject().put("reason", reason).put("at", System.currentTimeMillis());
        t.state.fallbacks = 0;
    }
}
