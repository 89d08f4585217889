package io.nectar.gateway;

import io.nectar.gateway.webhook.MemoryOutbox;
import io.nectar.gateway.workbench.WorkbenchSetup;

import io.nectar.gateway.http.HttpServerVerticle;
import io.nectar.gateway.knowledge.EncoderRouter;
import io.nectar.gateway.knowledge.IntentHeads;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.gateway.metrics.Counters;
import io.nectar.gateway.metrics.GatewayMetrics;
import io.nectar.gateway.cluster.SharedState;
import io.nectar.gateway.conversations.ConversationStore;
import io.nectar.gateway.conversations.InMemoryConversationStore;
import io.nectar.gateway.transcript.TranscriptReader;
import io.nectar.gateway.transcript.TranscriptSink;
import io.nectar.gateway.handoff.DeskSink;
import io.nectar.gateway.handoff.HandoffDesk;
import io.nectar.gateway.store.ClasspathStoreSource;
import io.nectar.gateway.store.DirectoryStoreSource;
import io.nectar.gateway.merchant.MemoryMerchantKnowledge;
import io.nectar.gateway.merchant.MerchantKnowledge;
import io.nectar.gateway.pg.PgServices;
import io.nectar.gateway.store.SmallTalk;
import io.nectar.gateway.store.Store;
import io.nectar.gateway.store.StoreException;
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
import java.time.Duration;
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
    private final SharedState shared;
    private final Overrides overrides;
    private final int port;
    private final Promise<Void> ready = Promise.promise();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final MemoryOutbox memoryOutbox;

    private Gateway(Vertx vertx, GatewayServices services, SharedState shared, Overrides overrides, int port, MemoryOutbox memoryOutbox) {
        this.memoryOutbox = memoryOutbox;
        this.vertx = vertx;
        this.services = services;
        this.shared = shared;
        this.overrides = overrides;
        this.port = port;
        closeables.add(services.metrics());
    }

    /**
     * Parts a test may put in place of the real ones: where the durable log drains to and where older
     * messages are read back from (PostgreSQL otherwise). {@code null} fields keep the real part.
     */
    public record Overrides(TranscriptSink sink, TranscriptReader reader, java.time.Clock clock, long reminderPollMillis) {
        public static final Overrides NONE = new Overrides(null, null);

        public Overrides(TranscriptSink sink, TranscriptReader reader) {
            this(sink, reader, null, REMINDER_POLL_MILLIS);
        }

        /** The real parts, with the merchant side's time from {@code clock}; reminders tick every {@code pollMillis} (0: never). */
        public static Overrides clock(java.time.Clock clock, long pollMillis) {
            return new Overrides(null, null, clock, pollMillis);
        }
    }

    /** How often each node looks for due reminders. */
    static final long REMINDER_POLL_MILLIS = 1_000;

    /** Starts a node; the future completes once it listens (not yet ready; see {@link #ready()}). */
    public static Future<Gateway> start(GatewayConfig config) {
        return start(config, Overrides.NONE);
    }

    /** Starts a node with some parts replaced (tests). */
    public static Future<Gateway> start(GatewayConfig config, Overrides overrides) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)   // epoll on Linux, NIO elsewhere (decision 104)
                .setEventLoopPoolSize(config.eventLoops())
                .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setWarningExceptionTime(2).setWarningExceptionTimeUnit(TimeUnit.SECONDS));
        GatewayMetrics metrics = new GatewayMetrics();
        HandoffDesk desk = new HandoffDesk();
        SharedState shared = config.cluster().shared() ? SharedState.start(vertx, config.cluster(), config.conversationTtl()) : null;
        ConversationStore conversations;
        MemoryOutbox[] outbox = new MemoryOutbox[1];
        GatewayServices[] servicesRef = new GatewayServices[1];
        if (shared != null) {
            conversations = shared.store();
            metrics.counter("nectar_redis_round_trips_total", "Redis calls made by the conversation store",
                    shared.store()::roundTrips);
            metrics.gauge("nectar_drain_lag_entries", "Durable-log entries not yet written to PostgreSQL",
                    () -> shared.drainer() == null ? 0 : shared.drainer().lagEntries());
            metrics.gauge("nectar_drain_lag_seconds", "Age of the oldest durable-log entry not yet in PostgreSQL",
                    () -> shared.drainer() == null ? 0 : shared.drainer().lagSeconds());
            metrics.counter("nectar_drained_messages_total", "Messages this node's drainer wrote to PostgreSQL",
                    () -> shared.drainer() == null ? 0 : shared.drainer().drained());
            metrics.counter("nectar_drain_failures_total", "Drain passes that failed (PostgreSQL or Redis away)",
                    () -> shared.drainer() == null ? 0 : shared.drainer().failures());
        } else {
            InMemoryConversationStore[] memory = new InMemoryConversationStore[1];
            DeskSink deskSink = new DeskSink(desk, id -> memory[0].transcript(id));
            outbox[0] = WorkbenchSetup.memoryOutbox(() -> servicesRef[0] == null ? null : servicesRef[0].merchantKnowledge());
            memory[0] = new InMemoryConversationStore(config.maxConversations(), config.conversationTtl(),
                    config.cluster().windowMessages(), batch -> deskSink.write(batch).compose(v -> outbox[0].write(batch)));
            conversations = memory[0];
        }
        GatewayServices services = new GatewayServices(config, metrics, conversations, desk);
        if (overrides.clock() != null) {
            services.clock(overrides.clock());
        }
        if (shared != null) {
            services.offers().counter(io.nectar.gateway.offers.DailyCounter.redis(shared.redis(), shared.keys().prefix(),
                    config.cluster().redisTimeout().toMillis()));
        }
        servicesRef[0] = services;
        if (shared != null) {
            services.dependencies().add("redis", true, () -> Future.succeededFuture(new io.vertx.core.json.JsonObject()
                    .put("status", shared.healthy() ? "UP" : "DOWN").put("subscribed", shared.channel().subscribed())));
        }
        services.actions(new io.nectar.gateway.action.ActionRunner(vertx));
        services.dependencies().probeEvery(vertx, 1_000);
        metrics.gauge("nectar_conversations_held", "Conversations held by this node's connections (Redis) or in its memory",
                conversations::size);
        metrics.gauge("nectar_node_draining", "1 while the node moves its shoppers away before stopping",
                () -> services.draining() ? 1 : 0);

        // One instance per event loop; they share the listening port (port 0: one random port for all).
        List<HttpServerVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
                    HttpServerVerticle v = new HttpServerVerticle(services, config.host(), config.port());
                    instances.add(v);
                    return v;
                }, new DeploymentOptions().setInstances(config.eventLoops()))
                .map(id -> new Gateway(vertx, services, shared, overrides, instances.get(0).actualPort(), outbox[0]))
                .onSuccess(g -> {
                    log.info("listening on http://{}:{} ({} transport; loading models and stores...)", config.host(), g.port,
                            vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
                    Thread loader = new Thread(g::load, "nectar-loader");
                    loader.setDaemon(true);
                    loader.start();
                })
                .onFailure(t -> {
                    if (shared != null) {
                        shared.stop();
                    }
                    metrics.close();
                    vertx.close();
                });
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
                        throw new StoreException("two stores use merchant id '" + store.merchantId() + "' (the second: "
                                + s.describe() + "). Fix: set another 'merchant:' in one store.yaml, or rename one directory");
                    }
                    if (!store.hasAgents()) {
                        log.warn("store '{}' ({}) has no agentToken: no agent can see handed-off conversations, so a shopper "
                                + "who asks for a person is told none is available. To hand off, add 'agentToken: <secret of 16+ "
                                + "characters>' to its store.yaml", store.merchantId(), s.describe());
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
            services.metrics().counter("nectar_nlu_batches_total", "ONNX batches run", () -> executor.stats().batches());
            services.metrics().counter("nectar_nlu_rejected_total", "Inference requests refused as overloaded",
                    () -> executor.stats().rejected());
            services.metrics().counter("nectar_nlu_relieved_total",
                    "ONNX batches taken by the normal-priority relief worker because they waited too long (decision 126)",
                    () -> executor.stats().relieved());
            Path data = config.dataDir().toAbsolutePath();
            KnowledgeIndex index = new KnowledgeIndex(IndexConfig.defaults().withSnapshots(data.resolve("index"), 0));
            closeables.add(index);
            IntentHeads heads = config.ranking() == KnowledgeBase.Ranking.HEAD
                    ? new IntentHeads(data.resolve("models"), executor, new IntentHeads.Settings(config.headThresholdScale(),
                    IntentTrainer.Options.DEFAULT, 3)) : null;
            if (heads != null) {
                closeables.add(heads.registry());
            }
            io.nectar.gateway.console.Embedder embedder = new io.nectar.gateway.console.Embedder(executor, router);
            services.embedder(embedder);
            io.nectar.gateway.console.StoreChecks checks = new io.nectar.gateway.console.StoreChecks(embedder);
            closeables.add(0, checks);
            services.storeChecks(checks);
            // the answer cache remembers as many questions as the encoders' cache remembers vectors
            KnowledgeBase knowledge = new KnowledgeBase(executor, router, index, heads, config.ranking(),
                    config.searchThreads(), config.searchQueue(), config.encoderCacheSize());
            services.metrics().counter("nectar_answer_cache_hits_total", "Questions answered from the answer cache",
                    () -> knowledge.answerCacheCounts()[0]);
            services.metrics().counter("nectar_answer_cache_misses_total", "Questions read in full (not in the answer cache)",
                    () -> knowledge.answerCacheCounts()[1]);
            services.metrics().counter("nectar_answer_cache_joined_total",
                    "Questions that waited for a reading of the same question already under way (not read again)",
                    () -> knowledge.answerCacheCounts()[2]);
            closeables.add(0, knowledge);
            services.metrics().counter("nectar_degraded_answers_total",
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
            startDurable();
            if (pg != null) {
                services.consoleSessions(new io.nectar.gateway.auth.ConsoleSessions(pg.database(), services.clock()));
                services.reminders().start(vertx, overrides.reminderPollMillis());
            }
            WorkbenchSetup.start(vertx, services, shared, memoryOutbox, closeables);
            collectStartUpGarbage();
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
            if (t instanceof StoreException) {
                // a mistake in a store's files: its one-line message is the report (GatewayMain prints it)
                log.debug("store error", t);
            } else {
                log.error("start-up failed: {}", why, t);
            }
            ready.tryFail(t);
        }
    }

    /**
     * One full collection before the node turns ready (decision 111). Loading models and training the heads
     * leaves ~100 MB of dead arrays that the small young collections of start-up promoted; left there, the
     * old generation fills during the first minutes of traffic and its full collection lands in whatever
     * burst comes first. Here it costs a pause nobody waits on. A JVM run with -XX:+DisableExplicitGC skips it.
     */
    private static void collectStartUpGarbage() {
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory(), t0 = System.nanoTime();
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        log.info("start-up garbage collected: heap {} MB -> {} MB in {} ms", before >> 20, after >> 20,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static void override(Map<String, EncoderRouter.Calibration> calibrations, String encoder, double threshold) {
        if (!Double.isNaN(threshold)) {
            calibrations.put(encoder, new EncoderRouter.Calibration(threshold, calibrations.get(encoder).scale()));
        }
    }

    /**
     * Connects what PostgreSQL provides in shared mode: the drain of the durable log and the reader of
     * older messages. Blocking (start-up thread).
     */
    private void startDurable() throws Exception {
        if (shared == null) {
            return;
        }
        PgServices pg = services.pg();
        TranscriptSink sink = overrides.sink() != null ? overrides.sink() : pg == null ? null : pg.sink();
        TranscriptReader reader = overrides.reader() != null ? overrides.reader() : pg == null ? null : pg.reader();
        services.transcripts(reader);
        if (sink == null) {
            throw new IllegalStateException("shared mode needs PostgreSQL's transcript sink");
        }
        shared.startDrainer(sink).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The node's share of Redis, or {@code null} when embedded. */
    public SharedState shared() {
        return shared;
    }

    /**
     * Stops gracefully: readiness fails and new chats are refused, every shopper is told to reconnect
     * (in batches; they resume on other nodes) once the message in progress is answered, the drainer
     * writes what it read and stops; then the node stops. At most {@code grace} for the shoppers.
     */
    public Future<Void> drainAndStop(Duration grace) {
        services.draining(true);
        log.info("draining: moving {} connection(s) to other nodes (grace {} s)", services.connections().size(), grace.toSeconds());
        long t0 = System.nanoTime();
        return services.connections().drain(vertx, DRAIN_BATCH, DRAIN_INTERVAL_MILLIS)
                .timeout(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)
                .recover(t -> {
                    log.warn("drain grace of {} s over with {} connection(s) left; closing them", grace.toSeconds(),
                            services.connections().size());
                    return Future.succeededFuture();
                })
                .compose(v -> {
                    log.info("drained in {} ms", (System.nanoTime() - t0) / 1_000_000);
                    return stop();
                });
    }

    /** Connections told to reconnect at once during a drain, and the pause between such batches. */
    static final int DRAIN_BATCH = 500;
    static final long DRAIN_INTERVAL_MILLIS = 100;

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
        services.reminders().stop();
        // the workbench's subscription first, so its connection ending is not taken for a lost one
        Future<Void> workbench = services.workbench() == null ? Future.succeededFuture()
                : services.workbench().close().recover(t -> Future.succeededFuture());
        Future<Void> sharedStopped = workbench.compose(v -> shared == null ? Future.succeededFuture()
                : shared.stop().recover(t -> Future.succeededFuture()));
        return sharedStopped.compose(v -> vertx.close()).onComplete(ar -> {
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
