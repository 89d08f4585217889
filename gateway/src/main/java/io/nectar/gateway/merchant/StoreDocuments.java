package io.nectar.gateway.merchant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreException;
import io.nectar.gateway.store.StoreReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.Base64;
import io.nectar.gateway.store.Storefront;

/**
 * A merchant's store as documents: {@code store.yaml} as one JSON object (its settings), and every FAQ
 * entry, product, promotion, offer rule and flow as one JSON object in the shape of an item of its store file
 * (docs/store-format.md), plus the flows' actions and settings and the demo backend's data as whole
 * documents. This is what PostgreSQL keeps (one row per item) and what the merchant API edits; a
 * {@link Store} is made from it by handing {@link StoreReader} files synthesised from the documents
 * (YAML is a superset of JSON), so the same reader parses and validates both. FAQ entries are kept in
 * the {@code faq.yaml} shape: a {@code faq.jsonl} line becomes (or merges into) one. Immutable.
 */
public final class StoreDocuments {

    /** The kinds of item, with the PostgreSQL table of each. */
    public enum Kind {
        FAQ("faq_entries", "FAQ entry"),
        PRODUCT("products", "product"),
        PROMOTION("promotions", "promotion"),
        OFFER("offers", "offer rule"),
        FLOW("flows", "flow"),
        /** whole documents: {@value #FLOW_CONFIG} and {@value #BACKEND} */
        DOCUMENT("store_documents", "document");

        private final String table;
        private final String noun;

        Kind(String table, String noun) {
            this.table = table;
            this.noun = noun;
        }

        public String table() {
            return table;
        }

        public String noun() {
            return noun;
        }
    }

    /** The {@code actions} and {@code settings} of flows.yaml. */
    public static final String FLOW_CONFIG = "flow-config";
    /** backend.yaml. */
    public static final String BACKEND = "backend";
    /** A file of the store's media/ folder: {@code media:<file>}, {@code {"contentType", "base64"}}. */
    public static final String MEDIA_PREFIX = "media:";
    /** store.yaml's field with the hex SHA-256 of the merchant API key. */
    public static final String API_KEY_FIELD = "apiKeySha256";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String merchantId;
    private final JsonObject settings;
    private final Map<Kind, Map<String, JsonObject>> items;

    private StoreDocuments(String merchantId, JsonObject settings, Map<Kind, Map<String, JsonObject>> items) {
        this.merchantId = merchantId;
        this.settings = settings;
        this.items = items;
    }

