package io.nectar.gateway.webhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Delivers the outbox's events to merchants' webhooks, on every node: every {@value #POLL_MILLIS} ms it
 * leases the due events (one node gets each), POSTs each body with its signature, id and attempt number,
 * and settles it: a 2xx answer is delivered; anything else is retried with exponential backoff and jitter
 * (1 s doubling to 15 minutes) and given up after {@value #MAX_ATTEMPTS} attempts. The merchant's system
 * must accept an event id twice (a node that dies after the POST and before settling makes the event due
 * again once its lease ends). Runs on one event loop; never blocks.
 */
public final class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final long POLL_MILLIS = 500;
    static final long LEASE_MILLIS = 60_000;
    static final int BATCH = 20;
    public static final int MAX_ATTEMPTS = 15;
    static final long FIRST_BACKOFF_MILLIS = 1_000;
    static final long MAX_BACKOFF_MILLIS = 15 * 60_000;
    static final int TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final Outbox outbox;
    private final Function<String, WebhookSettings> settings;
    private final WebClient web;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder givenUp = new LongAdder();
    private volatile boolean running;
    private boolean busy;
    private long timer = -1;

    /** @param settings a merchant's webhook now, or {@code null} when it has none */
    public WebhookDispatcher(Vertx vertx, Outbox outbox, Function<String, WebhookSettings> settings) {
        this.vertx = vertx;
        this.outbox = outbox;
        this.settings = settings;
        this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent("Nectar-Gateway").setConnectTimeout(3_000)
                .setKeepAlive(true).setFollowRedirects(false));
    }

    public void start() {
        running = true;
        timer = vertx.setPeriodic(POLL_MILLIS, id -> pass());
    }

    public long delivered() {
        return delivered.sum();
    }

    public long failedAttempts() {
        return failedAttempts.sum();
    }

    public long givenUp() {
        return givenUp.sum();
    }

    private void pass() {
        if (!running || busy) {
            return;
        }
        busy = true;
        outbox.lease(BATCH, LEASE_MILLIS).compose(this::deliverAll).onComplete(ar -> {
            busy = false;
            if (ar.failed()) {
                log.debug("webhook outbox unavailable: {}", ar.cause().toString());
            }
        });
    }

    private Future<Void> deliverAll(List<Outbox.Pending> due) {
        Future<Void> f = Future.succeededFuture();
        for (Outbox.Pending p : due) {
            f = f.compose(v -> deliver(p).recover(t -> Future.succeededFuture()));
        }
        return f;
    }

    private Future<Void> deliver(Outbox.Pending p) {
        WebhookSettings w;
        try {
            w = settings.apply(p.merchant());
        } catch (RuntimeException e) {
            w = null;
        }
        if (w == null) {
            givenUp.increment();
            return outbox.giveUp(p, "the merchant has no webhook");
        }
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        String type = new JsonObject(p.body()).getString("type", OwnershipEvent.TYPE);
        return web.postAbs(w.url()).timeout(TIMEOUT_MILLIS)
                .putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("x-nectar-event-id", p.eventId())
                .putHeader("x-nectar-event", type)
                .putHeader("x-nectar-attempt", Integer.toString(p.attempts() + 1))
                .putHeader(WebhookSigner.HEADER, WebhookSigner.sign(w.secret(), body))
                .sendBuffer(Buffer.buffer(body))
                .transform(ar -> {
                    if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                        delivered.increment();
                        return outbox.delivered(p);
                    }
                    String why = ar.succeeded() ? "HTTP " + ar.result().statusCode() : ar.cause().toString();
                    failedAttempts.increment();
                    if (p.attempts() + 1 >= MAX_ATTEMPTS) {
                        givenUp.increment();
                        log.warn("webhook event {} of merchant {} given up after {} attempts: {}", p.eventId(), p.merchant(),
                                p.attempts() + 1, why);
                        return outbox.giveUp(p, why);
                    }
                    long ceiling = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(20, p.attempts()));
                    long delay = ceiling / 2 + (long) (Math.random() * (ceiling / 2.0));
                    log.debug("webhook event {} failed ({}); next attempt in {} ms", p.eventId(), why, delay);
                    return outbox.retry(p, System.currentTimeMillis() + delay, why);
                });
    }

    public void stop() {
        running = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        web.close();
    }
}
