package io.nectar.gateway.merchant;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.merchant.MerchantKnowledge.Edit;
import io.nectar.gateway.merchant.MerchantKnowledge.EditRejected;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;

/**
 * The merchant REST API: a merchant's own systems create, replace, delete and list its FAQ entries,
 * products and promotions. {@code Authorization: Bearer <merchant API key>} names the merchant; no path
 * names one, so a key can only ever reach its own merchant's items.
 * <pre>
 * GET    /api/merchant/faq                 PUT/DELETE /api/merchant/faq/{id}   (DELETE ?lang=xx: one language)
 * GET    /api/merchant/products            PUT/DELETE /api/merchant/products/{sku}
 * GET    /api/merchant/promotions          PUT/DELETE /api/merchant/promotions/{id}
 * GET    /api/merchant/{kind}/{id}
 * </pre>
 * No or malformed {@code Authorization}: 401; a key of no merchant (or {@code ?merchant=} naming another):
 * 403; a bad body: 400 with what is wrong; a change the store refuses: 409; an unknown item: 404;
 * storage unreachable: 503. Runs on the event loop; edits complete once this node serves them.
 */
public final class MerchantApiHandler {

    private static final Logger log = LoggerFactory.getLogger(MerchantApiHandler.class);
    public static final String ROOT = "/api/merchant";
    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private static final Map<String, StoreDocuments.Kind> KINDS = Map.of(
            "faq", StoreDocuments.Kind.FAQ,
            "products", StoreDocuments.Kind.PRODUCT,
            "promotions", StoreDocuments.Kind.PROMOTION,
            "offers", StoreDocuments.Kind.OFFER);

    private final GatewayServices services;

    public MerchantApiHandler(GatewayServices services) {
        this.services = services;
    }

    /** Adds the routes to {@code router}. */
    public void routes(Router router) {
        routes(router, r -> { });
    }

