package io.nectar.gateway.webhook;

import io.vertx.core.Future;

import java.util.List;

/**
 * Webhook events waiting to be delivered: PostgreSQL's {@code webhook_outbox} (shared; each event is leased
 * to one node at a time) or this node's memory (embedded). Futures complete on the caller's context.
 */
public interface Outbox {

    /** An event leased for delivery: its id, merchant, body and how many attempts were made before. */
    record Pending(String eventId, String merchant, String body, int attempts) {
    }

    /**
     * Up to {@code max} events due now, leased to the caller for {@code leaseMillis}: no other node gets them
     * meanwhile; one not settled by then is due again.
     */
    Future<List<Pending>> lease(int max, long leaseMillis);

    Future<Void> delivered(Pending p);

    /** Failed this time: due again at {@code nextAttemptAt} (epoch ms). */
    Future<Void> retry(Pending p, long nextAttemptAt, String error);

    /** Failed for good (retries exhausted, or the merchant has no webhook). */
    Future<Void> giveUp(Pending p, String error);
}
