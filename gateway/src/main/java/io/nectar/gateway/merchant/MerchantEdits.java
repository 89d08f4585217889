package io.nectar.gateway.merchant;

import io.nectar.gateway.merchant.MerchantKnowledge.Edit;
import io.nectar.gateway.merchant.MerchantKnowledge.EditRejected;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreException;
import io.nectar.gateway.store.StoreReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The merchant API's edits: request bodies checked field by field (a clear message for the first
 * problem, as a 400), turned into {@link Edit}s, and an edit applied to a merchant's documents and checked
 * against the whole store (what the store refuses is a 409). Pure functions; any thread.
 */
public final class MerchantEdits {

    /** Item ids in paths: FAQ ids, SKUs, promotion ids. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final int MAX_QUESTION_CHARS = 1000;
    static final int MAX_PARAPHRASES = 200;
    static final int MAX_ANSWER_CHARS = 8000;
    private static final Set<String> FAQ_FIELDS = Set.of("id", "lang", "question", "paraphrases", "answer");
    private static final Set<String> PRODUCT_FIELDS = Set.of("sku", "title", "category", "description", "keywords", "price", "variants");
    private static final Set<String> PROMOTION_FIELDS = Set.of("id", "name", "description", "type", "rule", "appliesTo",
            "validFrom", "validTo");
    private static final Set<String> OFFER_FIELDS = Set.of("id", "when", "offer", "text");

    private MerchantEdits() {
    }

    /** The result of applying an edit: the new documents and the store they make. */
    public record Applied(StoreDocuments docs, Store store, JsonObject before, JsonObject after) {
    }

    /**
     * {@code PUT /api/merchant/faq/{id}}: one {@code faq.jsonl} entry ({@code lang}, {@code question},
     * optional {@code paraphrases}, {@code answer}, optional {@code id} equal to the path's) creates the
     * entry or replaces that language of it; its other languages and tags stay.
     */
    public static Edit putFaq(String id, JsonObject body, Store store) {
        checkId(id, "FAQ id");
        unknownFields(body, FAQ_FIELDS, "an FAQ entry");
        sameId(body, "id", id);
        String lang = language(body, "lang", store);
        String question = text(body, "question", MAX_QUESTION_CHARS);
        JsonArray questions = new JsonArray().add(question.strip());
        Object p = body.getValue("paraphrases");
        if (p != null) {
            if (!(p instanceof JsonArray list)) {
                throw bad("'paraphrases' must be a list of texts");
            }
            if (list.size() > MAX_PARAPHRASES) {
                throw bad("'paraphrases' has " + list.size() + " texts; at most " + MAX_PARAPHRASES);
            }
            for (int i = 0; i < list.size(); i++) {
                if (!(list.getValue(i) instanceof String s) || s.isBlank() || s.length() > MAX_QUESTION_CHARS) {
                    throw bad("'paraphrases' item " + (i + 1) + " must be a non-empty text of at most " + MAX_QUESTION_CHARS + " characters");
                }
                questions.add(s.strip());
            }
        }
        String answer = text(body, "answer", MAX_ANSWER_CHARS);
        return new Edit(StoreDocuments.Kind.FAQ, id, before -> StoreDocuments.mergeFaqLanguage(before, id, lang, questions, answer));
    }

    /** {@code DELETE /api/merchant/faq/{id}[?lang=xx]}: the whole entry, or one language of it. */
    public static Edit deleteFaq(String id, String lang) {
        checkId(id, "FAQ id");
        return new Edit(StoreDocuments.Kind.FAQ, id, before -> {
            if (before == null) {
                throw new EditRejected(404, "no FAQ entry '" + id + "'");
            }
            if (lang == null) {
                return null;
            }
            JsonObject q = before.getJsonObject("questions", new JsonObject());
            if (!q.containsKey(lang)) {
                throw new EditRejected(404, "FAQ entry '" + id + "' has no language '" + lang + "'");
            }
            return StoreDocuments.removeFaqLanguage(before, lang);
        });
    }

    /**
     * {@code PUT /api/merchant/products/{sku}} and {@code /promotions/{id}}: one item in the shape of
     * products.yaml / promotions.yaml, replacing the whole item.
     */
    public static Edit putItem(StoreDocuments.Kind kind, String id, JsonObject body, Store store) {
        if (kind == StoreDocuments.Kind.OFFER) {
            return putOffer(id, body, store);
        }
        String idField = kind == StoreDocuments.Kind.PRODUCT ? "sku" : "id";
        checkId(id, kind == StoreDocuments.Kind.PRODUCT ? "SKU" : kind.noun() + " id");
        unknownFields(body, kind == StoreDocuments.Kind.PRODUCT ? PRODUCT_FIELDS : PROMOTION_FIELDS, "a " + kind.noun());
        sameId(body, idField, id);
        JsonObject item = body.copy().put(idField, id);
        if (kind == StoreDocuments.Kind.PRODUCT) {
            languages(item, "title", store);
            languages(item, "description", store);
            languages(item, "keywords", store);
        } else {
            languages(item, "name", store);
            languages(item, "description", store);
        }
        String file = kind == StoreDocuments.Kind.PRODUCT ? StoreReader.PRODUCTS : StoreReader.PROMOTIONS;
        byte[] bytes = new JsonArray().add(item).encode().getBytes(StandardCharsets.UTF_8);
        // the item checked alone, in a store of the same languages with one FAQ line (a store needs one)
        byte[] settings = new JsonObject().put("languages", new JsonArray(store.languages()))
                .put("defaultLanguage", store.defaultLanguage()).encode().getBytes(StandardCharsets.UTF_8);
        byte[] faq = new JsonObject().put("id", "check").put("lang", store.defaultLanguage()).put("question", "q")
                .put("answer", "a").encode().getBytes(StandardCharsets.UTF_8);
        try {
            StoreReader.read(name -> name.equals(file) ? Optional.of(new ByteArrayInputStream(bytes))
                    : name.equals(StoreReader.STORE) ? Optional.of(new ByteArrayInputStream(settings))
                    : name.equals(StoreReader.FAQ_JSONL) ? Optional.of(new ByteArrayInputStream(faq)) : Optional.empty(), "check");
        } catch (StoreException e) {
            throw bad("invalid " + kind.noun() + ": " + e.getMessage());
        }
        return new Edit(kind, id, before -> item);
    }

