package io.nectar.gateway.workbench;

import io.nectar.gateway.GatewayServices;
import io.nectar.gateway.auth.AgentAccounts;
import io.nectar.gateway.auth.AgentSignIn;
import io.nectar.gateway.auth.MemoryTtlStore;
import io.nectar.gateway.auth.PgAgentAccounts;
import io.nectar.gateway.auth.RedisTtlStore;
import io.nectar.gateway.auth.Sessions;
import io.nectar.gateway.auth.SignInThrottle;
import io.nectar.gateway.auth.TtlStore;
import io.nectar.gateway.auth.StoreAgents;
import io.nectar.gateway.cluster.SharedState;
import io.nectar.gateway.conversations.InMemoryConversationStore;
import io.nectar.gateway.conversations.Owner;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.webhook.MemoryOutbox;
import io.nectar.gateway.webhook.Outbox;
import io.nectar.gateway.webhook.PgOutbox;
import io.nectar.gateway.webhook.WebhookDispatcher;
import io.nectar.gateway.webhook.WebhookSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Puts the workbench together for the node's mode: accounts from PostgreSQL (or store.yaml when embedded),
 * sessions, throttles and assist panes in Redis (or memory), events on Redis pub/sub (or in memory), live
 * conversations from PostgreSQL (or the node's memory), and the webhook dispatcher over the outbox.
 * Blocking (hashes a dummy password): call it from the start-up thread.
 */
public final class WorkbenchSetup {

    static final String LIVE = "SELECT id, owner, language, updated_at, last_seq FROM conversations WHERE merchant_id = $1 "
            + "AND updated_at >= $2 ORDER BY updated_at DESC LIMIT $3";

    private WorkbenchSetup() {
    }

    /** The embedded node's webhook outbox: it reads committed ownership changes like a transcript sink. */
    public static MemoryOutbox memoryOutbox(java.util.function.Supplier<MerchantKnowledge> knowledge) {
        return new MemoryOutbox(m -> hasWebhook(knowledge.get(), m));
    }

    static boolean hasWebhook(MerchantKnowledge k, String merchant) {
        try {
            return k != null && WebhookSettings.of(k.settings(merchant)) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static Workbench start(Vertx vertx, GatewayServices services, SharedState shared, MemoryOutbox memoryOutbox,
                                  java.util.List<AutoCloseable> closeables) throws Exception {
        PgServices pg = services.pg();
        MerchantKnowledge knowledge = services.merchantKnowledge();
        boolean isShared = shared != null;
        TtlStore ttl = isShared ? new RedisTtlStore(shared.redis(), services.config().cluster().keyPrefix(),
                services.config().cluster().redisTimeout().toMillis()) : new MemoryTtlStore();
        AgentAccounts accounts = pg != null ? new PgAgentAccounts(pg.database()) : new StoreAgents(knowledge::settings);
        AgentSignIn signIn = new AgentSignIn(accounts, new Sessions(ttl), new SignInThrottle(ttl));
        closeables.add(signIn);
        WorkbenchBus bus = isShared ? new RedisBus(vertx, shared.redis(), shared.newSubscriberClient(),
                services.config().cluster().keyPrefix(), shared.redisCluster(), services.config().cluster().redisTimeout().toMillis())
                : new LocalBus();
        Workbench.LiveConversations live;
        if (isShared && pg != null) {
            live = (merchant, since, limit) -> pg.database().withConnection(conn -> conn.preparedQuery(LIVE)
                    .execute(Tuple.of(merchant, OffsetDateTime.ofInstant(Instant.ofEpochMilli(since), ZoneOffset.UTC), limit))
                    .map(rows -> {
                        JsonArray out = new JsonArray();
                        for (Row r : rows) {
                            out.add(liveRow(r.getString("id"), r.getString("owner"), r.getString("language"),
                                    r.getOffsetDateTime("updated_at").toInstant().toEpochMilli(), null));
                        }
                        return out;
                    }));
        } else if (services.conversations() instanceof InMemoryConversationStore memory) {
            live = (merchant, since, limit) -> {
                JsonArray out = new JsonArray();
                memory.recent(merchant, since, limit).forEach(p -> {
                    JsonObject last = p.window().isEmpty() ? null : p.window().get(p.window().size() - 1);
                    out.add(liveRow(p.conversationId(), p.owner(), p.language(), p.updatedAt(), last == null ? null : last.getString("text")));
                });
                return Future.succeededFuture(out);
            };
        } else {
            live = (merchant, since, limit) -> Future.succeededFuture(new JsonArray());
        }
        ThreadPoolExecutor assist = new ThreadPoolExecutor(1, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "assist");
            t.setDaemon(true);
            return t;
        });
        closeables.add(assist::shutdownNow);
        Workbench w = new Workbench(services, vertx, signIn, bus, ttl, live, assist);
        w.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        closeables.add(() -> w.close());

        Outbox outbox = pg != null ? new PgOutbox(pg.database()) : memoryOutbox;
        if (pg != null) {
            pg.sink().webhooks(m -> hasWebhook(services.merchantKnowledge(), m));
        }
        if (outbox != null) {
            WebhookDispatcher dispatcher = new WebhookDispatcher(vertx, outbox, m -> {
                try {
                    return WebhookSettings.of(services.merchantKnowledge().settings(m));
                } catch (RuntimeException e) {
                    return null;
                }
            });
            dispatcher.start();
            closeables.add(dispatcher::stop);
            services.metrics().counter("nectar_webhooks_delivered_total", "Ownership webhooks delivered", dispatcher::delivered);
            services.metrics().counter("nectar_webhook_failed_attempts_total", "Ownership webhook attempts that failed (retried)",
                    dispatcher::failedAttempts);
            services.metrics().counter("nectar_webhooks_given_up_total", "Ownership webhooks given up after every retry",
                    dispatcher::givenUp);
        }
        services.workbench(w);
        return w;
    }

    static JsonObject liveRow(String id, String owner, String language, long updatedAt, String lastMessage) {
        return new JsonObject().put("conversationId", id).put("owner", Owner.kind(owner)).put("ownerLogin", Owner.login(owner))
                .put("language", language).put("updatedAt", updatedAt).put("lastMessage", lastMessage);
    }
}
