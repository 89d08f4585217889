package io.nectar.gateway.http;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.Storefront;
import io.nectar.gateway.chat.Welcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What the chat widget fetches from pages of other origins: {@code /widget.js} itself, the store's
 * public configuration ({@code GET /api/chat-config?merchant=}) and its media files
 * ({@code GET /media/<merchant>/<file>}: logo, product images). All public and read-only, so they carry
 * {@code Access-Control-Allow-Origin: *}; which pages may actually chat is the WebSocket's check against
 * the store's {@code allowedOrigins}. Runs on the event loop; media are served from memory.
 */
final class WidgetRoutes {

    /** How long browsers may keep widget.js (merchants' pages load it on every page view). */
    static final int WIDGET_MAX_AGE_SECONDS = 300;
    static final int MEDIA_MAX_AGE_SECONDS = 3600;

    private final GatewayServices services;

    WidgetRoutes(GatewayServices services) {
        this.services = services;
    }

    void mount(Router router) {
        router.get("/api/chat-config").handler(this::chatConfig);
        router.get("/media/:merchant/*").handler(this::media);
        router.get("/widget.js").handler(ctx -> {
            ctx.response().putHeader("access-control-allow-origin", "*")
                    .putHeader("cache-control", "public, max-age=" + WIDGET_MAX_AGE_SECONDS);
            ctx.next(); // the static handler serves the file
        });
    }

    private void chatConfig(RoutingContext ctx) {
        JsonObject cfg = new JsonObject().put("chatPath", HttpServerVerticle.CHAT_PATH).put("ready", services.isReady());
        if (!services.isReady()) {
            json(ctx, 200, cfg);
            return;
        }
        cfg.put("defaultMerchant", services.defaultMerchant());
        String merchant = ctx.request().getParam("merchant");
        if (merchant == null || merchant.isBlank()) {
            merchant = services.defaultMerchant();
        }
        Store store = services.knowledge().store(merchant);
        if (store == null) {
            json(ctx, 404, cfg.put("error", "unknown_merchant"));
            return;
        }
        cfg.mergeIn(Welcome.config(store, services.config()))
                .put("originAllowed", store.storefront().allowsOrigin(ctx.request().getHeader("Origin"),
                        ctx.request().getHeader("Host")));
        json(ctx, 200, cfg);
    }

    private void media(RoutingContext ctx) {
        Store store = services.knowledge() == null ? null : services.knowledge().store(ctx.pathParam("merchant"));
        String prefix = "/media/" + ctx.pathParam("merchant") + "/";
        String path = ctx.normalizedPath();
        Storefront.Media m = store == null || !path.startsWith(prefix) ? null
                : store.storefront().media().get(path.substring(prefix.length()));
        if (m == null) {
            ctx.response().setStatusCode(404).putHeader("access-control-allow-origin", "*").end();
            return;
        }
        ctx.response().putHeader("content-type", m.contentType())
                .putHeader("cache-control", "public, max-age=" + MEDIA_MAX_AGE_SECONDS)
                .putHeader("access-control-allow-origin", "*")
                .putHeader("x-content-type-options", "nosniff")
                // a merchant's SVG opened directly must not run scripts on the gateway's origin
                .putHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                .end(Buffer.buffer(m.bytes()));
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").putHeader("access-control-allow-origin", "*").end(body.encode());
    }
}
