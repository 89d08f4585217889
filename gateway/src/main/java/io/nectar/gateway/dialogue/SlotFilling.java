package io.nectar.gateway.dialogue;

import io.nectar.gateway.store.Flow;
import io.nectar.nlu.entity.Cue;
import io.nectar.nlu.entity.Entity;
import io.nectar.nlu.entity.EntityType;
import io.nectar.nlu.entity.Extraction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which slot values a message gives: the expected slot's, any other slot whose type it names
 * (corrections), a free-text answer, and values taken from the conversation's context ("this one",
 * "that order"). Pure.
 */
final class SlotFilling {

    private SlotFilling() {
    }

    /** Slot values the message gives: for the expected slot, and any other slot whose type it names. */
    static Map<String, String> fills(Turn t, DialogueState.Frame f, Flow flow, Flow.Slot expected) {
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
    static Map<String, String> correctedText(Turn t, DialogueState.Frame f, Flow flow) {
        Extraction x = t.understanding.extraction();
        int cut = -1;
        for (Cue c : x.cues()) {
            if (c.kind() == Cue.Kind.CORRECTION) {
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

    private static String freeText(Turn t, Flow.Slot slot) {
        String text = t.understanding.text().strip();
        if (Lexicon.yesNo(text) != null || Lexicon.isCancel(text) || text.isEmpty()) {
            return null;
        }
        if (slot.pattern() != null) {
            return slot.pattern().matcher(text).find() ? text : null;
        }
        return Lexicon.isQuestion(text) ? null : text;
    }

    private static String entityValue(Turn t, Flow.Slot slot, Extraction x, boolean expected) {
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

    static void apply(DialogueState.Frame f, Flow flow, Map<String, String> fills) {
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

    static boolean fillsFirstSlot(Turn t, Flow flow) {
        if (flow.slots().isEmpty()) {
            return false;
        }
        Flow.Slot first = flow.slots().get(0);
        EntityType type = EntityType.fromCode(first.type());
        return type != null && t.understanding.extraction().resolved(type).isPresent();
    }

    static boolean isYesNoStep(DialogueState.Frame f, Flow flow) {
        Flow.Slot s = flow.slot(f.step);
        return "confirm".equals(f.step) || s != null && Flow.YES_NO.equals(s.type());
    }

    static String contextValue(Turn t, String slotType) {
        return switch (slotType) {
            case "order_id" -> t.state.context.get("order");
            case "product" -> t.state.context.get("product");
            default -> null;
        };
    }

    /** Remembers the order and product the shopper named, for "this one" later on. */
    static void noteContext(Turn t, Extraction x) {
        x.resolved(EntityType.ORDER_ID).ifPresent(e -> t.state.context.put("order", e.value()));
        x.resolved(EntityType.PRODUCT).filter(e -> e.attribute("candidates") == null)
                .ifPresent(e -> t.state.context.put("product", e.value()));
    }
}
