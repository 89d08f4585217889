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
                1, 4096, 2000, 65536, 5, 10, 16, 1_000_000, Duration.ofMinutes(30), 300, Double.NaN, Double.NaN,
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
                perSecond, burst, maxPendingPerConnection, maxConversations, conversationTtl,
                idleTimeoutSeconds, zhThreshold, enThreshold, data, enc, r, scale, cluster);
    }

    /** The same configuration with other Redis/PostgreSQL/node settings. */
    public GatewayConfig withCluster(ClusterConfig c) {
        return new GatewayConfig(host, port, stores, eventLoops, encoderWorkers, encoderQueue, maxBatchSize,
                maxBatchWaitMicros, encoderCacheSize, searchThreads, searchQueue, maxTextChars, maxFrameBytes,
                messagesPerSecond, messageBurst, maxPendingPerConnection, maxConversations, conversationTtl,
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

    public static final String USAGE = """
            Usage: ops/run [options]
            Starts one Nectar gateway. With no --store it serves the bundled demo store (merchant id "demo").

              --port N                 HTTP/WebSocket port (default 8080; 0 picks a free one)
              --host ADDR              address to bind (default 0.0.0.0)
              --store DIR              serve the store in DIR (repeatable); merchant id = the directory's
                                       name unless its store.yaml says otherwise. See docs/store-format.md
              --event-loops N          Vert.x event loops (default: cores)
              --encoder-workers N      ONNX inference threads (default: cores)
              --encoder-queue N        inference requests that may wait before 'overloaded' (default 2048)
              --max-batch N            most sentences per ONNX batch (default 32)
              --max-batch-wait-us N    how long a batch may wait to fill during a burst (default 2000)
              --encoder-cache N        distinct questions whose vectors are cached (default 50000)
              --max-text-chars N       longest message text accepted (default 2000)
              --max-frame-bytes N      largest WebSocket frame/message read (default 65536)
              --rate N                 messages per second per connection, sustained (default 5)
              --burst N                messages a connection may send at once (default 10)
              --max-pending N          messages waiting for replies per connection (default 16)
              --max-conversations N    conversations kept in memory (default 1000000)
              --conversation-ttl-min N minutes a quiet conversation is kept (default 30)
              --idle-timeout N         seconds without traffic before a connection is closed (default 300)
              --data-dir DIR           where trained intent models and index snapshots are kept, so a restart
                                       neither retrains nor re-embeds (default: $NECTAR_DATA_DIR, else ./data;
                                       ops/run uses data/ in the repository)
              --encoders LANG=A[,B]    sentence encoders of a language, the first one also builds its index
                                       (repeatable; default zh=bge-small-zh, every other language
                                       bge-small-en; bundled: bge-small-zh, minilm-l6, bge-small-en, e5-small).
                                       An en= list also serves the other non-Chinese languages
              --ranking R              head (default: the merchant's trained intent head beside prototype
                                       vectors, hybrid index for products), hybrid (prototypes by cosine +
                                       BM25, no head), vector (prototypes by cosine only) or lexical
                                       (BM25 only, no encoder: what any ranking answers with while the
                                       encoders' queue is full)
              --head-threshold-scale X accept a head's answer at X times its calibrated threshold (default 0.7)
              --zh-threshold X         answer threshold of the Chinese index encoder's cosine (default 0.62)
              --en-threshold X         answer threshold of the other languages' index encoder's cosine
                                       (default: the encoder's own, minilm-l6 0.45, bge-small-en 0.75, e5-small 0.87)

            Shared state (several nodes behind a load balancer; all or none of Redis and PostgreSQL):
              --redis URL              one Redis server, redis://[:password@]host:port ($NECTAR_REDIS_URL)
              --redis-cluster LIST     a Redis Cluster's seed nodes, host:port,host:port,... ($NECTAR_REDIS_CLUSTER)
              --redis-sentinel LIST    Redis Sentinels, host:port,... ($NECTAR_REDIS_SENTINEL), with
              --redis-master NAME      the name of the master they watch ($NECTAR_REDIS_MASTER)
              --pg URL                 PostgreSQL, postgresql://user:password@host:port/database ($NECTAR_PG_URL)
              --node-id ID             this node's name in leases and routing (default: host name + random;
                                       $NECTAR_NODE_ID)
              --redis-timeout-ms N     longest a Redis call may take before it counts as failed (default 2000)
              --drain-grace S          seconds a stopping node (SIGTERM) has to move its shoppers (default 30)
              --window-messages N      messages per conversation kept in Redis for resumes (default 40)
              --redis-prefix P         prefix of every Redis key, for deployments sharing one Redis (default nectar:)

              --help                   print this and exit
            """;

    /** Parses command-line options over {@link #defaults()}; throws IllegalArgumentException on bad input. */
    public static GatewayConfig fromArgs(String[] args) {
        GatewayConfig d = defaults();
        String host = d.host;
        int port = d.port, eventLoops = d.eventLoops, workers = d.encoderWorkers, queue = d.encoderQueue,
                batch = d.maxBatchSize, cache = d.encoderCacheSize, maxText = d.maxTextChars,
                maxFrame = d.maxFrameBytes, burst = d.messageBurst, pending = d.maxPendingPerConnection,
                idle = d.idleTimeoutSeconds;
        long wait = d.maxBatchWaitMicros, maxConv = d.maxConversations, ttlMin = d.conversationTtl.toMinutes();
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
                d.searchThreads, d.searchQueue, maxText, maxFrame, rate, burst, pending, maxConv,
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
