package io.nectar.gateway.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.nectar.gateway.store.YamlNodes.localized;
import static io.nectar.gateway.store.YamlNodes.text;

/**
 * Reads a store's selling settings: {@code shopperTokenSecret}, {@code reminders} and {@code offerLimits}
 * of store.yaml, and the offer rules of {@code offers.yaml} (docs/store-format.md). Every error is one
 * {@link StoreException} line naming the file, the entry and the fix.
 */
public final class SellingReader {

    static final String OFFERS = "offers.yaml";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private SellingReader() {
    }

    static Selling read(JsonNode store, JsonNode offers, String defaultLanguage, List<FaqEntry> faqs, List<Product> products,
                        List<Promotion> promotions) {
        String secret = text(store, "shopperTokenSecret", null);
        if (secret != null && secret.strip().length() < 16) {
            throw new StoreException(StoreReader.STORE + ": 'shopperTokenSecret' must be at least 16 characters");
        }
        return new Selling(secret == null ? null : secret.strip(), reminders(store.path("reminders"), defaultLanguage),
                limits(store.path("offerLimits")), rules(offers, defaultLanguage, faqs, products, promotions));
    }

    /** Checks one offer rule (as in offers.yaml) against a store; throws {@link StoreException} saying what is wrong. */
    public static Selling.OfferRule checkOffer(String ruleJson, Store store) {
        JsonNode list;
        try {
            list = YamlNodes.JSON.createArrayNode().add(YamlNodes.JSON.readTree(ruleJson));
        } catch (java.io.IOException e) {
            throw new StoreException(OFFERS + ": not JSON: " + e.getMessage());
        }
        return rules(list, store.defaultLanguage(), store.faqs(), store.products(), store.promotions()).get(0);
    }

