package io.nectar.gateway.store;

import java.util.List;
import java.util.Map;

/**
 * A multi-turn task the merchant defines in {@code flows.yaml}: started by trigger phrasings (or FAQ
 * intents), it collects slots, may confirm, and ends in an action and a reply. Reply texts are
 * templates (see {@link Templates}). Immutable.
 *
 * @param faqTriggers FAQ ids whose match starts this flow instead of answering the FAQ
 * @param offerAfter  FAQ ids whose answer is followed by {@link #offer}, so a "yes" or an order number
 *                    next starts this flow
 * @param phrasings   trigger phrasings per language, matched like FAQ questions
 * @param promotion   a promotion trigger evaluated before confirming ({@code null} for none)
 * @param action      action run when the slots are complete and confirmed ({@code null}: just reply)
 * @param next        flows to continue with, depending on results
 */
public record Flow(String id, Localized name, List<String> faqTriggers, List<String> offerAfter,
                   Map<String, List<String>> phrasings, Localized offer, List<Slot> slots, PromotionHook promotion,
                   Localized confirm, String action, Localized reply, Localized failure, Localized cancelled,
                   List<Next> next) {

    public Flow {
        faqTriggers = List.copyOf(faqTriggers);
        offerAfter = List.copyOf(offerAfter);
        phrasings = Map.copyOf(phrasings);
        slots = List.copyOf(slots);
        next = List.copyOf(next);
    }

    /** Slot value types besides the entity types of {@code nlu} ({@code order_id}, {@code color}, ...). */
    public static final String YES_NO = "yes_no";
    public static final String TEXT = "text";

    /**
     * One piece of information the flow collects.
     *
     * @param type         an entity type code ({@code order_id}, {@code phone}, {@code email}, {@code quantity},
     *                     {@code price}, {@code date}, {@code color}, {@code size}, {@code product}), {@code yes_no}
     *                     or {@code text}
     * @param defaultValue template giving the value when the shopper names none ({@code null}: ask)
     * @param options      variable path of a list the value must be one of ({@code null}: any)
     * @param lookup       action that checks the value and whose result becomes a variable
     * @param require      variable path that must be true after the lookup, else {@code unmet} is said
     * @param pattern      for {@code text} slots: a regex the answer must contain
     * @param fromContext  take the order or product last discussed in the conversation without asking
     */
    public record Slot(String name, String type, Localized prompt, Localized retry, boolean required,
                       String defaultValue, String options, Lookup lookup, String require, Localized invalid,
                       Localized unmet, java.util.regex.Pattern pattern, boolean fromContext) {
    }

    /** Calls {@code action} with the slots so far; its result is stored as variable {@code as}. */
    public record Lookup(String action, String as) {
    }

    /** Looks for a promotion of type compensation with this trigger, for a product and colour (templates). */
    public record PromotionHook(String trigger, String product, String color) {
    }

    /** When variable path {@code when} is true ({@code !path}: false), continue with flow {@code flow}. */
    public record Next(String when, String flow, Localized say) {
    }

    public Slot slot(String name) {
        for (Slot s : slots) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
