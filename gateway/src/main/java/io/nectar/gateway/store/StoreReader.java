package io.nectar.gateway.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses one store from its files ({@code store.yaml}, {@code faq.yaml}, {@code faq.jsonl},
 * {@code products.yaml}, {@code promotions.yaml}); see docs/store-format.md. Every error names the file
 * and the entry. Blocking; any thread.
 */
public final class StoreReader {

    /** Opens a file of the store by name, or returns empty when the store has no such file. */
    @FunctionalInterface
    public interface Files {
        Optional<InputStream> open(String name) throws IOException;
    }

    public static final String STORE = "store.yaml";
    public static final String FAQ = "faq.yaml";
    public static final String FAQ_JSONL = "faq.jsonl";
    public static final String PRODUCTS = "products.yaml";
    public static final String PROMOTIONS = "promotions.yaml";
    public static final String FLOWS = "flows.yaml";
    public static final String BACKEND = "backend.yaml";
    /** Actions every store has without configuring them. */
    public static final Set<String> BUILTIN_ACTIONS = Set.of("handoff");
    private static final Set<String> SLOT_TYPES = Set.of("order_id", "phone", "email", "quantity", "price", "date",
            "color", "size", "product", Flow.YES_NO, Flow.TEXT);
    private static final Pattern FLOW_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreReader() {
    }

