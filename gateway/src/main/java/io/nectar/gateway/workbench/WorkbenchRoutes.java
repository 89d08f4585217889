package io.nectar.gateway.workbench;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.auth.AgentSession;
import io.nectar.gateway.auth.AgentSignIn;
import io.nectar.gateway.auth.Sessions;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The workbench's HTTP face: the page ({@code /agent}), signing in and out
 * ({@code POST/DELETE /api/agent/session}: a session cookie, HttpOnly, SameSite=Strict), who is signed in
 * ({@code GET /api/agent/session}), the merchant's suggestion adoption ({@code GET /api/agent/assist/stats})
 * and the socket ({@code /ws/agent}). A wrong login and a wrong password get the same answer.
 */
public final class WorkbenchRoutes {

    public static final String SOCKET_PATH = "/ws/agent";

    private final GatewayServices services;

    public WorkbenchRoutes(GatewayServices services) {
        this.services = services;
    }

    public void mount(Router router) {
        router.get("/agent").handler(ctx -> ctx.redirect("/agent.html"));
        router.route("/api/agent/session").handler(BodyHandler.create(false).setBodyLimit(4096));
        router.post("/api/agent/session").handler(this::signIn);
        router.delete("/api/agent/session").handler(this::signOut);
        router.get("/api/agent/session").handler(ctx -> withAgent(ctx, a -> json(ctx, 200, a.toJson())));
        router.get("/api/agent/assist/stats").handler(ctx -> withAgent(ctx, a -> {
            Workbench w = services.workbench();
            json(ctx, 200, w.suggestions().stats(a.merchant()));
        }));
    }

    private void signIn(RoutingContext ctx) {
        Workbench w = services.workbench();
        if (w == null) {
            json(ctx, 503, new JsonObject().put("error", "the gateway is still loading"));
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        String merchant = body == null ? null : str(body, "merchant");
        String login = body == null ? null : str(body, "login");
        String password = body == null ? null : str(body, "password");
        if (merchant == null || login == null || password == null || password.length() > 200) {
            json(ctx, 400, new JsonObject().put("error", "send {\"merchant\", \"login\", \"password\"} as JSON"));
            return;
        }
        String client = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        w.signIn().signIn(merchant, login, password, client).onComplete(ar -> {
            if (ar.succeeded()) {
                AgentSession s = ar.result();
                ctx.response().putHeader("set-cookie", Sessions.cookie(s, ctx.request().isSSL()));
                json(ctx, 200, s.toJson());
                return;
            }
            if (ar.cause() instanceof AgentSignIn.Refused r) {
                switch (r.kind()) {
                    case WRONG -> json(ctx, 401, new JsonObject().put("error", "wrong store, login or password"));
                    case THROTTLED, BUSY -> {
                        long seconds = Math.max(1, (r.retryAfterMillis() + 999) / 1000);
                        ctx.response().putHeader("retry-after", Long.toString(seconds));
                        json(ctx, 429, new JsonObject().put("error", "too many attempts; try again in " + seconds + " s"));
                    }
                }
                return;
            }
            json(ctx, 503, new JsonObject().put("error", "signing in is unavailable right now; try again shortly"));
        });
    }

    private static String str(JsonObject j, String k) {
        Object v = j.getValue(k);
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    private void signOut(RoutingContext ctx) {
        Workbench w = services.workbench();
        String token = Sessions.token(ctx.request().headers());
        Future<Void> ended = w == null ? Future.succeededFuture() : w.signIn().sessions().end(token);
        ended.onComplete(ar -> {
            ctx.response().putHeader("set-cookie", Sessions.cleared(ctx.request().isSSL()));
            ctx.response().setStatusCode(204).end();
        });
    }

    private void withAgent(RoutingContext ctx, java.util.function.Consumer<AgentSession> then) {
        Workbench w = services.workbench();
        if (w == null) {
            json(ctx, 503, new JsonObject().put("error", "the gateway is still loading"));
            return;
        }
        w.signIn().sessions().find(Sessions.token(ctx.request().headers())).onComplete(ar -> {
            if (ar.failed()) {
                json(ctx, 503, new JsonObject().put("error", "sessions are unavailable right now"));
            } else if (ar.result() == null) {
                json(ctx, 401, new JsonObject().put("error", "sign in first"));
            } else {
                then.accept(ar.result());
            }
        });
    }

    /**
     * Upgrades an agent's request to the workbench socket only with a valid session cookie (the page and
     * the socket share the origin): 401 without one, 503 while sessions cannot be read.
     */
    public void upgrade(HttpServerRequest req) {
        Workbench w = services.workbench();
        if (w == null) {
            req.response().setStatusCode(503).end();
            return;
        }
        req.pause(); // the request's end waits for the upgrade below
        w.signIn().sessions().find(Sessions.token(req.headers())).onComplete(ar -> {
            if (ar.failed()) {
                req.response().setStatusCode(503).end();
            } else if (ar.result() == null) {
                req.response().setStatusCode(401).end();
            } else {
                AgentSession agent = ar.result();
                req.toWebSocket()
                        .onSuccess(ws -> new AgentSocket(ws, w, agent).start())
                        .onFailure(t -> org.slf4j.LoggerFactory.getLogger(WorkbenchRoutes.class)
                                .debug("workbench upgrade failed: {}", t.toString()));
            }
        });
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").end(body.encode());
    }
}