    /**
     * Adds the routes to {@code router}, with {@code more} (routes of other parts of the merchant API, such
     * as order events and the numbers) mounted after the body handler and the console-session check and
     * before the knowledge routes.
     */
    public void routes(Router router, java.util.function.Consumer<Router> more) {
        router.route(ROOT + "/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.route(ROOT + "/*").handler(this::consoleSession);
        more.accept(router);
        router.get(ROOT + "/:kind").handler(this::list);
        router.get(ROOT + "/:kind/:id").handler(this::get);
        router.put(ROOT + "/:kind/:id").handler(this::put);
        router.delete(ROOT + "/:kind/:id").handler(this::delete);
    }

    private void list(RoutingContext ctx) {
        StoreDocuments.Kind kind = kind(ctx);
        String merchant = kind == null ? null : authenticate(ctx);
        if (merchant == null) {
            return;
        }
        services.merchantKnowledge().list(merchant, kind).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            json(ctx, 200, new JsonObject().put("merchant", merchant).put("version", ar.result().version())
                    .put(ctx.pathParam("kind"), new JsonArray(ar.result().items())));
        });
    }

    private void get(RoutingContext ctx) {
        StoreDocuments.Kind kind = kind(ctx);
        String merchant = kind == null ? null : authenticate(ctx);
        if (merchant == null) {
            return;
        }
        String id = ctx.pathParam("id");
        String idField = kind == StoreDocuments.Kind.PRODUCT ? "sku" : "id";
        services.merchantKnowledge().list(merchant, kind).onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            for (JsonObject item : ar.result().items()) {
                if (id.equals(item.getValue(idField))) {
                    json(ctx, 200, item);
                    return;
                }
            }
            error(ctx, 404, "no " + kind.noun() + " '" + id + "'");
        });
    }

    private void put(RoutingContext ctx) {
        StoreDocuments.Kind kind = kind(ctx);
        String merchant = kind == null ? null : authenticate(ctx);
        if (merchant == null) {
            return;
        }
        JsonObject body;
        try {
            Object parsed = ctx.body().buffer() == null || ctx.body().length() == 0 ? null
                    : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (!(parsed instanceof JsonObject o)) {
                error(ctx, 400, "the body must be one JSON object");
                return;
            }
            body = o;
        } catch (DecodeException e) {
            error(ctx, 400, "the body is not valid JSON: " + e.getMessage());
            return;
        }
        Store store = services.knowledge().store(merchant);
        if (store == null) {
            error(ctx, 404, "merchant '" + merchant + "' is not served by this node yet");
            return;
        }
        String id = ctx.pathParam("id");
        Edit edit;
        try {
            edit = kind == StoreDocuments.Kind.FAQ ? MerchantEdits.putFaq(id, body, store) : MerchantEdits.putItem(kind, id, body, store);
        } catch (EditRejected e) {
            error(ctx, e.status(), e.getMessage());
            return;
        }
        apply(ctx, merchant, edit);
    }

    private void delete(RoutingContext ctx) {
        StoreDocuments.Kind kind = kind(ctx);
        String merchant = kind == null ? null : authenticate(ctx);
        if (merchant == null) {
            return;
        }
        String id = ctx.pathParam("id");
        String lang = ctx.request().getParam("lang");
        Edit edit;
        try {
            edit = kind == StoreDocuments.Kind.FAQ ? MerchantEdits.deleteFaq(id, lang) : MerchantEdits.deleteItem(kind, id);
        } catch (EditRejected e) {
            error(ctx, e.status(), e.getMessage());
            return;
        }
        apply(ctx, merchant, edit);
    }

    private void apply(RoutingContext ctx, String merchant, Edit edit) {
        Future<MerchantKnowledge.Change> f;
        try {
            f = services.merchantKnowledge().change(merchant, edit);
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            if (ar.failed()) {
                failed(ctx, ar.cause());
                return;
            }
            MerchantKnowledge.Change c = ar.result();
            JsonObject out = new JsonObject().put("merchant", merchant).put("id", c.id()).put("version", c.version());
            if (c.item() == null) {
                out.put("deleted", true);
            } else {
                out.put("created", c.created()).put("item", c.item());
            }
            json(ctx, c.created() ? 201 : 200, out);
        });
    }

    /** The kind named by the path, or null after answering 404. */
    private StoreDocuments.Kind kind(RoutingContext ctx) {
        StoreDocuments.Kind k = KINDS.get(ctx.pathParam("kind").toLowerCase(Locale.ROOT));
        if (k == null) {
            error(ctx, 404, "no such resource; use " + ROOT + "/faq, /products, /promotions or /offers");
        }
        return k;
    }

    /** Name of the routing-context value with the merchant a console session opened. */
    public static final String CONSOLE_MERCHANT = "nectar.console.merchant";

    /**
     * A bearer token of a console session ({@code cs_…}) opens its merchant like an API key: checked here
     * (asynchronously, in PostgreSQL) before the route runs. Other tokens pass on to {@link #authenticate}.
     */
    private void consoleSession(RoutingContext ctx) {
        String auth = ctx.request().getHeader("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer cs_", 0, 10) || services.consoleSessions() == null) {
            ctx.next();
            return;
        }
        services.consoleSessions().merchant(auth.substring(7).strip()).onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 503, "sessions cannot be checked right now; retry shortly");
            } else if (ar.result() == null) {
                error(ctx, 403, "this console session has ended; sign in again");
            } else {
                ctx.put(CONSOLE_MERCHANT, ar.result());
                ctx.next();
            }
        });
    }

    /** The merchant the request's API key (or console session) belongs to, or null after answering 401/403/503. */
    public String authenticate(RoutingContext ctx) {
        MerchantKnowledge knowledge = services.merchantKnowledge();
        if (!services.isReady() || knowledge == null) {
            error(ctx, 503, "the gateway is still loading");
            return null;
        }
        String auth = ctx.request().getHeader("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"nectar-merchants\"");
            error(ctx, 401, "send 'Authorization: Bearer <merchant API key>'");
            return null;
        }
        String merchant = ctx.get(CONSOLE_MERCHANT);
        if (merchant == null) {
            merchant = knowledge.authenticate(auth.substring(7).strip());
        }
        if (merchant == null) {
            error(ctx, 403, "this key opens no merchant");
            return null;
        }
        String asked = ctx.request().getParam("merchant");
        if (asked != null && !asked.equals(merchant)) {
            error(ctx, 403, "this key does not open merchant '" + asked + "'");
            return null;
        }
        return merchant;
    }

    public static void failed(RoutingContext ctx, Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof EditRejected e) {
            error(ctx, e.status(), e.getMessage());
        } else {
            log.warn("merchant API: {} {} failed: {}", ctx.request().method(), ctx.request().path(), cause.toString());
            error(ctx, 503, "the change could not be stored right now (nothing was changed); retry shortly");
        }
    }

    public static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").end(body.encode());
    }
}
