package io.nectar.gateway.offers;

import io.nectar.gateway.chat.ReplyCards;
import io.nectar.gateway.dialogue.DialogueState;
import io.nectar.gateway.dialogue.Turn;
import io.nectar.gateway.store.Product;
import io.nectar.gateway.store.Promotion;
import io.nectar.gateway.store.Selling;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Which offer, if any, goes with a reply (docs/store-format.md, "offers.yaml"). Only at a natural point:
 * the reply answered a question from the FAQ, a product or a promotion, no flow is running or waiting
 * (nor ended with this message), nothing is being offered already (a flow, a person), the conversation is
 * not with a person. Then the first rule that fits the answer and has not been shown in this conversation
 * wins, while the conversation is under its cap. Pure; any thread.
 */
public final class OfferPicker {

    /** An offer to show: the rule, its text in the reply's language, and its card. */
    public record Offer(Selling.OfferRule rule, String text, JsonObject card, String sku) {
        /** The {@code offer} object of the reply frame. */
        public JsonObject toJson() {
            return new JsonObject().put("id", rule.id()).put("text", text).put("card", card.copy());
        }
    }

    private OfferPicker() {
    }

    /** Whether this reply is a natural point for an offer. */
    public static boolean naturalPoint(Turn t) {
        String source = t.source();
        if (!("faq".equals(source) || "product".equals(source) || "promotion".equals(source))) {
            return false;
        }
        DialogueState s = t.state();
        return s.active == null && s.suspended.isEmpty() && s.offer == null && !s.handedOff() && t.flow() == null
                && t.handoffReason() == null && !t.handoffOffered() && t.ref() != null;
    }

    /** The offer for this reply, or {@code null}. */
    public static Offer pick(Store store, Turn t, LocalDate today) {
        Selling selling = store.selling();
        if (selling.offers().isEmpty() || !naturalPoint(t)
                || t.state().offersShown.size() >= selling.offerLimits().perConversation()) {
            return null;
        }
        List<String> shown = t.state().offersShown;
        Product about = "product".equals(t.source()) ? store.product(t.ref()) : null;
        for (Selling.OfferRule r : selling.offers()) {
            if (shown.contains(r.id()) || !fits(r, t, about)) {
                continue;
            }
            Offer o = offer(store, r, t.lang(), about, today);
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    private static boolean fits(Selling.OfferRule r, Turn t, Product about) {
        if (r.whenFaq() != null) {
            return "faq".equals(t.source()) && r.whenFaq().equals(t.ref());
        }
        if (about == null) {
            return false;
        }
        return r.whenProduct() != null ? r.whenProduct().equals(about.sku()) : r.whenCategory().equals(about.category());
    }

    private static Offer offer(Store store, Selling.OfferRule r, String lang, Product about, LocalDate today) {
        String text = r.text().get(lang, store.defaultLanguage());
        if (r.offerProduct() != null) {
            Product p = store.product(r.offerProduct());
            if (p == null || (about != null && about.sku().equals(p.sku())) || p.totalStock() <= 0) {
                return null; // never offer what is being discussed, or what cannot be bought
            }
            return new Offer(r, text, ReplyCards.productCard(store, p, lang), p.sku());
        }
        Promotion promo = Selling.OfferRule.APPLICABLE.equals(r.offerPromotion()) ? applicable(store, about, today)
                : store.promotion(r.offerPromotion());
        if (promo == null || !promo.activeOn(today)) {
            return null;
        }
        return new Offer(r, text, ReplyCards.promotionCard(store, promo, lang), null);
    }

    /** The first promotion running today that applies to {@code product} (its SKU or its category). */
    static Promotion applicable(Store store, Product product, LocalDate today) {
        if (product == null) {
            return null;
        }
        for (Promotion p : store.promotions()) {
            if (p.activeOn(today) && appliesTo(p.appliesTo(), product)) {
                return p;
            }
        }
        return null;
    }

    private static boolean appliesTo(Map<String, Object> appliesTo, Product product) {
        return appliesTo.get("skus") instanceof List<?> skus && skus.contains(product.sku())
                || appliesTo.get("categories") instanceof List<?> cats && cats.contains(product.category());
    }
}
