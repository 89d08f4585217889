package io.nectar.gateway.offers;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.chat.ChatSession;
import io.nectar.gateway.dialogue.Turn;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Offers in conversations: picks the offer that goes with a reply ({@link OfferPicker}) within the caps
 * (per conversation in the dialogue state, per shopper and day in a {@link DailyCounter}), and records
 * what became of offers in PostgreSQL ({@code offer_events}: shown, clicked, bought, each once per
 * conversation and offer). Without PostgreSQL offers are still made and counted node-wide, not recorded.
 * Runs on the caller's event loop; recording never delays a reply.
 */
public final class Offers {

    private static final Logger log = LoggerFactory.getLogger(Offers.class);
    static final String INSERT = "INSERT INTO offer_events (merchant_id, conversation_id, offer_id, kind, shopper_id, sku, at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
    /**
     * Offers shown to a shopper that a paid order of theirs buys: the offered SKU is in the order, or (an
     * offered promotion) any order; within the window after it was shown; each once.
     */
    static final String BOUGHT = "INSERT INTO offer_events (merchant_id, conversation_id, offer_id, kind, shopper_id, sku, at) "
            + "SELECT merchant_id, conversation_id, offer_id, 'bought', shopper_id, sku, $4 FROM offer_events "
            + "WHERE merchant_id = $1 AND shopper_id = $2 AND kind = 'shown' AND at <= $4 AND at > $4 - make_interval(days => $5) "
            + "AND (sku IS NULL OR sku = ANY($3)) ON CONFLICT DO NOTHING";

    private final GatewayServices services;
    private volatile DailyCounter counter = DailyCounter.memory();
    private final LongAdder shown = new LongAdder();
    private final LongAdder clicked = new LongAdder();
    private final LongAdder bought = new LongAdder();
    private volatile boolean enabled = true;

    public Offers(GatewayServices services) {
        this.services = services;
        services.metrics().counter("nectar_offers_shown_total", "Offers shown with replies (all merchants)", shown::sum);
        services.metrics().counter("nectar_offers_clicked_total", "Offers shoppers clicked (all merchants)", clicked::sum);
        services.metrics().counter("nectar_offers_bought_total", "Offers bought, from order events (all merchants)", bought::sum);
    }

    /** Where the per-day caps are counted (Redis in shared mode). */
    public void counter(DailyCounter c) {
        this.counter = c;
    }

    /** Turns offers off on this node (benchmarks compare with and without). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /**
     * The offer to show with this turn's reply, or {@code null}; when there is one, it is added to the
     * turn's dialogue state (so it is never shown twice in the conversation).
     */
    public Future<OfferPicker.Offer> pick(ChatSession session, Store store, Turn turn) {
        if (!enabled) {
            return Future.succeededFuture();
        }
        LocalDate today = LocalDate.ofInstant(services.clock().instant(), store.selling().reminders().timeZone());
        OfferPicker.Offer offer = OfferPicker.pick(store, turn, today);
        if (offer == null) {
            return Future.succeededFuture();
        }
        int perDay = store.selling().offerLimits().perShopperPerDay();
        if (perDay <= 0) {
            return Future.succeededFuture();
        }
        String who = session.shopperId() != null ? "s:" + session.shopperId() : "c:" + session.conversationId();
        return counter.increment(store.merchantId() + ":" + who + ":" + today).map(n -> {
            if (n > perDay) {
                return (OfferPicker.Offer) null;
            }
            turn.state().offersShown.add(offer.rule().id());
            return offer;
        }).otherwise(t -> {
            log.debug("offer cap unavailable: {}", t.toString());
            return null; // no count, no offer: the reply goes on
        });
    }

    /** The reply with the offer was committed. */
    public void shown(ChatSession session, OfferPicker.Offer offer, long at) {
        shown.increment();
        record(session.merchantId(), session.conversationId(), offer.rule().id(), "shown", session.shopperId(), offer.sku(), at);
    }

    /** The shopper clicked an offer shown in their conversation. */
    public Future<Void> clicked(ChatSession session, String offerId) {
        clicked.increment();
        return record(session.merchantId(), session.conversationId(), offerId, "clicked", session.shopperId(), null,
                services.clock().millis());
    }

    /** A paid order: the offers it buys (see {@link #BOUGHT}); completes with how many. */
    public Future<Integer> bought(io.vertx.sqlclient.SqlClient c, String merchant, String shopper, List<String> skus, long at,
                                  int windowDays) {
        return c.preparedQuery(BOUGHT).execute(Tuple.of(merchant, shopper, skus.toArray(new String[0]), time(at), windowDays))
                .map(r -> {
                    bought.add(r.rowCount());
                    return r.rowCount();
                });
    }

    private Future<Void> record(String merchant, String conversation, String offer, String kind, String shopper, String sku, long at) {
        PgServices pg = services.pg();
        if (pg == null) {
            return Future.succeededFuture();
        }
        return pg.database().pool().preparedQuery(INSERT)
                .execute(Tuple.of(merchant, conversation, offer, kind, shopper, sku, time(at)))
                .onFailure(t -> log.warn("offer event {} of {} not recorded: {}", kind, conversation, t.toString()))
                .mapEmpty();
    }

    static OffsetDateTime time(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }
}