    private static Selling.Reminders reminders(JsonNode n, String defaultLanguage) {
        Selling.Reminders d = Selling.Reminders.DEFAULT;
        if (n.isMissingNode() || n.isNull()) {
            return d;
        }
        String where = StoreReader.STORE + " reminders";
        if (!n.isObject()) {
            throw new StoreException(where + ": expected a mapping (delayMinutes: 30, quietHours: {from: \"22:00\", to: \"08:00\"}, ...)");
        }
        boolean enabled = n.path("enabled").asBoolean(true);
        int delay = integer(n, "delayMinutes", d.delayMinutes(), 1, 7 * 24 * 60, where);
        int expiry = integer(n, "orderExpiryMinutes", d.orderExpiryMinutes(), 1, 30 * 24 * 60, where);
        int perDay = integer(n, "perShopperPerDay", d.perShopperPerDay(), 0, 100, where);
        double holdout = n.has("holdout") ? n.get("holdout").asDouble(-1) : d.holdout();
        if (!(holdout >= 0 && holdout <= 0.5)) {
            throw new StoreException(where + ": 'holdout' must be a share from 0 to 0.5 (e.g. 0.1), got " + n.get("holdout"));
        }
        LocalTime from = d.quietFrom();
        LocalTime to = d.quietTo();
        JsonNode q = n.path("quietHours");
        if (q.isNull() || (q.isBoolean() && !q.asBoolean())) {
            from = null;
            to = null;
        } else if (!q.isMissingNode()) {
            from = time(q, "from", where + " quietHours");
            to = time(q, "to", where + " quietHours");
        }
        ZoneId zone = d.timeZone();
        String z = text(n, "timeZone", null);
        if (z != null) {
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                throw new StoreException(where + ": 'timeZone' must be a zone like Asia/Shanghai or UTC, got '" + z + "'");
            }
        }
        Localized text = n.has("text") ? localized(n.get("text"), where + " text", defaultLanguage) : Selling.Reminders.DEFAULT_TEXT;
        return new Selling.Reminders(enabled, delay, expiry, from, to, zone, perDay, holdout, text);
    }

    private static Selling.OfferLimits limits(JsonNode n) {
        Selling.OfferLimits d = Selling.OfferLimits.DEFAULT;
        if (n.isMissingNode() || n.isNull()) {
            return d;
        }
        String where = StoreReader.STORE + " offerLimits";
        if (!n.isObject()) {
            throw new StoreException(where + ": expected a mapping (perConversation: 2, perShopperPerDay: 3)");
        }
        return new Selling.OfferLimits(integer(n, "perConversation", d.perConversation(), 0, 20, where),
                integer(n, "perShopperPerDay", d.perShopperPerDay(), 0, 100, where));
    }

    private static List<Selling.OfferRule> rules(JsonNode offers, String defaultLanguage, List<FaqEntry> faqs,
                                                 List<Product> products, List<Promotion> promotions) {
        List<Selling.OfferRule> out = new ArrayList<>();
        if (offers == null || offers.isNull()) {
            return out;
        }
        JsonNode list = offers.isObject() ? offers.path("offers") : offers;
        if (!list.isArray()) {
            throw new StoreException(OFFERS + ": expected a list of offer rules (- id: ..., when: {product: SKU}, offer: {product: SKU})");
        }
        Set<String> skus = new HashSet<>();
        Set<String> categories = new HashSet<>();
        products.forEach(p -> {
            skus.add(p.sku());
            if (p.category() != null) {
                categories.add(p.category());
            }
        });
        Set<String> promotionIds = new HashSet<>();
        promotions.forEach(p -> promotionIds.add(p.id()));
        Set<String> faqIds = new HashSet<>();
        faqs.forEach(f -> faqIds.add(f.id()));
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode r : list) {
            i++;
            String id = text(r, "id", null);
            String where = OFFERS + " offer " + (id == null ? "#" + i : "'" + id + "'");
            if (id == null || !ID.matcher(id).matches()) {
                throw new StoreException(where + ": 'id' is required (1-128 letters, digits, '.', '_', ':', '-')");
            }
            if (!seen.add(id)) {
                throw new StoreException(where + ": the id is used twice. Fix: give each offer its own id");
            }
            JsonNode when = r.path("when");
            JsonNode offer = r.path("offer");
            String whenProduct = text(when, "product", null);
            String whenCategory = text(when, "category", null);
            String whenFaq = text(when, "faq", null);
            int conditions = (whenProduct == null ? 0 : 1) + (whenCategory == null ? 0 : 1) + (whenFaq == null ? 0 : 1);
            if (conditions != 1) {
                throw new StoreException(where + ": 'when' needs exactly one of product (a SKU), category or faq (an FAQ id)");
            }
            if (whenProduct != null && !skus.contains(whenProduct)) {
                throw new StoreException(where + ": when.product '" + whenProduct + "' is not in products.yaml");
            }
            if (whenCategory != null && !categories.contains(whenCategory)) {
                throw new StoreException(where + ": when.category '" + whenCategory + "' is no product's category");
            }
            if (whenFaq != null && !faqIds.contains(whenFaq)) {
                throw new StoreException(where + ": when.faq '" + whenFaq + "' is no FAQ entry");
            }
            String offerProduct = text(offer, "product", null);
            String offerPromotion = text(offer, "promotion", null);
            if ((offerProduct == null) == (offerPromotion == null)) {
                throw new StoreException(where + ": 'offer' needs exactly one of product (a SKU) or promotion (an id, or '"
                        + Selling.OfferRule.APPLICABLE + "')");
            }
            if (offerProduct != null && !skus.contains(offerProduct)) {
                throw new StoreException(where + ": offer.product '" + offerProduct + "' is not in products.yaml");
            }
            if (offerPromotion != null && !offerPromotion.equals(Selling.OfferRule.APPLICABLE) && !promotionIds.contains(offerPromotion)) {
                throw new StoreException(where + ": offer.promotion '" + offerPromotion + "' is not in promotions.yaml");
            }
            if (!r.has("text")) {
                throw new StoreException(where + ": 'text' is required: what the bot says when it offers, per language");
            }
            Localized text = localized(r.get("text"), where + " text", defaultLanguage);
            out.add(new Selling.OfferRule(id, whenProduct, whenCategory, whenFaq, offerProduct, offerPromotion, text));
        }
        return out;
    }

    private static int integer(JsonNode n, String field, int def, int min, int max, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.canConvertToInt() || v.asInt() < min || v.asInt() > max || !v.isIntegralNumber()) {
            throw new StoreException(where + ": '" + field + "' must be a whole number from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    private static LocalTime time(JsonNode n, String field, String where) {
        String s = text(n, field, null);
        try {
            return LocalTime.parse(s == null ? "" : s.length() == 4 ? "0" + s : s);
        } catch (DateTimeParseException e) {
            throw new StoreException(where + ": '" + field + "' must be a time like \"22:00\", got '" + s + "'");
        }
    }
}