    /**
     * @param defaultMerchantId the merchant id when store.yaml names none (the directory's name)
     */
    public static Store read(Files files, String defaultMerchantId) {
        JsonNode store = readYaml(files, STORE);
        if (store != null && !store.isObject()) {
            throw new StoreException(STORE + ": expected a mapping at the top level");
        }
        if (store == null) {
            store = YAML.createObjectNode();
        }
        String merchant = text(store, "merchant", defaultMerchantId);
        if (merchant == null || !MERCHANT_ID.matcher(merchant).matches()) {
            throw new StoreException(STORE + ": merchant id '" + merchant
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        Map<String, FaqEntry> faqs = new LinkedHashMap<>();
        JsonNode faqYaml = readYaml(files, FAQ);
        if (faqYaml != null) {
            if (!faqYaml.isArray()) {
                throw new StoreException(FAQ + ": expected a list of entries");
            }
            int i = 0;
            for (JsonNode n : faqYaml) {
                FaqEntry e = faqFromYaml(n, FAQ + " entry " + (++i));
                if (faqs.containsKey(e.id())) {
                    throw new StoreException(FAQ + ": duplicate id '" + e.id() + "'");
                }
                faqs.put(e.id(), e);
            }
        }
        readFaqJsonl(files, faqs);

        List<Product> products = new ArrayList<>();
        JsonNode productYaml = readYaml(files, PRODUCTS);
        if (productYaml != null) {
            if (!productYaml.isArray()) {
                throw new StoreException(PRODUCTS + ": expected a list of products");
            }
            Set<String> skus = new LinkedHashSet<>();
            int i = 0;
            for (JsonNode n : productYaml) {
                Product p = product(n, PRODUCTS + " product " + (++i));
                if (!skus.add(p.sku())) {
                    throw new StoreException(PRODUCTS + ": duplicate sku '" + p.sku() + "'");
                }
                products.add(p);
            }
        }

        List<Promotion> promotions = new ArrayList<>();
        JsonNode promoYaml = readYaml(files, PROMOTIONS);
        if (promoYaml != null) {
            if (!promoYaml.isArray()) {
                throw new StoreException(PROMOTIONS + ": expected a list of promotions");
            }
            int i = 0;
            for (JsonNode n : promoYaml) {
                promotions.add(promotion(n, PROMOTIONS + " promotion " + (++i)));
            }
        }

        Set<String> seenLanguages = new LinkedHashSet<>();
        faqs.values().forEach(f -> seenLanguages.addAll(f.questions().keySet()));
        List<String> languages = store.has("languages") ? stringList(store.get("languages"), STORE + " languages")
                : new ArrayList<>(seenLanguages);
        String defaultLanguage = text(store, "defaultLanguage", languages.isEmpty() ? "en" : languages.get(0));
        if (languages.isEmpty()) {
            languages = List.of(defaultLanguage);
        }

        Map<String, Localized> facts = new LinkedHashMap<>();
        if (store.has("facts")) {
            store.get("facts").fields().forEachRemaining(f ->
                    facts.put(f.getKey(), localized(f.getValue(), STORE + " facts." + f.getKey(), defaultLanguage)));
        }
        Map<String, Map<String, List<String>>> colors = new LinkedHashMap<>();
        if (store.has("colors")) {
            store.get("colors").fields().forEachRemaining(c ->
                    colors.put(c.getKey(), stringLists(c.getValue(), STORE + " colors." + c.getKey())));
        }

        Localized name = store.has("name") ? localized(store.get("name"), STORE + " name", defaultLanguage)
                : Localized.of(defaultLanguage, merchant);
        String orderIdPattern = text(store, "orderIdPattern", null);
        if (orderIdPattern != null) {
            try {
                Pattern.compile(orderIdPattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new StoreException(STORE + ": 'orderIdPattern' is not a valid regular expression: " + e.getDescription());
            }
        }
        String agentToken = text(store, "agentToken", null);
        if (agentToken != null && agentToken.strip().length() < 16) {
            throw new StoreException(STORE + ": 'agentToken' must be at least 16 characters");
        }
        FlowSet flows = flows(readYaml(files, FLOWS), faqs.keySet());
        JsonNode backendYaml = readYaml(files, BACKEND);
        if (backendYaml != null && !backendYaml.isObject()) {
            throw new StoreException(BACKEND + ": expected a mapping at the top level (orders: [...])");
        }
        Map<String, Object> backend = backendYaml == null ? Map.of() : plainMap(backendYaml);
        JsonNode smallTalk = store.path("smallTalk");
        if (!smallTalk.isMissingNode() && !smallTalk.isBoolean()) {
            throw new StoreException(STORE + ": 'smallTalk' must be true or false");
        }
        return new Store(merchant, name, defaultLanguage, languages, text(store, "currency", "CNY"),
                store.has("greeting") ? localized(store.get("greeting"), STORE + " greeting", defaultLanguage) : Localized.EMPTY,
                store.has("fallback") ? localized(store.get("fallback"), STORE + " fallback", defaultLanguage) : Localized.EMPTY,
                facts, colors, new ArrayList<>(faqs.values()), products, promotions, orderIdPattern,
                agentToken == null ? null : agentToken.strip(), flows, backend, smallTalk.asBoolean(true),
                answerPrecision(store));
    }

    /** {@code answerPrecision}: a number in [0.5, 1), or NaN when absent. */
    private static double answerPrecision(JsonNode store) {
        JsonNode p = store.path("answerPrecision");
        if (p.isMissingNode() || p.isNull()) {
            return Double.NaN;
        }
        if (!p.isNumber() || !(p.asDouble() >= 0.5 && p.asDouble() < 1)) {
            throw new StoreException(STORE + ": 'answerPrecision' must be a number from 0.5 to below 1 (e.g. 0.95), got " + p);
        }
        return p.asDouble();
    }

    // ---- flows.yaml ----

    private static FlowSet flows(JsonNode root, Set<String> faqIds) {
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

    private static Localized optionalTemplate(JsonNode n, String field, String where) {
        if (!n.has(field) || n.get(field).isNull()) {
            return null;
        }
        Localized l = localized(n.get(field), where + " " + field, null);
        l.texts().forEach((lang, text) -> template(text, where + " " + field + "." + lang));
        return l;
    }

    private static String template(String text, String where) {
        if (text != null) {
            try {
                Templates.check(text);
            } catch (IllegalArgumentException e) {
                throw new StoreException(where + ": bad template: " + e.getMessage());
            }
        }
        return text;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static JsonNode readYaml(Files files, String name) {
        try {
            Optional<InputStream> in = files.open(name);
            if (in.isEmpty()) {
                return null;
            }
            try (InputStream s = in.get()) {
                return YAML.readTree(s);
            }
        } catch (JsonProcessingException e) {
            throw new StoreException(name + ": not valid YAML: " + e.getMessage().replace('\n', ' '), e);
        } catch (IOException e) {
            throw new StoreException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void readFaqJsonl(Files files, Map<String, FaqEntry> faqs) {
        try {
            Optional<InputStream> in = files.open(FAQ_JSONL);
            if (in.isEmpty()) {
                return;
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in.get(), StandardCharsets.UTF_8))) {
                String line;
                int lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String where = FAQ_JSONL + " line " + lineNo;
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (JsonProcessingException e) {
                        throw new StoreException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
                    }
                    String id = required(n, "id", where);
                    String lang = text(n, "lang", null);
                    if (lang == null || lang.isBlank()) {
                        throw new StoreException(where + ": 'lang' is required");
                    }
                    List<String> questions = new ArrayList<>();
                    questions.add(required(n, "question", where));
                    if (n.has("paraphrases")) {
                        questions.addAll(stringList(n.get("paraphrases"), where + " paraphrases"));
                    }
                    String answer = required(n, "answer", where);
                    FaqEntry e = new FaqEntry(id, Map.of(lang, questions), Localized.of(lang, answer), List.of());
                    faqs.merge(id, e, FaqEntry::merge);
                }
            }
        } catch (IOException e) {
            throw new StoreException(FAQ_JSONL + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static FaqEntry faqFromYaml(JsonNode n, String where) {
        String id = required(n, "id", where);
        where = FAQ + " entry '" + id + "'";
        if (!n.has("questions") || !n.get("questions").isObject()) {
            throw new StoreException(where + ": 'questions' must map languages to lists of questions");
        }
        Map<String, List<String>> questions = stringLists(n.get("questions"), where + " questions");
        if (questions.values().stream().allMatch(List::isEmpty)) {
            throw new StoreException(where + ": needs at least one question");
        }
        if (!n.has("answer")) {
            throw new StoreException(where + ": 'answer' is required");
        }
        Localized answer = localized(n.get("answer"), where + " answer", null);
        List<String> tags = n.has("tags") ? stringList(n.get("tags"), where + " tags") : List.of();
        return new FaqEntry(id, questions, answer, tags);
    }

    private static Product product(JsonNode n, String where) {
        String sku = required(n, "sku", where);
        where = PRODUCTS + " product '" + sku + "'";
        if (!n.has("title")) {
            throw new StoreException(where + ": 'title' is required");
        }
        BigDecimal price = decimal(n, "price", where);
        List<Variant> variants = new ArrayList<>();
        if (n.has("variants")) {
            int i = 0;
            for (JsonNode v : n.get("variants")) {
                String vWhere = where + " variant " + (++i);
                String vSku = text(v, "sku", sku + "-" + i);
                int stock = v.has("stock") ? v.get("stock").asInt(-1) : 0;
                if (stock < 0) {
                    throw new StoreException(vWhere + ": 'stock' must be a whole number >= 0");
                }
                BigDecimal vPrice = v.has("price") ? decimal(v, "price", vWhere) : price;
                variants.add(new Variant(vSku, text(v, "color", null), text(v, "size", null), stock, vPrice));
            }
        }
        return new Product(sku, localized(n.get("title"), where + " title", null), text(n, "category", ""),
                n.has("description") ? localized(n.get("description"), where + " description", null) : Localized.EMPTY,
                n.has("keywords") ? stringLists(n.get("keywords"), where + " keywords") : Map.of(),
                price, variants);
    }

    private static Promotion promotion(JsonNode n, String where) {
        String id = required(n, "id", where);
        where = PROMOTIONS + " promotion '" + id + "'";
        return new Promotion(id,
                n.has("name") ? localized(n.get("name"), where + " name", null) : Localized.EMPTY,
                n.has("description") ? localized(n.get("description"), where + " description", null) : Localized.EMPTY,
                text(n, "type", "other"),
                n.has("rule") ? plainMap(n.get("rule")) : Map.of(),
                n.has("appliesTo") ? plainMap(n.get("appliesTo")) : Map.of(),
                date(n, "validFrom", where), date(n, "validTo", where));
    }

    private static Map<String, Object> plainMap(JsonNode n) {
        Map<String, Object> m = YAML.convertValue(n, YAML.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        return m == null ? Map.of() : m;
    }

    private static LocalDate date(JsonNode n, String field, String where) {
        String s = text(n, field, null);
        if (s == null) {
            return null;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new StoreException(where + ": '" + field + "' must be a date like 2026-11-11, was '" + s + "'");
        }
    }

    private static BigDecimal decimal(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        try {
            BigDecimal d = new BigDecimal(v.asText());
            if (d.signum() < 0) {
                throw new StoreException(where + ": '" + field + "' must not be negative");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new StoreException(where + ": '" + field + "' must be a number, was '" + v.asText() + "'");
        }
    }

    private static Localized localized(JsonNode n, String where, String defaultLanguage) {
        if (n.isTextual() && defaultLanguage != null) {
            return Localized.of(defaultLanguage, n.asText());
        }
        if (!n.isObject()) {
            throw new StoreException(where + ": expected texts keyed by language, e.g. {zh: ..., en: ...}");
        }
        Map<String, String> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new StoreException(where + "." + e.getKey() + ": expected a text");
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return new Localized(m);
    }

    private static Map<String, List<String>> stringLists(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new StoreException(where + ": expected lists keyed by language, e.g. {zh: [...], en: [...]}");
        }
        Map<String, List<String>> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), stringList(e.getValue(), where + "." + e.getKey())));
        return m;
    }

    private static List<String> stringList(JsonNode n, String where) {
        List<String> out = new ArrayList<>();
        if (n.isValueNode() && !n.isNull()) {
            out.add(n.asText());
            return out;
        }
        if (!n.isArray()) {
            throw new StoreException(where + ": expected a list of texts");
        }
        for (JsonNode x : n) {
            if (!x.isValueNode() || x.isNull() || x.asText().isBlank()) {
                throw new StoreException(where + ": expected non-empty texts");
            }
            out.add(x.asText().strip());
        }
        return out;
    }

    private static String required(JsonNode n, String field, String where) {
        String v = text(n, field, null);
        if (v == null || v.isBlank()) {
            throw new StoreException(where + ": '" + field + "' is required");
        }
        return v;
    }

    private static String text(JsonNode n, String field, String def) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? def : v.asText();
    }
}
