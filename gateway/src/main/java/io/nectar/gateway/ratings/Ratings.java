package io.nectar.gateway.ratings;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.pg.PgServices;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shoppers' ratings of conversations (good or bad, with an optional comment), one per conversation (the
 * latest counts), in PostgreSQL's {@code ratings}; a bad rating marks the conversation a complaint for
 * the merchant. Counted node-wide for Prometheus; without PostgreSQL only counted.
 */
public final class Ratings {

    /** Longest comment kept. */
    public static final int MAX_COMMENT = 1000;
    static final String UPSERT = "INSERT INTO ratings (conversation_id, merchant_id, shopper_id, rating, comment, at) "
            + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (conversation_id) DO UPDATE SET rating = EXCLUDED.rating, "
            + "comment = EXCLUDED.comment, at = EXCLUDED.at WHERE ratings.merchant_id = EXCLUDED.merchant_id";

    private final GatewayServices services;
    private final LongAdder good = new LongAdder();
    private final LongAdder bad = new LongAdder();

    public Ratings(GatewayServices services) {
        this.services = services;
        services.metrics().counter("nectar_ratings_good_total", "Conversations rated good by shoppers (all merchants)", good::sum);
        services.metrics().counter("nectar_ratings_bad_total", "Conversations rated bad by shoppers (all merchants)", bad::sum);
    }

    /** Records a rating; {@code good} true for good. */
    public Future<Void> record(String merchant, String conversation, String shopper, boolean isGood, String comment) {
        (isGood ? good : bad).increment();
        PgServices pg = services.pg();
        if (pg == null) {
            return Future.succeededFuture();
        }
        long now = services.clock().millis();
        return pg.database().pool().preparedQuery(UPSERT).execute(Tuple.of(conversation, merchant, shopper, isGood ? "good" : "bad",
                        comment, OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC)))
                .mapEmpty();
    }
}