    /** {@code PUT /api/merchant/offers/{id}}: one offer rule as in offers.yaml, checked against the store it names. */
    static Edit putOffer(String id, JsonObject body, Store store) {
        checkId(id, "offer id");
        unknownFields(body, OFFER_FIELDS, "an offer rule");
        sameId(body, "id", id);
        JsonObject item = body.copy().put("id", id);
        try {
            io.nectar.gateway.store.SellingReader.checkOffer(item.encode(), store);
        } catch (StoreException e) {
            throw bad("invalid offer rule: " + e.getMessage());
        }
        return new Edit(StoreDocuments.Kind.OFFER, id, before -> item);
    }

    /** {@code DELETE /api/merchant/products/{sku}} and {@code /promotions/{id}}. */
    public static Edit deleteItem(StoreDocuments.Kind kind, String id) {
        checkId(id, kind.noun() + " id");
        return new Edit(kind, id, before -> {
            if (before == null) {
                throw new EditRejected(404, "no " + kind.noun() + " '" + id + "'");
            }
            return null;
        });
    }

    /**
     * Applies an edit to a merchant's documents and reads the resulting store: {@link EditRejected} 404
     * for a delete of nothing, 409 when the whole store refuses the change (say, an FAQ entry a flow
     * starts from is deleted).
     */
    public static Applied apply(StoreDocuments docs, Edit edit) {
        JsonObject before = docs.item(edit.kind(), edit.id());
        JsonObject after = edit.apply().apply(before == null ? null : before.copy());
        if (before == null && after == null) {
            throw new EditRejected(404, "no " + edit.kind().noun() + " '" + edit.id() + "'");
        }
        StoreDocuments next = after == null ? docs.without(edit.kind(), edit.id()) : docs.with(edit.kind(), edit.id(), after);
        try {
            return new Applied(next, next.toStore(), before, after);
        } catch (StoreException e) {
            throw new EditRejected(409, "the store refuses this change: " + e.getMessage());
        }
    }

    private static void checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw bad(what + " must be 1-128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit");
        }
    }

    private static void unknownFields(JsonObject body, Set<String> known, String what) {
        List<String> unknown = new ArrayList<>();
        for (String f : body.fieldNames()) {
            if (!known.contains(f)) {
                unknown.add(f);
            }
        }
        if (!unknown.isEmpty()) {
            throw bad("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown.stream().map(f -> "'" + f + "'").toList())
                    + " in " + what + " (fields: " + String.join(", ", known.stream().sorted().toList()) + ")");
        }
    }

    private static void sameId(JsonObject body, String field, String id) {
        Object v = body.getValue(field);
        if (v != null && !id.equals(v)) {
            throw bad("'" + field + "' in the body ('" + v + "') differs from the one in the path ('" + id + "')");
        }
    }

    private static String language(JsonObject body, String field, Store store) {
        Object v = body.getValue(field);
        if (!(v instanceof String lang) || lang.isBlank()) {
            throw bad("'" + field + "' is required: the entry's language, one of " + store.languages());
        }
        if (!store.languages().contains(lang)) {
            throw bad("'" + field + "' is '" + lang + "'; this store's languages are " + store.languages()
                    + " (store.yaml 'languages')");
        }
        return lang;
    }

    private static void languages(JsonObject item, String field, Store store) {
        Object v = item.getValue(field);
        if (v instanceof JsonObject byLang) {
            for (String lang : byLang.fieldNames()) {
                if (!store.languages().contains(lang)) {
                    throw bad("'" + field + "' has language '" + lang + "'; this store's languages are " + store.languages());
                }
            }
        } else if (v instanceof Map<?, ?>) {
            throw bad("'" + field + "' must map languages to texts");
        }
    }

    private static String text(JsonObject body, String field, int max) {
        Object v = body.getValue(field);
        if (!(v instanceof String s) || s.isBlank()) {
            throw bad("'" + field + "' is required and must be a non-empty text");
        }
        if (s.length() > max) {
            throw bad("'" + field + "' has " + s.length() + " characters; at most " + max);
        }
        return s;
    }

    private static EditRejected bad(String message) {
        return new EditRejected(400, message);
    }
}
