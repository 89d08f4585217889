package io.nectar.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static io.nectar.gateway.store.YamlNodes.localized;
import static io.nectar.gateway.store.YamlNodes.plainMap;
import static io.nectar.gateway.store.YamlNodes.stringList;
import static io.nectar.gateway.store.YamlNodes.stringLists;
import static io.nectar.gateway.store.YamlNodes.text;

/**
 * Reads one store from its files (see docs/store-format.md): {@code store.yaml} here, the FAQ in
 * {@link FaqReader}, the catalogue and promotions in {@link CatalogReader}, the flows in
 * {@link FlowsReader}. Every error is one {@link StoreException} line naming the file, the entry (the
 * line and column of a syntax error) and the fix. Blocking; any thread.
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
    public static final String OFFERS = SellingReader.OFFERS;
    /** Actions every store has without configuring them. */
    public static final Set<String> BUILTIN_ACTIONS = FlowsReader.BUILTIN_ACTIONS;

    private static final Pattern MERCHANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String MERCHANT_ID_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private StoreReader() {
    }

    /**
     * @param defaultMerchantId the merchant id when store.yaml names none (the directory's name)
     */
    public static Store read(Files files, String defaultMerchantId) {
        JsonNode store = YamlNodes.readYaml(files, STORE);
        if (store != null && !store.isObject()) {
            throw new StoreException(STORE + ": expected a mapping at the top level (name: ..., languages: [...], ...)");
        }
        if (store == null) {
            store = YamlNodes.YAML.createObjectNode();
        }
        String merchant = merchantId(store, defaultMerchantId);

        Map<String, FaqEntry> faqs = FaqReader.read(files);
        if (faqs == null) {
            throw StoreException.ofDirectory("no " + FAQ + " or " + FAQ_JSONL + ": a store answers from its FAQ. Fix: add "
                    + FAQ_JSONL + " with one question a line, e.g. {\"id\":\"shipping\",\"lang\":\"en\",\"question\":"
                    + "\"When do you ship?\",\"answer\":\"Within 48 hours.\"} (docs/store-format.md)");
        }
        if (faqs.isEmpty()) {
            throw new StoreException(FAQ + "/" + FAQ_JSONL + ": no FAQ entries. Fix: add at least one question and its answer");
        }
        List<Product> products = CatalogReader.products(YamlNodes.readYaml(files, PRODUCTS));
        List<Promotion> promotions = CatalogReader.promotions(YamlNodes.readYaml(files, PROMOTIONS));

        // store.yaml, top level: one block per field (or group of fields)
        Set<String> seenLanguages = new LinkedHashSet<>();
        faqs.values().forEach(f -> seenLanguages.addAll(f.questions().keySet()));
        List<String> declared = store.has("languages") ? stringList(store.get("languages"), STORE + " languages")
                : new ArrayList<>(seenLanguages);
        String defaultLanguage = text(store, "defaultLanguage", declared.isEmpty() ? "en" : declared.get(0));
        List<String> languages = declared.isEmpty() ? List.of(defaultLanguage) : declared;

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
        Localized greeting = store.has("greeting") ? localized(store.get("greeting"), STORE + " greeting", defaultLanguage)
                : StoreDefaults.greeting(name, languages, defaultLanguage);
        Localized fallback = store.has("fallback") ? localized(store.get("fallback"), STORE + " fallback", defaultLanguage)
                : Localized.EMPTY;
        String orderIdPattern = orderIdPattern(store);
        String agentToken = agentToken(store);
        JsonNode smallTalk = store.path("smallTalk");
        if (!smallTalk.isMissingNode() && !smallTalk.isBoolean()) {
            throw new StoreException(STORE + ": 'smallTalk' must be true or false");
        }

        FlowSet flows = FlowsReader.read(YamlNodes.readYaml(files, FLOWS), faqs.keySet());
        JsonNode backendYaml = YamlNodes.readYaml(files, BACKEND);
        if (backendYaml != null && !backendYaml.isObject()) {
            throw new StoreException(BACKEND + ": expected a mapping at the top level (orders: [...])");
        }
        Map<String, Object> backend = backendYaml == null ? Map.of() : plainMap(backendYaml);
        return new Store(merchant, name, defaultLanguage, languages, text(store, "currency", "CNY"), greeting, fallback,
                facts, colors, new ArrayList<>(faqs.values()), products, promotions, orderIdPattern, agentToken, flows,
                backend, smallTalk.asBoolean(true), Storefront.read(store, products, files), answerPrecision(store),
                SellingReader.read(store, YamlNodes.readYaml(files, OFFERS), defaultLanguage, new ArrayList<>(faqs.values()),
                        products, promotions));
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

    /** store.yaml's {@code merchant}, else the directory's name; either must be a valid id. */
    private static String merchantId(JsonNode store, String directoryName) {
        String own = text(store, "merchant", null);
        if (own != null) {
            if (!MERCHANT_ID.matcher(own).matches()) {
                throw new StoreException(STORE + ": merchant id '" + own + "' must be " + MERCHANT_ID_RULE);
            }
            return own;
        }
        if (directoryName == null || !MERCHANT_ID.matcher(directoryName).matches()) {
            String suggestion = directoryName == null ? "my-shop"
                    : directoryName.strip().replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[._-]+|-+$", "");
            if (suggestion.isEmpty() || !MERCHANT_ID.matcher(suggestion).matches()) {
                suggestion = "my-shop";
            }
            throw StoreException.ofDirectory("the directory's name '" + directoryName + "' is the merchant id, which must be "
                    + MERCHANT_ID_RULE + ". Fix: rename the directory (e.g. '" + suggestion + "') or put 'merchant: "
                    + suggestion + "' in a " + STORE + " there");
        }
        return directoryName;
    }

    private static String orderIdPattern(JsonNode store) {
        String pattern = text(store, "orderIdPattern", null);
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new StoreException(STORE + ": 'orderIdPattern' is not a valid regular expression: " + e.getDescription());
            }
        }
        return pattern;
    }

    private static String agentToken(JsonNode store) {
        String token = text(store, "agentToken", null);
        if (token != null && token.strip().length() < 16) {
            throw new StoreException(STORE + ": 'agentToken' must be at least 16 characters");
        }
        return token == null ? null : token.strip();
    }
}
