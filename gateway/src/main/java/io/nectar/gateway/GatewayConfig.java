package io.nectar.gateway;

import io.nectar.gateway.cluster.ClusterConfig;
import io.nectar.gateway.knowledge.EncoderRouter;
import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.nlu.encoder.EncoderSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a gateway node is configured with. Built from command-line options ({@link #fromArgs});
 * the compact constructor validates, so a bad value stops start-up with a clear message.
 *
 * @param stores store directories to serve; empty means the bundled demo store
 */
public record GatewayConfig(
        String host,
        int port,
        List<Path> stores,
        int eventLoops,
        int encoderWorkers,
        int encoderQueue,
        int maxBatchSize,
        long maxBatchWaitMicros,
        int encoderCacheSize,
        int searchThreads,
        int searchQueue,
        int maxTextChars,
        int maxFrameBytes,
        double messagesPerSecond,
        int messageBurst,
        int maxPendingPerConnection,
        long maxQueueWaitMillis,
        long maxConversations,
        Duration conversationTtl,
        int idleTimeoutSeconds,
        double zhThreshold,
        double enThreshold,
        Path dataDir,
        Map<String, List<String>> encoders,
        KnowledgeBase.Ranking ranking,
        double headThresholdScale,
        ClusterConfig cluster) {

    public static final int DEFAULT_PORT = 8080;
    /** The data directory when neither {@code --data-dir} nor {@code NECTAR_DATA_DIR} names one. */
    public static final String DEFAULT_DATA_DIR = "data";
    /**
     * Accept a head's top intent at this multiple of its calibrated threshold (decision 38: chosen on
     * held-out CLINC150 training utterances).
     */
    public static final double DEFAULT_HEAD_THRESHOLD_SCALE = 0.7;
    /**
     * A message still waiting behind its connection's earlier ones after this long is answered
     * {@code overloaded} instead of read (decision 106): past it, the shopper has most likely stopped
     * waiting, and reading it would only delay the messages behind it.
     */
    public static final long DEFAULT_MAX_QUEUE_WAIT_MILLIS = 10_000;

    public GatewayConfig {
        stores = List.copyOf(stores);
        Map<String, List<String>> enc = new LinkedHashMap<>();
        encoders.forEach((k, v) -> enc.put(k, List.copyOf(v)));
        encoders = java.util.Collections.unmodifiableMap(enc);
        if (dataDir == null || ranking == null || cluster == null) {
            throw new IllegalArgumentException("data-dir, ranking and cluster settings are required");
        }
        encoders.forEach((lang, names) -> {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("--encoders " + lang + "= names no encoder");
            }
            for (String n : names) {
                if (EncoderSpec.bundled(n) == null) {
                    throw new IllegalArgumentException("unknown encoder '" + n + "' for " + lang + " (bundled: "
                            + EncoderSpec.BUNDLED.stream().map(EncoderSpec::name).toList() + ")");
                }
            }
        });
        if (headThresholdScale <= 0 || headThresholdScale > 2) {
            throw new IllegalArgumentException("head-threshold-scale must be in (0, 2]");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        positive("event-loops", eventLoops);
        positive("encoder-workers", encoderWorkers);
        positive("encoder-queue", encoderQueue);
        positive("max-batch", maxBatchSize);
        positive("search-threads", searchThreads);
        positive("search-queue", searchQueue);
        positive("max-text-chars", maxTextChars);
        positive("max-pending", maxPendingPerConnection);
        positive("max-queue-wait-ms", maxQueueWaitMillis);
        positive("message-burst", messageBurst);
        positive("idle-timeout", idleTimeoutSeconds);
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("max-frame-bytes must be >= 1024");
        }
        if (messagesPerSecond <= 0) {
            throw new IllegalArgumentException("messages-per-second must be > 0");
        }
        if (maxBatchWaitMicros < 0 || encoderCacheSize < 0 || maxConversations < 1) {
            throw new IllegalArgumentException("max-batch-wait and encoder-cache must be >= 0, max-conversations >= 1");
        }
        if (!Double.isNaN(zhThreshold) && (zhThreshold <= 0 || zhThreshold >= 1)
                || !Double.isNaN(enThreshold) && (enThreshold <= 0 || enThreshold >= 1)) {
            throw new IllegalArgumentException("thresholds must be in (0, 1)");
        }
    }

    private static void positive(String name, long v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + v);
        }
    }

    public static GatewayConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        String env = System.getenv("NECTAR_DATA_DIR");
        Path data = Path.of(env == null || env.isBlank() ? DEFAULT_DATA_DIR : env);
        return new GatewayConfig("0.0.0.0", DEFAULT_PORT, List.of(), cores, cores, 2048, 32, 2000, 50_000,
                1, 4096, 2000, 65536, 5, 10, 16, DEFAULT_MAX_QUEUE_WAIT_MILLIS, 1_000_000, Duration.ofMinutes(30), 300, Double.NaN, Double.NaN,
                data, Map.of(), KnowledgeBase.Ranking.HEAD, DEFAULT_HEAD_THRESHOLD_SCALE,
                ClusterConfig.fromEnvironment(System.getenv()));
    }

    /** The encoders of a language: configured, else the defaults (bge-small-zh for zh, the English list otherwise). */
    public List<String> encodersFor(String lang) {
        List<String> own = encoders.get(lang);
        if (own != null) {
            return own;
        }
        if (!"zh".equals(lang) && encoders.containsKey("en")) {
            return encoders.get("en");   // every non-Chinese language shares the English encoders (decision 2)
        }
        return "zh".equals(lang) ? EncoderRouter.DEFAULT_ZH : EncoderRouter.DEFAULT_OTHER;
    }

    private GatewayConfig copy(String h, int p, List<Path> s, double perSecond, int burst, Path data,
                               Map<String, List<String>> enc, KnowledgeBase.Ranking r, double scale) {
        return new GatewayConfig(h, p, s, eventLoops, encoderWorkers, encoderQueue, maxBatchSize,
                maxBatchWaitMicros, encoderCacheSize, searchThreads, searchQueue, maxTextChars, maxFrameBytes,
                perSecond, burst, maxPendingPerConnection, maxQueueWaitMillis, maxConversations, conversationTtl,
                idleTimeoutSeconds, zhThreshold, enThreshold, data, enc, r, scale, cluster);
    }

    /** The same configuration with other Redis/PostgreSQL/node settings. */
    public GatewayConfig withCluster(ClusterConfig c) {
        return new GatewayConfig(host, port, stores, eventLoops, encoderWorkers, encoderQueue, maxBatchSize,
                maxBatchWaitMicros, encoderCacheSize, searchThreads, searchQueue, maxTextChars, maxFrameBytes,
                messagesPerSecond, messageBurst, maxPendingPerConnection, maxQueueWaitMillis, maxConversations, conversationTtl,
                idleTimeoutSeconds, zhThreshold, enThreshold, dataDir, encoders, ranking, headThresholdScale, c);
    }

    public GatewayConfig withDataDir(Path d) {
        return copy(host, port, stores, messagesPerSecond, messageBurst, d, encoders, ranking, headThresholdScale);
    }

    public GatewayConfig withEncoders(Map<String, List<String>> e) {
        return copy(host, port, stores, messagesPerSecond, messageBurst, dataDir, e, ranking, headThresholdScale);
    }

    public GatewayConfig withRanking(KnowledgeBase.Ranking r) {
        return copy(host, port, stores, messagesPerSecond, messageBurst, dataDir, encoders, r, headThresholdScale);
    }

    public GatewayConfig withPort(int p) {
        return copy(host, p, stores, messagesPerSecond, messageBurst, dataDir, encoders, ranking, headThresholdScale);
    }

    public GatewayConfig withHost(String h) {
        return copy(h, port, stores, messagesPerSecond, messageBurst, dataDir, encoders, ranking, headThresholdScale);
    }

    public GatewayConfig withStores(List<Path> s) {
        return copy(host, port, s, messagesPerSecond, messageBurst, dataDir, encoders, ranking, headThresholdScale);
    }

    public GatewayConfig withRate(double perSecond, int burst) {
        return copy(host, port, stores, perSecond, burst, dataDir, encoders, ranking, headThresholdScale);
    }

    /**
     * The text of {@code --help}: {@code usage/run.txt} on the classpath, which {@code ops/run --help}
     * prints from the source tree without building (one text for both).
     */
    public static final String USAGE = readUsage();

    private static String readUsage() {
        try (java.io.InputStream in = GatewayConfig.class.getClassLoader().getResourceAsStream("usage/run.txt")) {
            if (in == null) {
                throw new IllegalStateException("usage/run.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parses command-line options over {@link #defaults()}; throws IllegalArgumentException on bad input. */
    public static GatewayConfig fromArgs(String[] args) {
        GatewayConfig d = defaults();
        String host = d.host;
        int port = d.port, eventLoops = d.eventLoops, workers = d.encoderWorkers, queue = d.encoderQueue,
                batch = d.maxBatchSize, cache = d.encoderCacheSize, maxText = d.maxTextChars,
                maxFrame = d.maxFrameBytes, burst = d.messageBurst, pending = d.maxPendingPerConnection,
                idle = d.idleTimeoutSeconds;
        long wait = d.maxBatchWaitMicros, maxConv = d.maxConversations, ttlMin = d.conversationTtl.toMinutes(),
                queueWait = d.maxQueueWaitMillis;
        double rate = d.messagesPerSecond, zh = d.zhThreshold, en = d.enThreshold, scale = d.headThresholdScale;
        List<Path> stores = new ArrayList<>();
        Path data = d.dataDir;
        Map<String, List<String>> encoders = new LinkedHashMap<>();
        KnowledgeBase.Ranking ranking = d.ranking;
        ClusterConfig cluster = d.cluster;
        ClusterConfig.RedisEndpoints redis = cluster.redis();
        String pg = cluster.pgUrl(), redisMaster = null, sentinels = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--help") || a.equals("-h")) {
                throw new HelpRequested();
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (try --help)");
            }
            if (v == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value (try --help)");
                }
                v = args[++i];
            }
            try {
                switch (a) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--host" -> host = v;
                    case "--store" -> stores.add(Path.of(v));
                    case "--event-loops" -> eventLoops = Integer.parseInt(v);
                    case "--encoder-workers" -> workers = Integer.parseInt(v);
                    case "--encoder-queue" -> queue = Integer.parseInt(v);
                    case "--max-batch" -> batch = Integer.parseInt(v);
                    case "--max-batch-wait-us" -> wait = Long.parseLong(v);
                    case "--encoder-cache" -> cache = Integer.parseInt(v);
                    case "--max-text-chars" -> maxText = Integer.parseInt(v);
                    case "--max-frame-bytes" -> maxFrame = Integer.parseInt(v);
                    case "--rate" -> rate = Double.parseDouble(v);
                    case "--burst" -> burst = Integer.parseInt(v);
                    case "--max-pending" -> pending = Integer.parseInt(v);
                    case "--max-queue-wait-ms" -> queueWait = Long.parseLong(v);
                    case "--max-conversations" -> maxConv = Long.parseLong(v);
                    case "--conversation-ttl-min" -> ttlMin = Long.parseLong(v);
                    case "--idle-timeout" -> idle = Integer.parseInt(v);
                    case "--zh-threshold" -> zh = Double.parseDouble(v);
                    case "--en-threshold" -> en = Double.parseDouble(v);
                    case "--data-dir" -> data = Path.of(v);
                    case "--encoders" -> encoders.putAll(parseEncoders(v));
                    case "--ranking" -> ranking = KnowledgeBase.Ranking.parse(v);
                    case "--head-threshold-scale" -> scale = Double.parseDouble(v);
                    case "--redis" -> redis = ClusterConfig.RedisEndpoints.standalone(v);
                    case "--redis-cluster" -> redis = ClusterConfig.RedisEndpoints.cluster(v);
                    case "--redis-sentinel" -> sentinels = v;
                    case "--redis-master" -> redisMaster = v;
                    case "--pg" -> pg = v;
                    case "--node-id" -> cluster = cluster.withNodeId(v);
                    case "--redis-timeout-ms" -> cluster = cluster.withRedisTimeout(Duration.ofMillis(Long.parseLong(v)));
                    case "--drain-grace" -> cluster = cluster.withDrainGrace(Duration.ofSeconds(Long.parseLong(v)));
                    case "--window-messages" -> cluster = cluster.withWindowMessages(Integer.parseInt(v));
                    case "--redis-prefix" -> cluster = cluster.withKeyPrefix(v);
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a number, got '" + v + "'");
            }
        }
        if (ttlMin < 1) {
            throw new IllegalArgumentException("conversation-ttl-min must be >= 1");
        }
        if (sentinels != null || redisMaster != null) {
            if (sentinels == null || redisMaster == null) {
                throw new IllegalArgumentException("--redis-sentinel and --redis-master go together");
            }
            redis = ClusterConfig.RedisEndpoints.sentinel(sentinels, redisMaster);
        }
        cluster = cluster.withShared(redis, pg);
        return new GatewayConfig(host, port, stores, eventLoops, workers, queue, batch, wait, cache,
                d.searchThreads, d.searchQueue, maxText, maxFrame, rate, burst, pending, queueWait, maxConv,
                Duration.ofMinutes(ttlMin), idle, zh, en, data, encoders, ranking, scale, cluster);
    }

    /** {@code en=minilm-l6,bge-small-en} (several languages: {@code en=a,b;zh=c}). */
    static Map<String, List<String>> parseEncoders(String v) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String part : v.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--encoders needs LANG=ENCODER[,ENCODER...], got '" + part + "'");
            }
            List<String> names = new ArrayList<>();
            for (String n : part.substring(eq + 1).split(",")) {
                if (!n.isBlank()) {
                    names.add(n.strip());
                }
            }
            out.put(part.substring(0, eq).strip(), names);
        }
        return out;
    }

    /** Thrown by {@link #fromArgs} when the user asked for help. */
    public static final class HelpRequested extends RuntimeException {
        public HelpRequested() {
            super("help requested", null, false, false);
        }
    }
}
