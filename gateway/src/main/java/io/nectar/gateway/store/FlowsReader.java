package io.nectar.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.nectar.gateway.store.YamlNodes.localized;
import static io.nectar.gateway.store.YamlNodes.optionalTemplate;
import static io.nectar.gateway.store.YamlNodes.required;
import static io.nectar.gateway.store.YamlNodes.stringList;
import static io.nectar.gateway.store.YamlNodes.template;
import static io.nectar.gateway.store.YamlNodes.text;

/**
 * {@code flows.yaml}: the store's dialogue flows, how their actions reach the merchant's systems, and
 * the dialogue settings; every template compiled and every reference (FAQ ids, actions, next flows)
 * checked. Pure; any thread.
 */
final class FlowsReader {

    static final String FLOWS = StoreReader.FLOWS;
    /** Actions every store has without configuring them. */
    static final Set<String> BUILTIN_ACTIONS = Set.of("handoff");
    private static final Set<String> SLOT_TYPES = Set.of("order_id", "phone", "email", "quantity", "price", "date",
            "color", "size", "product", Flow.YES_NO, Flow.TEXT);
    private static final Pattern FLOW_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private FlowsReader() {
    }

    /** The flows of {@code root} (the parsed file, or {@code null} when the store has none). */
    static FlowSet read(JsonNode root, Set<String> faqIds) {
        if (root == null) {
            return FlowSet.NONE;
        }
        JsonNode list = root.isArray() ? root : root.get("flows");
        if (!root.isArray() && !root.isObject() || list == null || !list.isArray()) {
            throw new StoreException(FLOWS + ": expected 'flows:' with a list of flows");
        }
        Map<String, FlowSet.ActionConfig> actions = new LinkedHashMap<>();
        JsonNode a = root.isObject() ? root.get("actions") : null;
        if (a != null) {
            if (!a.isObject()) {
                throw new StoreException(FLOWS + ": 'actions' must map action names to settings");
            }
            a.fields().forEachRemaining(e -> actions.put(e.getKey(), actionConfig(e.getKey(), e.getValue())));
        }
        FlowSet.Settings settings = FlowSet.Settings.DEFAULT;
        JsonNode st = root.isObject() ? root.get("settings") : null;
        if (st != null) {
            int fallbacks = st.path("handoffAfterFallbacks").asInt(settings.handoffAfterFallbacks());
            int attempts = st.path("maxAttempts").asInt(settings.maxAttempts());
            if (fallbacks < 1 || attempts < 1) {
                throw new StoreException(FLOWS + " settings: 'handoffAfterFallbacks' and 'maxAttempts' must be >= 1");
            }
            settings = new FlowSet.Settings(fallbacks, attempts, text(st, "orderNumberFlow", null));
        }
        List<Flow> flows = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode n : list) {
            Flow f = flow(n, FLOWS + " flow " + (++i), faqIds, actions.keySet());
            if (!ids.add(f.id())) {
                throw new StoreException(FLOWS + ": duplicate flow id '" + f.id() + "'");
            }
            flows.add(f);
        }
        if (settings.orderNumberFlow() != null) {
            String wanted = settings.orderNumberFlow();
            Flow target = flows.stream().filter(f -> f.id().equals(wanted)).findFirst().orElse(null);
            if (target == null || target.slots().isEmpty() || !"order_id".equals(target.slots().get(0).type())) {
                throw new StoreException(FLOWS + " settings: 'orderNumberFlow' must name a flow whose first slot is an order_id, was '"
                        + settings.orderNumberFlow() + "'");
            }
        }
        Set<String> claimed = new LinkedHashSet<>();
        for (Flow f : flows) {
            for (String faq : f.faqTriggers()) {
                if (!claimed.add(faq)) {
                    throw new StoreException(FLOWS + " flow '" + f.id() + "': FAQ entry '" + faq + "' already starts another flow");
                }
            }
            for (Flow.Next nx : f.next()) {
                if (!ids.contains(nx.flow())) {
                    throw new StoreException(FLOWS + " flow '" + f.id() + "' next: no flow '" + nx.flow() + "'");
                }
            }
        }
        return new FlowSet(flows, actions, settings);
    }

    private static FlowSet.ActionConfig actionConfig(String name, JsonNode n) {
        String where = FLOWS + " action '" + name + "'";
        if (!n.isObject()) {
            throw new StoreException(where + ": expected {type: demo} or {type: webhook, url: ...}");
        }
        String type = text(n, "type", null);
        if (FlowSet.ActionConfig.DEMO.equals(type)) {
            return new FlowSet.ActionConfig(name, type, null, 0, 0, null);
        }
        if (!FlowSet.ActionConfig.WEBHOOK.equals(type)) {
            throw new StoreException(where + ": 'type' must be 'demo' or 'webhook', was '" + type + "'");
        }
        String url = required(n, "url", where);
        try {
            java.net.URI u = new java.net.URI(url);
            if (u.getHost() == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
                throw new java.net.URISyntaxException(url, "needs http(s)://host");
            }
        } catch (java.net.URISyntaxException e) {
            throw new StoreException(where + ": 'url' must be an http(s) URL, was '" + url + "'");
        }
        int timeout = n.path("timeoutMs").asInt(3000);
        int retries = n.path("retries").asInt(2);
        if (timeout < 1 || timeout > 60_000 || retries < 0 || retries > 5) {
            throw new StoreException(where + ": 'timeoutMs' must be 1-60000 and 'retries' 0-5");
        }
        return new FlowSet.ActionConfig(name, type, url, timeout, retries, text(n, "secret", null));
    }

    private static Flow flow(JsonNode n, String where, Set<String> faqIds, Set<String> actions) {
        String id = required(n, "id", where);
        if (!FLOW_ID.matcher(id).matches()) {
            throw new StoreException(where + ": id '" + id + "' must be lower-case letters, digits, '-' or '_'");
        }
        where = FLOWS + " flow '" + id + "'";
        JsonNode t = n.path("triggers");
        List<String> faqTriggers = new ArrayList<>();
        List<String> offerAfter = new ArrayList<>();
        Map<String, List<String>> phrasings = new LinkedHashMap<>();
        if (t.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = t.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                List<String> values = stringList(e.getValue(), where + " triggers." + e.getKey());
                switch (e.getKey()) {
                    case "faq" -> faqTriggers.addAll(values);
                    case "offerAfter" -> offerAfter.addAll(values);
                    default -> phrasings.put(e.getKey(), values);
                }
            }
        }
        if (faqTriggers.isEmpty() && phrasings.isEmpty()) {
            throw new StoreException(where + ": needs 'triggers' with phrasings per language and/or 'faq' ids");
        }
        for (String faq : concat(faqTriggers, offerAfter)) {
            if (!faqIds.contains(faq)) {
                throw new StoreException(where + ": triggers name FAQ entry '" + faq + "', which the FAQ does not have");
            }
        }
        List<Flow.Slot> slots = new ArrayList<>();
        Set<String> slotNames = new LinkedHashSet<>();
        for (JsonNode s : n.path("slots")) {
            Flow.Slot slot = slot(s, where, actions);
            if (!slotNames.add(slot.name())) {
                throw new StoreException(where + ": duplicate slot '" + slot.name() + "'");
            }
            slots.add(slot);
        }
        Flow.PromotionHook promo = null;
        if (n.has("promotion")) {
            JsonNode p = n.get("promotion");
            promo = new Flow.PromotionHook(required(p, "trigger", where + " promotion"),
                    template(text(p, "product", null), where + " promotion.product"),
                    template(text(p, "color", null), where + " promotion.color"));
        }
        String action = null;
        if (n.has("action")) {
            JsonNode an = n.get("action");
            action = an.isTextual() ? an.asText() : required(an, "name", where + " action");
            checkAction(action, actions, where);
        }
        List<Flow.Next> next = new ArrayList<>();
        for (JsonNode x : n.path("next")) {
            next.add(new Flow.Next(required(x, "when", where + " next"), required(x, "flow", where + " next"),
                    optionalTemplate(x, "say", where + " next.say")));
        }
        return new Flow(id, x(n, "name", where, Localized.of("en", id)), faqTriggers, offerAfter, phrasings,
                optionalTemplate(n, "offer", where), slots, promo, optionalTemplate(n, "confirm", where), action,
                optionalTemplate(n, "reply", where), optionalTemplate(n, "failure", where),
                optionalTemplate(n, "cancelled", where), next);
    }

    private static Flow.Slot slot(JsonNode s, String flowWhere, Set<String> actions) {
        String name = required(s, "name", flowWhere + " slot");
        String where = flowWhere + " slot '" + name + "'";
        String type = required(s, "type", where);
        if (!SLOT_TYPES.contains(type)) {
            throw new StoreException(where + ": type '" + type + "' is not one of " + String.join(", ", new java.util.TreeSet<>(SLOT_TYPES)));
        }
        boolean required = s.path("required").asBoolean(true);
        Localized prompt = optionalTemplate(s, "prompt", where);
        String def = template(text(s, "default", null), where + " default");
        if (required && prompt == null) {
            throw new StoreException(where + ": 'prompt' is required for a required slot");
        }
        Flow.Lookup lookup = null;
        if (s.has("lookup")) {
            JsonNode l = s.get("lookup");
            lookup = new Flow.Lookup(required(l, "action", where + " lookup"), text(l, "as", name));
            checkAction(lookup.action(), actions, where);
        }
        java.util.regex.Pattern pattern = null;
        if (s.has("pattern")) {
            try {
                pattern = java.util.regex.Pattern.compile(s.get("pattern").asText());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new StoreException(where + ": 'pattern' is not a valid regular expression: " + e.getDescription());
            }
        }
        return new Flow.Slot(name, type, prompt, optionalTemplate(s, "retry", where), required, def,
                text(s, "options", null), lookup, text(s, "require", null), optionalTemplate(s, "invalid", where),
                optionalTemplate(s, "unmet", where), pattern, s.path("fromContext").asBoolean(false));
    }

    private static void checkAction(String action, Set<String> actions, String where) {
        if (!actions.contains(action) && !BUILTIN_ACTIONS.contains(action)) {
            throw new StoreException(where + ": action '" + action + "' is not configured under 'actions' (built in: "
                    + String.join(", ", BUILTIN_ACTIONS) + ")");
        }
    }

    private static Localized x(JsonNode n, String field, String where, Localized def) {
        return n.has(field) ? localized(n.get(field), where + " " + field, null) : def;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
