package io.nectar.gateway.numbers;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.merchant.MerchantApiHandler;
import io.nectar.gateway.pg.PgServices;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import static io.nectar.gateway.merchant.MerchantApiHandler.error;
import static io.nectar.gateway.merchant.MerchantApiHandler.json;

/**
 * The merchant's numbers through the merchant API (docs/metrics.md):
 * <pre>
 * GET /api/merchant/metrics?from=2026-11-01&amp;to=2026-11-30         one JSON object for the period
 * GET /api/merchant/metrics/daily?from=…&amp;to=…                     the conversation numbers per day (charts)
 * GET /api/merchant/complaints?from=…&amp;to=…                        conversations flagged as complaints
 * GET /api/merchant/metrics/prometheus[?days=30]                    the period numbers of the last days, Prometheus text
 * </pre>
 * {@code from} and {@code to} are UTC days, both included (default: the last 30 days); at most 366 days.
 */
public final class NumbersApi {

    static final int MAX_DAYS = 366;

    private final GatewayServices services;
    private final MerchantApiHandler auth;

    public NumbersApi(GatewayServices services, MerchantApiHandler auth) {
        this.services = services;
        this.auth = auth;
    }

    public void routes(Router router) {
        router.get(MerchantApiHandler.ROOT + "/metrics").handler(ctx -> answer(ctx, (n, m, f, t) -> n.period(m, f, t)));
        router.get(MerchantApiHandler.ROOT + "/metrics/daily").handler(ctx -> answer(ctx, (n, m, f, t) -> n.daily(m, f, t)
                .map(days -> new JsonObject().put("merchant", m).put("from", f.toString()).put("to", t.toString()).put("days", days))));
        router.get(MerchantApiHandler.ROOT + "/complaints").handler(ctx -> answer(ctx, (n, m, f, t) -> n.complaints(m, f, t)
                .map(list -> new JsonObject().put("merchant", m).put("from", f.toString()).put("to", t.toString()).put("complaints", list))));
        router.get(MerchantApiHandler.ROOT + "/metrics/prometheus").handler(this::prometheus);
    }

    /**
     * The merchant's numbers of the last {@code days} UTC days (today included; default 30) as Prometheus
     * gauges, for a scrape job that sends the merchant's key. Only this merchant's numbers: the node-wide
     * {@code /metrics} never carries a merchant's.
     */
    private void prometheus(RoutingContext ctx) {
        String merchant = auth.authenticate(ctx);
        if (merchant == null) {
            return;
        }
        int days;
        try {
            String d = ctx.request().getParam("days");
            days = d == null || d.isBlank() ? 30 : Integer.parseInt(d.strip());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > MAX_DAYS) {
            error(ctx, 400, "'days' must be a whole number from 1 to " + MAX_DAYS);
            return;
        }
        PgServices pg = services.pg();
        if (pg == null) {
            error(ctx, 503, "the merchant's numbers need PostgreSQL (start the gateway with --pg)");
            return;
        }
        LocalDate to = LocalDate.ofInstant(services.clock().instant(), java.time.ZoneOffset.UTC);
        String window = days + "d";
        new MerchantNumbers(pg.database()).period(merchant, to.minusDays(days - 1L), to).onComplete(ar -> {
            if (ar.failed()) {
                MerchantApiHandler.failed(ctx, ar.cause());
                return;
            }
            ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(PrometheusText.render(ar.result(), merchant, window));
        });
    }

    interface Query {
        Future<JsonObject> run(MerchantNumbers numbers, String merchant, LocalDate from, LocalDate to);
    }

    private void answer(RoutingContext ctx, Query q) {
        String merchant = auth.authenticate(ctx);
        if (merchant == null) {
            return;
        }
        LocalDate[] period = period(ctx, services.clock());
        if (period == null) {
            return;
        }
        PgServices pg = services.pg();
        if (pg == null) {
            error(ctx, 503, "the merchant's numbers need PostgreSQL (start the gateway with --pg)");
            return;
        }
        q.run(new MerchantNumbers(pg.database()), merchant, period[0], period[1]).onComplete(ar -> {
            if (ar.failed()) {
                MerchantApiHandler.failed(ctx, ar.cause());
            } else {
                json(ctx, 200, ar.result());
            }
        });
    }

    /** {@code from} and {@code to} of the request, or null after answering 400. */
    static LocalDate[] period(RoutingContext ctx, java.time.Clock clock) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        try {
            String f = ctx.request().getParam("from");
            String t = ctx.request().getParam("to");
            LocalDate to = t == null || t.isBlank() ? today : LocalDate.parse(t.strip());
            LocalDate from = f == null || f.isBlank() ? to.minusDays(29) : LocalDate.parse(f.strip());
            if (from.isAfter(to)) {
                error(ctx, 400, "'from' is after 'to'");
                return null;
            }
            if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
                error(ctx, 400, "a period is at most " + MAX_DAYS + " days");
                return null;
            }
            return new LocalDate[]{from, to};
        } catch (DateTimeParseException e) {
            error(ctx, 400, "'from' and 'to' must be dates like 2026-11-01");
            return null;
        }
    }
}
