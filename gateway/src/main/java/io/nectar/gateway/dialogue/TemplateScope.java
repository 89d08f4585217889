package io.nectar.gateway.dialogue;

import io.nectar.gateway.knowledge.ReplyComposer;
import io.nectar.gateway.store.Flow;
import io.nectar.gateway.store.Localized;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Templates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables a flow's reply templates see, and saying a template. Every name in the scope is written
 * at render time in the turn's language: slot values as the shopper reads them, store facts and names,
 * and the promotion the flow found (kept in the flow's state by id only, so a conversation that changes
 * language mid-flow hears it in the new one). Pure.
 */
final class TemplateScope {

    private TemplateScope() {
    }

    static Map<String, Object> of(Turn t, DialogueState.Frame f, Flow flow) {
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
        JsonObject promotion = f.vars.getJsonObject("promotion");
        if (promotion != null) {
            scope.put("promotion", plain(Compensation.named(t.store, promotion, t.lang)));
        }
        return scope;
    }

    private static Object plain(Object v) {
        if (v instanceof JsonObject o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
            return m;
        }
        if (v instanceof JsonArray a) {
            return a.stream().map(TemplateScope::plain).toList();
        }
        return v;
    }

    /** A slot value as the shopper reads it in the turn's language ({@code 黑色} for {@code black}). */
    static String display(Turn t, String type, String value) {
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

    static Object path(Map<String, Object> scope, String path) {
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

    static void say(Turn t, Localized template, Map<String, Object> scope) {
        if (template == null) {
            return;
        }
        String text = Templates.render(template.get(t.lang, t.store.defaultLanguage()), scope);
        if (!text.isBlank()) {
            t.say.add(text);
        }
    }

    static void sayOr(Turn t, Localized template, Map<String, Object> scope, String otherwise) {
        if (template != null) {
            say(t, template, scope);
        } else if (otherwise != null && !otherwise.isBlank()) {
            t.say.add(otherwise);
        }
    }

    static boolean zh(Turn t) {
        return "zh".equals(t.lang);
    }
}
