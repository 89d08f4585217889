package io.nectar.gateway.store;

import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

/**
 * What a store sets for selling rather than answering (docs/store-format.md): the secret its shop signs
 * shopper tokens with, its unpaid-order reminders, and its offer rules ({@code offers.yaml}) with their
 * caps. Immutable.
 *
 * @param shopperTokenSecret HMAC key of shopper tokens ({@code shopperTokenSecret} in store.yaml), or {@code null}:
 *                           then every shopper is anonymous (no reminders, no conversion)
 * @param reminders          unpaid-order reminder settings
 * @param offerLimits        caps on offers
 * @param offers             offer rules in order (the first rule that fits wins)
 */
public record Selling(String shopperTokenSecret, Reminders reminders, OfferLimits offerLimits, List<OfferRule> offers) {

    public static final Selling NONE = new Selling(null, Reminders.DEFAULT, OfferLimits.DEFAULT, List.of());

    public Selling {
        offers = List.copyOf(offers);
    }

    /**
     * Unpaid-order reminders ({@code reminders:} in store.yaml).
     *
     * @param enabled            false: order events are recorded, no reminder is scheduled
     * @param delayMinutes       how long after an order is created it must still be unpaid to get a reminder
     * @param orderExpiryMinutes an order's life when its created event names no {@code expiresAt}
     * @param quietFrom          start of quiet hours (no reminder is sent), or {@code null} for none
     * @param quietTo            end of quiet hours
     * @param timeZone           the zone of quiet hours and of the per-day cap
     * @param perShopperPerDay   most reminders one shopper gets in a day
     * @param holdout            share of orders, 0–0.5, that get no reminder (chosen by order id) to measure uplift
     * @param text               the reminder's text per language; {@code {order}} and {@code {amount}} are filled in
     */
    public record Reminders(boolean enabled, int delayMinutes, int orderExpiryMinutes, LocalTime quietFrom, LocalTime quietTo,
                            ZoneId timeZone, int perShopperPerDay, double holdout, Localized text) {
        public static final Localized DEFAULT_TEXT = new Localized(java.util.Map.of(
                "zh", "亲，您的订单 {order} 还没有付款哦，商品已为您保留，方便时完成付款即可。如有疑问随时问我。",
                "en", "Your order {order} is still waiting for payment; we're holding the items for you. Complete the payment "
                        + "whenever it suits you, and ask me if anything is unclear."));
        public static final Reminders DEFAULT = new Reminders(true, 30, 24 * 60, LocalTime.of(22, 0), LocalTime.of(8, 0),
                ZoneId.of("Asia/Shanghai"), 1, 0.1, DEFAULT_TEXT);

        /** Whether {@code time} (in {@link #timeZone}) falls in quiet hours. */
        public boolean quiet(LocalTime time) {
            if (quietFrom == null || quietTo == null || quietFrom.equals(quietTo)) {
                return false;
            }
            return quietFrom.isBefore(quietTo) ? !time.isBefore(quietFrom) && time.isBefore(quietTo)
                    : !time.isBefore(quietFrom) || time.isBefore(quietTo);
        }
    }

    /**
     * Caps on offers ({@code offerLimits:} in store.yaml).
     *
     * @param perConversation  most offers shown in one conversation
     * @param perShopperPerDay most offers one shopper (an anonymous one: one conversation) is shown in a day
     */
    public record OfferLimits(int perConversation, int perShopperPerDay) {
        public static final OfferLimits DEFAULT = new OfferLimits(2, 3);
    }

    /**
     * One offer rule: when the answer was about {@code whenProduct} (a SKU), a product of {@code whenCategory},
     * or FAQ entry {@code whenFaq}, offer product {@code offerProduct} or promotion {@code offerPromotion}
     * ({@value #APPLICABLE}: a promotion running today that applies to the product under discussion),
     * saying {@code text}.
     */
    public record OfferRule(String id, String whenProduct, String whenCategory, String whenFaq, String offerProduct,
                            String offerPromotion, Localized text) {
        public static final String APPLICABLE = "applicable";
    }
}