    /** A merchant with these settings (store.yaml) and items, in order. */
    public static StoreDocuments of(String merchantId, JsonObject settings, Map<Kind, ? extends Map<String, JsonObject>> items) {
        Map<Kind, Map<String, JsonObject>> copy = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            Map<String, JsonObject> m = items.get(k);
            copy.put(k, Collections.unmodifiableMap(m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m)));
        }
        JsonObject s = settings == null ? new JsonObject() : settings.copy();
        s.put("merchant", merchantId);
        return new StoreDocuments(merchantId, s, copy);
    }

    /**
     * Reads a store's files into documents. The files are first read as a {@link Store} (so a broken
     * store fails exactly as it would from its files, naming the file and entry), then as documents.
     */
    public static StoreDocuments read(StoreReader.Files files, String defaultMerchantId) {
        Store store = StoreReader.read(files, defaultMerchantId);
        JsonNode storeYaml = yaml(files, StoreReader.STORE);
        JsonObject settings = storeYaml == null ? new JsonObject() : object(storeYaml);
        checkApiKeyHash(settings);
        io.nectar.gateway.auth.StoreAgents.read(store.merchantId(), settings); // agents: checked like any store field
        io.nectar.gateway.webhook.WebhookSettings.of(settings);
        Map<Kind, Map<String, JsonObject>> items = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            items.put(k, new LinkedHashMap<>());
        }
        JsonNode faq = yaml(files, StoreReader.FAQ);
        if (faq != null) {
            faq.forEach(n -> {
                JsonObject e = object(n);
                items.get(Kind.FAQ).put(e.getString("id"), e);
            });
        }
        readFaqJsonl(files, items.get(Kind.FAQ));
        list(yaml(files, StoreReader.PRODUCTS), "sku", items.get(Kind.PRODUCT));
        list(yaml(files, StoreReader.PROMOTIONS), "id", items.get(Kind.PROMOTION));
        JsonNode offers = yaml(files, StoreReader.OFFERS);
        list(offers != null && offers.isObject() ? offers.get("offers") : offers, "id", items.get(Kind.OFFER));
        JsonNode flows = yaml(files, StoreReader.FLOWS);
        if (flows != null) {
            list(flows.isArray() ? flows : flows.get("flows"), "id", items.get(Kind.FLOW));
            if (flows.isObject() && (flows.has("actions") || flows.has("settings"))) {
                JsonObject config = new JsonObject();
                if (flows.has("actions")) {
                    config.put("actions", object(flows.get("actions")));
                }
                if (flows.has("settings")) {
                    config.put("settings", object(flows.get("settings")));
                }
                items.get(Kind.DOCUMENT).put(FLOW_CONFIG, config);
            }
        }
        JsonNode backend = yaml(files, StoreReader.BACKEND);
        if (backend != null) {
            items.get(Kind.DOCUMENT).put(BACKEND, object(backend));
        }
        // the media files the store names (logo, product pictures) travel with it, base64 in a document each
        store.storefront().media().forEach((name, m) -> items.get(Kind.DOCUMENT).put(MEDIA_PREFIX + name,
                new JsonObject().put("contentType", m.contentType()).put("base64", Base64.getEncoder().encodeToString(m.bytes()))));
        return of(store.merchantId(), settings, items);
    }

    public String merchantId() {
        return merchantId;
    }

    /** store.yaml as JSON (a copy). */
    public JsonObject settings() {
        return settings.copy();
    }

    /** The hex SHA-256 of the merchant API key (store.yaml {@value #API_KEY_FIELD}), or {@code null}. */
    public String apiKeyHash() {
        return settings.getString(API_KEY_FIELD);
    }

    /** The items of a kind, in order (copies). */
    public List<JsonObject> items(Kind kind) {
        List<JsonObject> out = new ArrayList<>();
        items.get(kind).values().forEach(j -> out.add(j.copy()));
        return out;
    }

    /** Item ids of a kind, in order. */
    public List<String> ids(Kind kind) {
        return List.copyOf(items.get(kind).keySet());
    }

    /** One item (a copy), or {@code null}. */
    public JsonObject item(Kind kind, String id) {
        JsonObject j = items.get(kind).get(id);
        return j == null ? null : j.copy();
    }

    /** These documents with one item added or replaced (in place when it exists, else at the end). */
    public StoreDocuments with(Kind kind, String id, JsonObject doc) {
        Map<Kind, Map<String, JsonObject>> next = new EnumMap<>(items);
        Map<String, JsonObject> m = new LinkedHashMap<>(items.get(kind));
        m.put(id, doc.copy());
        next.put(kind, m);
        return of(merchantId, settings, next);
    }

    /** These documents without one item. */
    public StoreDocuments without(Kind kind, String id) {
        Map<Kind, Map<String, JsonObject>> next = new EnumMap<>(items);
        Map<String, JsonObject> m = new LinkedHashMap<>(items.get(kind));
        m.remove(id);
        next.put(kind, m);
        return of(merchantId, settings, next);
    }

    /** The same store under another merchant id. */
    public StoreDocuments withMerchantId(String id) {
        JsonObject s = settings.copy().put("merchant", id);
        StoreDocuments d = of(id, s, items);
        d.toStore();   // the id must be a valid merchant id
        return d;
    }

    /** These documents with other settings (store.yaml). */
    public StoreDocuments withSettings(JsonObject newSettings) {
        checkApiKeyHash(newSettings);
        return of(merchantId, newSettings, items);
    }

    /**
     * The store these documents describe, parsed and validated by {@link StoreReader} from synthesised
     * files; fails with its {@link StoreException}.
     */
    public Store toStore() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(StoreReader.STORE, bytes(settings.encode()));
        files.put(StoreReader.FAQ, bytes(new JsonArray(new ArrayList<>(items.get(Kind.FAQ).values())).encode()));
        files.put(StoreReader.PRODUCTS, bytes(new JsonArray(new ArrayList<>(items.get(Kind.PRODUCT).values())).encode()));
        files.put(StoreReader.PROMOTIONS, bytes(new JsonArray(new ArrayList<>(items.get(Kind.PROMOTION).values())).encode()));
        if (!items.get(Kind.OFFER).isEmpty()) {
            files.put(StoreReader.OFFERS, bytes(new JsonArray(new ArrayList<>(items.get(Kind.OFFER).values())).encode()));
        }
        JsonObject config = items.get(Kind.DOCUMENT).get(FLOW_CONFIG);
        if (!items.get(Kind.FLOW).isEmpty() || config != null) {
            JsonObject flows = config == null ? new JsonObject() : config.copy();
            flows.put("flows", new JsonArray(new ArrayList<>(items.get(Kind.FLOW).values())));
            files.put(StoreReader.FLOWS, bytes(flows.encode()));
        }
        JsonObject backend = items.get(Kind.DOCUMENT).get(BACKEND);
        if (backend != null) {
            files.put(StoreReader.BACKEND, bytes(backend.encode()));
        }
        items.get(Kind.DOCUMENT).forEach((id, doc) -> {
            if (id.startsWith(MEDIA_PREFIX)) {
                files.put(Storefront.MEDIA_DIR + "/" + id.substring(MEDIA_PREFIX.length()),
                        Base64.getDecoder().decode(doc.getString("base64", "")));
            }
        });
        return StoreReader.read(name -> Optional.ofNullable(files.get(name)).map(ByteArrayInputStream::new), merchantId);
    }

    private static void checkApiKeyHash(JsonObject settings) {
        Object h = settings.getValue(API_KEY_FIELD);
        if (h != null && !(h instanceof String s && SHA256_HEX.matcher(s).matches())) {
            throw new StoreException(StoreReader.STORE + ": '" + API_KEY_FIELD + "' must be the SHA-256 of the merchant API key "
                    + "as 64 lower-case hex digits (ops/store key-hash KEY prints it)");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void list(JsonNode list, String idField, Map<String, JsonObject> into) {
        if (list == null) {
            return;
        }
        list.forEach(n -> {
            JsonObject j = object(n);
            into.put(j.getString(idField), j);
        });
    }

    /** A faq.jsonl line as (or merged into) a faq.yaml entry: the line's language replaces that language. */
    private static void readFaqJsonl(StoreReader.Files files, Map<String, JsonObject> faqs) {
        try {
            Optional<InputStream> in = files.open(StoreReader.FAQ_JSONL);
            if (in.isEmpty()) {
                return;
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in.get(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonObject n = object(JSON.readTree(line));
                    String id = n.getValue("id").toString();
                    JsonArray questions = new JsonArray().add(n.getValue("question").toString());
                    Object paraphrases = n.getValue("paraphrases");
                    if (paraphrases instanceof JsonArray list) {
                        list.forEach(p -> questions.add(String.valueOf(p)));
                    } else if (paraphrases != null) {
                        questions.add(paraphrases.toString());
                    }
                    faqs.put(id, mergeFaqLanguage(faqs.get(id), id, n.getValue("lang").toString(), questions,
                            n.getValue("answer").toString()));
                }
            }
        } catch (IOException e) {
            throw new StoreException(StoreReader.FAQ_JSONL + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** An FAQ entry (faq.yaml shape) with one language's questions and answer set: {@code existing} may be null. */
    public static JsonObject mergeFaqLanguage(JsonObject existing, String id, String lang, JsonArray questions, String answer) {
        JsonObject e = existing == null ? new JsonObject().put("id", id) : existing.copy();
        JsonObject q = e.getJsonObject("questions", new JsonObject()).copy();
        JsonObject a = e.getValue("answer") instanceof JsonObject ans ? ans.copy() : new JsonObject();
        q.put(lang, questions.copy());
        a.put(lang, answer);
        return e.put("questions", q).put("answer", a);
    }

    /** An FAQ entry without one language, or {@code null} when that was its only language. */
    public static JsonObject removeFaqLanguage(JsonObject existing, String lang) {
        JsonObject e = existing.copy();
        JsonObject q = e.getJsonObject("questions", new JsonObject()).copy();
        JsonObject a = e.getValue("answer") instanceof JsonObject ans ? ans.copy() : new JsonObject();
        q.remove(lang);
        a.remove(lang);
        if (q.isEmpty()) {
            return null;
        }
        return e.put("questions", q).put("answer", a);
    }

    private static JsonNode yaml(StoreReader.Files files, String name) {
        try {
            Optional<InputStream> in = files.open(name);
            if (in.isEmpty()) {
                return null;
            }
            try (InputStream s = in.get()) {
                return YAML.readTree(s);
            }
        } catch (IOException e) {
            throw new StoreException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonObject object(JsonNode n) {
        Map<String, Object> m = YAML.convertValue(n, Map.class);
        return new JsonObject(m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoreDocuments d && merchantId.equals(d.merchantId) && settings.equals(d.settings) && items.equals(d.items);
    }

    @Override
    public int hashCode() {
        return merchantId.hashCode();
    }
}
