package io.nectar.gateway.webhook;

import io.nectar.gateway.transcript.LoggedMessage;
import io.nectar.gateway.transcript.TranscriptSink;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded node's webhook outbox, in memory: it is also a {@link TranscriptSink}, so committed
 * ownership changes land in it as they would in PostgreSQL's. Bounded (the oldest undelivered events are
 * dropped past {@value #MAX}); lost at a restart, like everything embedded. Thread-safe.
 */
public final class MemoryOutbox implements Outbox, TranscriptSink {

    static final int MAX = 10_000;

    private static final class Row {
        final Pending event;
        int attempts;
        long nextAt;
        boolean settled;

        Row(Pending event) {
            this.event = event;
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final java.util.function.Predicate<String> hasWebhook;

    /** @param hasWebhook whether a merchant has a webhook now (events of others are not kept) */
    public MemoryOutbox(java.util.function.Predicate<String> hasWebhook) {
        this.hasWebhook = hasWebhook;
    }

    @Override
    public Future<Void> write(List<LoggedMessage> batch) {
        for (LoggedMessage m : batch) {
            if (OwnershipEvent.is(m) && hasWebhook.test(m.merchantId())) {
                String id = OwnershipEvent.id(m);
                synchronized (rows) {
                    rows.putIfAbsent(id, new Row(new Pending(id, m.merchantId(), OwnershipEvent.body(m).encode(), 0)));
                    while (rows.size() > MAX) {
                        rows.remove(rows.keySet().iterator().next());
                    }
                }
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<List<Pending>> lease(int max, long leaseMillis) {
        long now = System.currentTimeMillis();
        List<Pending> out = new ArrayList<>();
        synchronized (rows) {
            for (Row r : rows.values()) {
                if (!r.settled && r.nextAt <= now && out.size() < max) {
                    r.nextAt = now + leaseMillis;
                    out.add(new Pending(r.event.eventId(), r.event.merchant(), r.event.body(), r.attempts));
                }
            }
        }
        return Future.succeededFuture(out);
    }

    @Override
    public Future<Void> delivered(Pending p) {
        return settle(p, true, 0);
    }

    @Override
    public Future<Void> retry(Pending p, long nextAttemptAt, String error) {
        return settle(p, false, nextAttemptAt);
    }

    @Override
    public Future<Void> giveUp(Pending p, String error) {
        return settle(p, true, 0);
    }

    private Future<Void> settle(Pending p, boolean done, long nextAt) {
        synchronized (rows) {
            Row r = rows.get(p.eventId());
            if (r != null) {
                r.attempts++;
                if (done) {
                    rows.remove(p.eventId());
                } else {
                    r.nextAt = nextAt;
                }
            }
        }
        return Future.succeededFuture();
    }
}
