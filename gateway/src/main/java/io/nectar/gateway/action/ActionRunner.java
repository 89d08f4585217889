package io.nectar.gateway.action;

import io.nectar.gateway.store.FlowSet;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the actions of dialogue flows against the merchant's systems, the one interface every action
 * goes through: the built-in {@link DemoBackend} (completes at once) or an HTTP webhook.
 * <p>
 * Webhook contract (docs/store-format.md): {@code POST} of
 * {@code {"action","merchant","conversationId","flow","language","params"}} with an
 * {@code Idempotency-Key} header that stays the same across retries. A 2xx JSON answer is success (its
 * {@code data} field, or the whole body), unless it says {@code "ok": false}; other 4xx answers are a
 * refusal whose {@code error.message} is told to the shopper; timeouts, connection failures and
 * 5xx/408/429 answers are retried with exponential backoff, and after the last retry the action is
 * {@code UNAVAILABLE}. The returned future never fails. Called on an event loop; never blocks.
 */
public final class ActionRunner {

    private static final Logger log = LoggerFactory.getLogger(ActionRunner.class);
    static final long BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 2000;

    private final Vertx vertx;
    private final WebClient web;
    private final Map<String, DemoBackend> demos = new ConcurrentHashMap<>();

    public ActionRunner(Vertx vertx) {
        this.vertx = vertx;
        this.web = WebClient.create(vertx, new WebClientOptions().setUserAgent("Nectar-Gateway").setConnectTimeout(2000)
                .setKeepAlive(true).setMaxRedirects(0).setFollowRedirects(false));
    }

    /** The demo backend of a store (one per merchant, created on first use). */
    public DemoBackend demo(Store store) {
        return demos.compute(store.merchantId(), (k, b) -> b != null && b.store() == store ? b : new DemoBackend(store));
    }

    public Future<ActionResult> run(Store store, ActionCall call) {
        FlowSet.ActionConfig cfg = store.flows().actions().get(call.action());
        if (cfg == null) {
            return Future.succeededFuture(ActionResult.unavailable("action '" + call.action() + "' is not configured"));
        }
        if (FlowSet.ActionConfig.DEMO.equals(cfg.type())) {
            try {
                return Future.succeededFuture(demo(store).run(call));
            } catch (RuntimeException e) {
                log.warn("demo action {} failed", call.action(), e);
                return Future.succeededFuture(ActionResult.unavailable(e.toString()));
            }
        }
        JsonObject body = new JsonObject().put("action", call.action()).put("merchant", store.merchantId())
                .put("conversationId", call.conversationId()).put("flow", call.flow())
                .put("language", call.params().getString("language")).put("params", call.params());
        Promise<ActionResult> done = Promise.promise();
        attempt(store.merchantId(), cfg, call, body.toBuffer(), 0, done);
        return done.future();
    }

    private void attempt(String merchant, FlowSet.ActionConfig cfg, ActionCall call, Buffer body, int n, Promise<ActionResult> done) {
        var request = web.postAbs(cfg.url())
                .timeout(cfg.timeoutMs())
                .putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("accept", "application/json")
                .putHeader("idempotency-key", call.idempotencyKey())
                .putHeader("x-nectar-merchant", merchant)
                .putHeader("x-nectar-attempt", Integer.toString(n + 1));
        if (cfg.secret() != null) {
            request.putHeader("authorization", "Bearer " + cfg.secret());
        }
        request.sendBuffer(body).onComplete(ar -> {
            String retryWhy;
            if (ar.succeeded()) {
                HttpResponse<Buffer> r = ar.result();
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    done.complete(success(r));
                    return;
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    done.complete(refusal(r));
                    return;
                }
                retryWhy = "HTTP " + status;
            } else {
                retryWhy = ar.cause().toString();
            }
            if (n >= cfg.retries()) {
                log.warn("action {} for merchant {} failed after {} attempt(s): {}", call.action(), merchant, n + 1, retryWhy);
                done.complete(ActionResult.unavailable(retryWhy));
                return;
            }
            long delay = Math.min(MAX_BACKOFF_MS, BACKOFF_MS << n);
            delay = delay / 2 + (long) (Math.random() * (delay / 2.0));
            vertx.setTimer(Math.max(1, delay), id -> attempt(merchant, cfg, call, body, n + 1, done));
        });
    }

    private static ActionResult success(HttpResponse<Buffer> r) {
        JsonObject j = json(r);
        if (j == null) {
            return ActionResult.ok(new JsonObject());
        }
        if (Boolean.FALSE.equals(j.getValue("ok"))) {
            return refusalFrom(j, "the request was refused");
        }
        Object data = j.getValue("data");
        return ActionResult.ok(data instanceof JsonObject d ? d : j);
    }

    private static ActionResult refusal(HttpResponse<Buffer> r) {
        JsonObject j = json(r);
        return refusalFrom(j, "the request was refused (HTTP " + r.statusCode() + ")");
    }

    private static ActionResult refusalFrom(JsonObject j, String otherwise) {
        if (j == null) {
            return ActionResult.rejected("refused", otherwise);
        }
        Object error = j.getValue("error");
        if (error instanceof JsonObject e) {
            return ActionResult.rejected(e.getString("code", "refused"), e.getString("message", otherwise));
        }
        if (error instanceof String s) {
            return ActionResult.rejected("refused", s);
        }
        return ActionResult.rejected("refused", j.getString("message", otherwise));
    }

    private static JsonObject json(HttpResponse<Buffer> r) {
        Buffer b = r.body();
        if (b == null || b.length() == 0) {
            return null;
        }
        try {
            Object v = io.vertx.core.json.Json.decodeValue(b);
            return v instanceof JsonObject o ? o : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    public void close() {
        web.close();
    }
}
