package io.nectar.gateway.http;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.console.ConsoleApi;
import io.nectar.gateway.merchant.MerchantApiHandler;
import io.nectar.gateway.numbers.NumbersApi;
import io.nectar.gateway.reminders.OrderEventsApi;
import io.nectar.gateway.ws.ChatUpgrade;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The node's HTTP face, one instance per event loop (they share the port): the chat page at {@code /},
 * the embeddable widget and what it fetches ({@link WidgetRoutes}), the WebSocket endpoint
 * {@code /ws/chat}, health checks and Prometheus metrics. Runs on its event loop.
 */
public final class HttpServerVerticle extends VerticleBase {

    public static final String CHAT_PATH = "/ws/chat";

    private final GatewayServices services;
    private final String host;
    private final int port;
    private HttpServer server;

    public HttpServerVerticle(GatewayServices services, String host, int port) {
        this.services = services;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/health/ready").handler(this::ready);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(services.metrics().scrape()));
        new WidgetRoutes(services).mount(router);
        AgentApiHandler agents = new AgentApiHandler(services);
        router.get("/api/agent/handoffs").handler(agents::list);
        router.post("/api/agent/handoffs/:conversationId/close").handler(agents::close);
        MerchantApiHandler merchants = new MerchantApiHandler(services);
        ConsoleApi console = new ConsoleApi(vertx, services, merchants);
        console.pageRoutes(router);
        merchants.routes(router, r -> {
            new OrderEventsApi(services, merchants).routes(r);
            new NumbersApi(services, merchants).routes(r);
            console.apiRoutes(r);
        });
        io.nectar.gateway.workbench.WorkbenchRoutes workbench = new io.nectar.gateway.workbench.WorkbenchRoutes(services);
        workbench.mount(router);
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));

        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                // the agents' workbench socket (Vert.x's WebSocket); the chat socket has its own limits (ChatUpgrade)
                .setMaxWebSocketFrameSize(services.config().maxFrameBytes() * 4)
                .setMaxWebSocketMessageSize(services.config().maxFrameBytes() * 4)
                // no WebSocket compression on either socket: Vert.x's default offers browsers permessage-deflate,
                // which keeps zlib state for every open conversation to shrink replies of a few hundred bytes
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setIdleTimeout(services.config().idleTimeoutSeconds())
                // a midnight burst opens thousands of connections at once: with Vert.x's default backlog
                // of 1,024 the overflow waits out SYN retransmits (1, 3, 7 s...). The kernel caps this
                // at net.core.somaxconn (docs/capacity.md)
                .setAcceptBacklog(ACCEPT_BACKLOG)
                // HTTP/1.1 only in clear text: a client that offers to upgrade to HTTP/2 (Java's HttpClient,
                // curl --http2) stays on HTTP/1.1. The upgraded stream hung once on a large /metrics reply
                // (docs/decisions.md 121); HTTP/2 belongs to the TLS terminator in front of the nodes
                .setHttp2ClearTextEnabled(false)
                .setTcpNoDelay(true);
        ChatUpgrade chat = new ChatUpgrade(services, CHAT_PATH);
        server = vertx.createHttpServer(options).requestHandler(req -> {
            if (!ChatUpgrade.isUpgrade(req)) {
                router.handle(req);
            } else if (CHAT_PATH.equals(req.path())) {
                if (services.draining()) {
                    req.response().setStatusCode(503).end(); // going away: the load balancer sends the shopper to another node
                } else {
                    chat.upgrade(req);
                }
            } else if (io.nectar.gateway.workbench.WorkbenchRoutes.SOCKET_PATH.equals(req.path())) {
                workbench.upgrade(req);
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        return server.listen();
    }

    /** How long readiness waits for a fresh probe before it answers with the last background one. */
    static final long READY_PROBE_MILLIS = 300;

    /** Connections the kernel may queue before they are accepted (capped by net.core.somaxconn). */
    public static final int ACCEPT_BACKLOG = 65_535;

    /** The port the server listens on (useful when started on port 0). */
    public int actualPort() {
        return server.actualPort();
    }

    private void ready(RoutingContext ctx) {
        String node = services.config().cluster().nodeId();
        if (services.draining()) {
            json(ctx, 503, new JsonObject().put("status", "DRAINING").put("node", node));
        } else if (services.isReady()) {
            // every dependency reported (each probe has its own timeout); a critical one down makes the node unready
            // a fresh probe when it answers within READY_PROBE_MILLIS, else the last background one (every
            // second): a load balancer's short check timeout never sees a dependency that hangs (decision 83)
            var cached = services.dependencies().last();
            var fresh = services.dependencies().check();
            (cached == null ? fresh : fresh.timeout(READY_PROBE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
                    .recover(t -> Future.succeededFuture(cached))).onComplete(ar -> {
                var report = ar.result();
                JsonObject body = new JsonObject().put("status", report.criticalDown() ? "UNAVAILABLE" : "READY")
                        .put("node", node).put("merchants", services.knowledge().merchants().size());
                if (!report.dependencies().isEmpty()) {
                    body.put("degraded", report.anyDown()).put("dependencies", report.dependencies());
                }
                json(ctx, report.criticalDown() ? 503 : 200, body);
            });
        } else if (services.loadFailure() != null) {
            json(ctx, 503, new JsonObject().put("status", "FAILED").put("error", services.loadFailure()));
        } else {
            json(ctx, 503, new JsonObject().put("status", "LOADING"));
        }
    }

    private static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
                .putHeader("cache-control", "no-store").end(body.encode());
    }
}
