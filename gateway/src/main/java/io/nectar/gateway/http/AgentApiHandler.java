package io.nectar.gateway.http;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The merchant's human agents' view of conversations handed to them, walled off by merchant: the
 * bearer token (store.yaml {@code agentToken}) names the merchant, and only that merchant's handoffs are
 * ever listed or closed.
 * <ul>
 *   <li>{@code GET /api/agent/handoffs}: the waiting conversations with transcripts</li>
 *   <li>{@code POST /api/agent/handoffs/:conversationId/close}: an agent took it (204; 404 when this
 *       merchant has no such waiting conversation)</li>
 * </ul>
 * No or malformed {@code Authorization} header: 401; a token of no merchant: 403; the queue
 * ({@link io.nectar.gateway.handoff.HandoffQueue}: this node's memory, or PostgreSQL) unreachable: 503.
 * Runs on the event loop.
 */
public final class AgentApiHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentApiHandler.class);

    private final GatewayServices services;

    public AgentApiHandler(GatewayServices services) {
        this.services = services;
    }

    public void list(RoutingContext ctx) {
        String merchant = authenticate(ctx);
        if (merchant == null) {
            return;
        }
        services.handoffQueue().pending(merchant).onComplete(ar -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
                return;
            }
            JsonArray list = new JsonArray();
            for (HandoffDesk.Handoff h : ar.result()) {
                list.add(h.toJson());
            }
            json(ctx, 200, new JsonObject().put("merchant", merchant).put("handoffs", list));
        });
    }

    public void close(RoutingContext ctx) {
        String merchant = authenticate(ctx);
        if (merchant == null) {
            return;
        }
        String id = ctx.pathParam("conversationId");
        if (id == null) {
            json(ctx, 404, new JsonObject().put("error", "no waiting conversation"));
            return;
        }
        services.handoffQueue().close(merchant, id).onComplete(ar -> {
            if (ar.failed()) {
                unavailable(ctx, ar.cause());
            } else if (ar.result()) {
                ctx.response().setStatusCode(204).end();
            } else {
                json(ctx, 404, new JsonObject().put("error", "no waiting conversation '" + id + "'"));
            }
        });
    }

    private static void unavailable(RoutingContext ctx, Throwable t) {
        log.warn("handoff queue unavailable: {}", t.toString());
        json(ctx, 503, new JsonObject().put("error", "the handoff queue is unavailable right now; retry shortly"));
    }

    /** The merchant the request's bearer token belongs to, or null after answering 401/403. */
    private String authenticate(RoutingContext ctx) {
        if (!services.isReady()) {
            json(ctx, 503, new JsonObject().put("error", "the gateway is still loading"));
            return null;
        }
        String auth = ctx.request().getHeader("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7) || auth.substring(7).isBlank()) {
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"nectar-agents\"");
            json(ctx, 401, new JsonObject().put("error", "send 'Authorization: Bearer <agent token>'"));
            return null;
        }
        byte[] given = auth.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (String merchant : services.knowledge().merchants()) {
            Store store = services.knowledge().store(merchant);
            if (store != null && store.agentToken() != null
                    && MessageDigest.isEqual(given, store.agentToken().getBytes(StandardCharsets.UTF_8))) {
                found = merchant;
            }
        }
        if (found == null) {
            json(ctx, 403, new JsonObject().put("error", "this token opens no merchant's handoffs"));
            return null;
        }
        String asked = ctx.request().getParam("merchant");
        if (asked != null && !asked.equals(found)) {
            json(ctx, 403, new JsonObject().put("error", "this token does not open merchant '" + asked + "'"));
            return null;
        }
        return found;
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").end(body.encode());
    }
}
