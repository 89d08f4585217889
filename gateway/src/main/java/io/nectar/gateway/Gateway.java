package io.nectar.gateway;

import io.nectar.gateway.http.HttpServerVerticle;
import io.nectar.gateway.knowledge.EncoderRouter;
import io.nectar.gateway.knowledge.IntentHeads;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.metrics.Counters;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.session.InMemorySessionStore;
import io.nectar.gateway.merchant.MemoryMerchantKnowledge;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreSource;
import io.nectar.index.IndexConfig;
import io.nectar.index.KnowledgeIndex;
import io.nectar.nlu.encoder.EncoderSpec;
import io.nectar.nlu.encoder.SentenceEncoder;
import io.nectar.nlu.exec.EncoderExecutor;
import io.nectar.nlu.intent.IntentTrainer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One gateway node: starts Vert.x and the HTTP/WebSocket server at once (so liveness answers while
 * loading), then loads stores and models on a start-up thread and turns ready. {@link #ready()}
 * completes when the node serves chats.
 */
public final class Gateway {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final GatewayServices services;
    private final int port;
    private final Promise<Void> ready = Promise.promise();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private Gateway(Vertx vertx, GatewayServices services, int port) {
        this.vertx = vertx;
        this.services = services;
        this.port = port;
    }

    /** Starts a node; the future completes once it listens (not yet ready; see {@link #ready()}). */
    public static Future<Gateway> start(GatewayConfig config) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(config.eventLoops())
                .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(2).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        GatewayMetrics metrics = new GatewayMetrics();
        InMemorySessionStore sessions = new InMemorySessionStore(config.maxConversations(), config.conversationTtl());
        GatewayServices services = new GatewayServices(config, metrics, sessions);
        services.actions(new io.nectar.gateway.action.ActionRunner(vertx));
        metrics.gauge("nectar_conversations_stored", "Conversations held by the session store", sessions::size);

        // One instance per event loop; they share the listening port (port 0: one random port for all).
        List<HttpServerVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
                    HttpServerVerticle v = new HttpServerVerticle(services, config.host(), config.port());
                    instances.add(v);
                    return v;
                }, new DeploymentOptions().setInstances(config.eventLoops()))
                .map(id -> new Gateway(vertx, services, instances.get(0).actualPort()))
                .onSuccess(g -> {
                    log.info("listening on http://{}:{} (loading models and stores...)", config.host(), g.port);
                    Thread loader = new Thread(g::load, "nectar-loader");
                    loader.setDaemon(true);
                    loader.start();
                })
                .onFailure(t -> vertx.close());
    }

    private void load() {
        GatewayConfig config = services.config();
        long t0 = System.nanoTime();
        try {
            // merchants' knowledge: PostgreSQL with --pg (migrated and seeded first), else the store files in memory
            PgServices pg = config.cluster().durable()
                    ? PgServices.start(vertx, services).toCompletionStage().toCompletableFuture().get() : null;
            MerchantKnowledge merchantKnowledge = pg != null ? pg.knowledge() : new MemoryMerchantKnowledge(config.stores());
            closeables.add(pg != null ? pg : merchantKnowledge);
            services.pg(pg);
            List<StoreSource> sources = List.of(merchantKnowledge.source());
            List<Store> stores = new ArrayList<>();
            Set<String> merchants = new LinkedHashSet<>();
            for (StoreSource s : sources) {
                for (Store store : s.load().stream().map(SmallTalk::addTo).toList()) {
                    if (!merchants.add(store.merchantId())) {
                        throw new IllegalStateException("two stores use merchant id '" + store.merchantId() + "'");
                    }
                    stores.add(store);
                }
                log.info("read {}", s.describe());
            }
            Set<String> languages = new LinkedHashSet<>();
            stores.forEach(s -> languages.addAll(KnowledgeBase.languagesOf(s)));
            // load only the encoders the stores' languages need
            Map<String, List<String>> byLanguage = new LinkedHashMap<>();
            for (String lang : languages) {
                byLanguage.put(lang, config.encodersFor(lang));
            }
            Map<String, EncoderRouter.Calibration> calibrations = new HashMap<>(EncoderRouter.DEFAULT_CALIBRATIONS);
            override(calibrations, config.encodersFor("zh").get(0), config.zhThreshold());
            override(calibrations, config.encodersFor("en").get(0), config.enThreshold());
            EncoderRouter router = new EncoderRouter(byLanguage, config.encodersFor("en"), calibrations);
            List<SentenceEncoder> encoders = new ArrayList<>();
            for (String name : router.encodersFor(languages.isEmpty() ? List.of("en") : languages)) {
                encoders.add(SentenceEncoder.load(EncoderSpec.bundled(name), 1));
            }
            encoders.forEach(closeables::add);
            log.info("encoders {} loaded for languages {} in {} ms", encoders.stream().map(SentenceEncoder::name).toList(),
                    languages, (System.nanoTime() - t0) / 1_000_000);
            EncoderExecutor executor = new EncoderExecutor(encoders, new EncoderExecutor.Options(config.encoderWorkers(),
                    config.encoderQueue(), config.maxBatchSize(), config.maxBatchWaitMicros(), config.encoderCacheSize()));
            closeables.add(0, executor);
            services.metrics().gauge("nectar_nlu_queue_depth", "Inference requests waiting", executor::queueDepth);
            services.metrics().gauge("nectar_nlu_batches_total", "ONNX batches run", () -> executor.stats().batches());
            services.metrics().gauge("nectar_nlu_rejected_total", "Inference requests refused as overloaded",
                    () -> executor.stats().rejected());
            Path data = config.dataDir().toAbsolutePath();
            KnowledgeIndex index = new KnowledgeIndex(IndexConfig.defaults().withSnapshots(data.resolve("index"), 0));
            closeables.add(index);
            IntentHeads heads = config.ranking() == KnowledgeBase.Ranking.HEAD
                    ? new IntentHeads(data.resolve("models"), executor, new IntentHeads.Settings(config.headThresholdScale(),
                    IntentTrainer.Options.DEFAULT, 3)) : null;
            if (heads != null) {
                closeables.add(heads.registry());
            }
            KnowledgeBase knowledge = new KnowledgeBase(executor, router, index, heads, config.ranking(),
                    config.searchThreads(), config.searchQueue());
            closeables.add(0, knowledge);
            services.metrics().gauge("nectar_degraded_answers_total",
                    "Messages answered from their words alone (BM25) because the encoders' queue was full",
                    knowledge::degradedAnswers);
            Counters.register(services.metrics(), "nectar_knowledge_head_retrains", "Intent head retrains after knowledge changes",
                    () -> knowledge.retrainCounts()[0]);
            services.metrics().gauge("nectar_knowledge_head_retrains_pending", "Intent head retrains waiting or running",
                    () -> knowledge.retrainCounts()[2]);
            for (Store store : stores) {
                knowledge.install(store);
                services.dialogue().warmUp(store);
            }
            merchantKnowledge.attach(knowledge, services.dialogue()::warmUp);
            services.merchantKnowledge(merchantKnowledge);
            services.ready(knowledge, stores.get(0).merchantId());
            log.info("ready: {} merchant(s) {} in {} ms", merchants.size(), merchants, (System.nanoTime() - t0) / 1_000_000);
            ready.tryComplete();
        } catch (Throwable t) {
            Throwable root = t;
            while (root.getMessage() == null && root.getCause() != null) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.toString() : root.getMessage();
            services.failed(why);
            log.error("start-up failed: {}", why, t);
            ready.tryFail(t);
        }
    }

    private static void override(Map<String, EncoderRouter.Calibration> calibrations, String encoder, double threshold) {
        if (!Double.isNaN(threshold)) {
            calibrations.put(encoder, new EncoderRouter.Calibration(threshold, calibrations.get(encoder).scale()));
        }
    }

    /** Completes when models and stores are loaded; fails if loading failed. */
    public Future<Void> ready() {
        return ready.future();
    }

    public int port() {
        return port;
    }

    public GatewayServices services() {
        return services;
    }

    public Vertx vertx() {
        return vertx;
    }

    public Future<Void> stop() {
        return vertx.close().onComplete(ar -> {
            for (AutoCloseable c : closeables) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("close failed: {}", e.toString());
                }
            }
        });
    }
}
