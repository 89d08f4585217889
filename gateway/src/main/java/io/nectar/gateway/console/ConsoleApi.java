package io.nectar.gateway.console;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.auth.AdminAccounts;
import io.nectar.gateway.auth.ConsoleSessions;
import io.nectar.gateway.dialogue.Intent;
import io.nectar.gateway.merchant.MerchantApiHandler;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.FaqEntry;
import io.nectar.gateway.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.nectar.gateway.merchant.MerchantApiHandler.error;
import static io.nectar.gateway.merchant.MerchantApiHandler.json;

/**
 * The merchant console's server side (docs/protocol.md, "Merchant console"): the page at {@code /console},
 * signing in and out ({@code POST /api/console/login}, {@code /api/console/logout}), and "what the bot could
 * not answer" ({@code GET /api/merchant/missed}): the shopper questions of the period that got the fallback
 * or were handed to a person for want of an answer, grouped by meaning with the node's encoders
 * ({@link Clusters}), each group with counts, examples and the FAQ entry it is closest to. Everything else
 * the console does goes through the merchant API with the session's token, and the store check
 * ({@code GET /api/merchant/check}, {@link StoreChecks}).
 */
public final class ConsoleApi {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleApi.class);

    /** Most questions read per request, newest first. */
    static final int MAX_QUESTIONS = 2000;
    /** Most groups answered. */
    static final int MAX_GROUPS = 30;
    static final String MISSED = """
            SELECT q.text, q.language FROM conversations c
            JOIN messages r ON r.conversation_id = c.id AND r.role = 'bot' AND r.source IN ('fallback', 'handoff')
                 AND coalesce(r.intent, '') NOT IN ('handoff', 'complaint')
            JOIN messages q ON q.conversation_id = r.conversation_id AND q.seq = r.seq - 1 AND q.role = 'shopper'
            WHERE c.merchant_id = $1 AND c.first_shopper_at >= $2 AND c.first_shopper_at < $3
            ORDER BY q.at DESC LIMIT""" + " " + MAX_QUESTIONS;

    private final GatewayServices services;
    private final MerchantApiHandler auth;
    private final Vertx vertx;

    public ConsoleApi(Vertx vertx, GatewayServices services, MerchantApiHandler auth) {
        this.vertx = vertx;
        this.services = services;
        this.auth = auth;
    }

    /** Console routes outside the merchant API (page, sign-in). */
    public void pageRoutes(Router router) {
        // the route also matches "/console/" (the static page itself): only the bare path is redirected
        router.get("/console").handler(ctx -> {
            if ("/console".equals(ctx.request().path())) {
                ctx.redirect("/console/");
            } else {
                ctx.next();
            }
        });
        router.route("/api/console/*").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
        router.post("/api/console/login").handler(this::login);
        router.post("/api/console/logout").handler(this::logout);
    }

    /** Console routes inside the merchant API (after its session check). */
    public void apiRoutes(Router router) {
        router.get(MerchantApiHandler.ROOT + "/missed").handler(this::missed);
        router.get(MerchantApiHandler.ROOT + "/check").handler(this::check);
    }

    /**
     * {@code GET /api/merchant/check}: the store check of the merchant's live store ({@link StoreChecks}): what
     * the bot confuses, thin and near-duplicate entries, the coverage its answer precision leaves.
     */
    private void check(RoutingContext ctx) {
        String merchant = auth.authenticate(ctx);
        if (merchant == null) {
            return;
        }
        StoreChecks checks = services.storeChecks();
        Store store = services.knowledge().store(merchant);
        if (checks == null || store == null) {
            error(ctx, 503, "the gateway is still loading");
            return;
        }
        java.util.concurrent.CompletableFuture<JsonObject> report;
        try {
            report = checks.check(store);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            error(ctx, 503, "other store checks are running on this node; retry in a minute");
            return;
        }
        Future.fromCompletionStage(report, vertx.getOrCreateContext()).onComplete(ar -> {
            if (ar.succeeded()) {
                json(ctx, 200, ar.result());
            } else {
                log.warn("store check of {} failed: {}", merchant, ar.cause().toString());
                error(ctx, 503, "the store check failed; retry shortly");
            }
        });
    }

    private void login(RoutingContext ctx) {
        PgServices pg = services.pg();
        ConsoleSessions sessions = services.consoleSessions();
        if (pg == null || sessions == null) {
            error(ctx, 503, "the console needs PostgreSQL (start the gateway with --pg)");
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null || !(body.getValue("merchant") instanceof String merchant) || !(body.getValue("username") instanceof String user)
                || !(body.getValue("password") instanceof String password) || merchant.length() > 64 || user.length() > 128
                || password.length() > 1024) {
            error(ctx, 400, "send {\"merchant\", \"username\", \"password\"}");
            return;
        }
        AdminAccounts.check(vertx, pg.database().pool(), merchant, user, password).compose(ok -> ok
                        ? sessions.open(merchant, user) : Future.succeededFuture((String) null))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        error(ctx, 503, "sign-in is unavailable right now; retry shortly");
                    } else if (ar.result() == null) {
                        error(ctx, 401, "wrong merchant, user name or password");
                    } else {
                        json(ctx, 200, new JsonObject().put("token", ar.result()).put("merchant", merchant).put("username", user)
                                .put("expiresInSeconds", ConsoleSessions.LIFETIME.toSeconds()));
                    }
                });
    }

    private void logout(RoutingContext ctx) {
        String a = ctx.request().getHeader("authorization");
        ConsoleSessions sessions = services.consoleSessions();
        if (a == null || !a.regionMatches(true, 0, "Bearer cs_", 0, 10) || sessions == null) {
            error(ctx, 401, "send the session's 'Authorization: Bearer cs_…'");
            return;
        }
        sessions.close(a.substring(7).strip()).onComplete(ar -> json(ctx, 200, new JsonObject().put("signedOut", ar.succeeded())));
    }

    private void missed(RoutingContext ctx) {
        String merchant = auth.authenticate(ctx);
        if (merchant == null) {
            return;
        }
        PgServices pg = services.pg();
        Embedder embedder = services.embedder();
        if (pg == null || embedder == null) {
            error(ctx, 503, "missed questions need PostgreSQL (start the gateway with --pg)");
            return;
        }
        LocalDate today = LocalDate.ofInstant(services.clock().instant(), ZoneOffset.UTC);
        LocalDate from;
        LocalDate to;
        try {
            to = ctx.request().getParam("to") == null ? today : LocalDate.parse(ctx.request().getParam("to"));
            from = ctx.request().getParam("from") == null ? to.minusDays(29) : LocalDate.parse(ctx.request().getParam("from"));
        } catch (RuntimeException e) {
            error(ctx, 400, "'from' and 'to' must be dates like 2026-11-01");
            return;
        }
        Store store = services.knowledge().store(merchant);
        pg.database().pool().preparedQuery(MISSED).execute(Tuple.of(merchant, from.atStartOfDay().atOffset(ZoneOffset.UTC),
                        to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)))
                .compose(rows -> {
                    Map<String, List<String>> byLanguage = new LinkedHashMap<>();
                    int n = 0;
                    for (Row r : rows) {
                        String lang = r.getString("language") == null ? store.defaultLanguage() : r.getString("language");
                        byLanguage.computeIfAbsent(lang, k -> new ArrayList<>()).add(r.getString("text"));
                        n++;
                    }
                    int total = n;
                    List<Future<JsonArray>> parts = new ArrayList<>();
                    byLanguage.forEach((lang, texts) -> parts.add(groups(embedder, store, lang, texts)));
                    return Future.all(parts).map(all -> {
                        List<JsonObject> groups = new ArrayList<>();
                        for (Future<JsonArray> p : parts) {
                            p.result().forEach(g -> groups.add((JsonObject) g));
                        }
                        groups.sort((a, b) -> Integer.compare(b.getInteger("count"), a.getInteger("count")));
                        return new JsonObject().put("merchant", merchant).put("from", from.toString()).put("to", to.toString())
                                .put("questions", total).put("groups", new JsonArray(groups.subList(0, Math.min(MAX_GROUPS, groups.size()))));
                    });
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        MerchantApiHandler.failed(ctx, ar.cause());
                    } else {
                        json(ctx, 200, ar.result());
                    }
                });
    }

    /** The groups of one language's questions, each with its closest FAQ entry. */
    private Future<JsonArray> groups(Embedder embedder, Store store, String lang, List<String> texts) {
        Map<String, Integer> distinct = Clusters.distinct(texts);
        List<String> keys = new ArrayList<>(distinct.keySet());
        List<Integer> counts = new ArrayList<>(distinct.values());
        return Future.fromCompletionStage(embedder.embed(lang, keys), vertx.getOrCreateContext())
                .compose(vectors -> vertx.executeBlocking(() -> Clusters.group(keys, counts, vectors, Clusters.SIMILARITY), false))
                .compose(groups -> {
                    List<Future<JsonObject>> out = new ArrayList<>();
                    for (Clusters.Group g : groups.subList(0, Math.min(MAX_GROUPS, groups.size()))) {
                        out.add(suggest(store, lang, g));
                    }
                    return Future.all(out).map(all -> {
                        JsonArray a = new JsonArray();
                        out.forEach(f -> a.add(f.result()));
                        return a;
                    });
                });
    }

    private Future<JsonObject> suggest(Store store, String lang, Clusters.Group g) {
        JsonArray examples = new JsonArray();
        for (int i = 0; i < g.texts().size() && i < 8; i++) {
            examples.add(new JsonObject().put("text", g.texts().get(i)).put("count", g.counts().get(i)));
        }
        JsonObject group = new JsonObject().put("language", lang).put("count", g.total()).put("distinct", g.texts().size())
                .put("examples", examples).put("texts", new JsonArray(g.texts().subList(0, Math.min(50, g.texts().size()))));
        return Future.fromCompletionStage(services.knowledge().understand(store.merchantId(), g.texts().get(0)), vertx.getOrCreateContext())
                .map(u -> {
                    java.util.Set<String> builtIn = io.nectar.gateway.store.SmallTalk.builtIn(store);
                    for (Intent i : u.intents()) {
                        // the built-in small talk is no entry of the merchant's to add phrasings to
                        FaqEntry f = Intent.FAQ.equals(i.kind()) && !builtIn.contains(i.id()) ? store.faq(i.id()) : null;
                        if (f != null && f.questions().containsKey(lang) && !f.questions().get(lang).isEmpty()) {
                            group.put("suggestion", new JsonObject().put("faq", f.id()).put("question", f.questions().get(lang).get(0))
                                    .put("confidence", Math.round(i.confidence() * 1000) / 1000.0));
                            break;
                        }
                    }
                    return group;
                })
                .otherwise(group);
    }
}
