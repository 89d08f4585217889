package io.nectar.gateway.cluster;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How a node shares state with the others: where Redis (conversation state, durable turn log, routing)
 * and PostgreSQL (the source of truth) are, and this node's identity. With neither, the node runs
 * embedded: conversations and handoffs in its own memory, knowledge from store files. With PostgreSQL
 * alone, knowledge and merchant edits are durable but conversations stay in the node's memory (one
 * node); with both, any number of nodes share everything.
 *
 * @param nodeId         this node's name in leases, consumer groups and routing (unique per running node)
 * @param redis          Redis endpoints, or {@link RedisEndpoints#NONE}
 * @param pgUrl          {@code postgresql://user:password@host:port/database}, or {@code null}
 * @param redisTimeout   the longest any one Redis call may take before it counts as failed
 * @param drainGrace     how long a node being stopped (SIGTERM) may take to move its shoppers away
 * @param logShards      durable-log streams (each conversation's keys and its stream share one hash slot);
 *                       fixed for the life of a Redis deployment
 * @param windowMessages messages of a conversation kept in Redis for resumes (older ones come from PostgreSQL)
 * @param keyPrefix      prefix of every Redis key and channel ({@code nectar:}): deployments sharing one Redis differ here
 */
public record ClusterConfig(String nodeId, RedisEndpoints redis, String pgUrl, Duration redisTimeout,
                            Duration drainGrace, int logShards, int windowMessages, String keyPrefix) {

    public static final int DEFAULT_LOG_SHARDS = 32;
    public static final int DEFAULT_WINDOW_MESSAGES = 40;

    /** Where Redis is: one server, a Sentinel-watched master, or a Redis Cluster. */
    public record RedisEndpoints(Kind kind, List<String> endpoints, String masterName) {
        public enum Kind { NONE, STANDALONE, SENTINEL, CLUSTER }

        public static final RedisEndpoints NONE = new RedisEndpoints(Kind.NONE, List.of(), null);

        public RedisEndpoints {
            endpoints = List.copyOf(endpoints);
            if (kind != Kind.NONE && endpoints.isEmpty()) {
                throw new IllegalArgumentException("Redis " + kind.name().toLowerCase() + " needs at least one endpoint");
            }
            if (kind == Kind.SENTINEL && (masterName == null || masterName.isBlank())) {
                throw new IllegalArgumentException("Redis Sentinel needs the master's name (--redis-master)");
            }
        }

        /** {@code redis://host:port} (standalone). */
        public static RedisEndpoints standalone(String url) {
            return new RedisEndpoints(Kind.STANDALONE, List.of(url(url)), null);
        }

        /** {@code host:port,host:port,...}: the seed nodes of a Redis Cluster. */
        public static RedisEndpoints cluster(String hosts) {
            return new RedisEndpoints(Kind.CLUSTER, urls(hosts), null);
        }

        /** {@code host:port,...} of the Sentinels, and the name of the master they watch. */
        public static RedisEndpoints sentinel(String hosts, String master) {
            return new RedisEndpoints(Kind.SENTINEL, urls(hosts), master);
        }

        public boolean enabled() {
            return kind != Kind.NONE;
        }

        private static List<String> urls(String hosts) {
            List<String> out = new ArrayList<>();
            for (String h : hosts.split(",")) {
                if (!h.isBlank()) {
                    out.add(url(h.strip()));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no Redis endpoint in '" + hosts + "'");
            }
            return out;
        }

        private static String url(String s) {
            String u = s.contains("://") ? s : "redis://" + s;
            if (!u.startsWith("redis://") && !u.startsWith("rediss://")) {
                throw new IllegalArgumentException("a Redis address is redis://host:port or host:port, got '" + s + "'");
            }
            return u;
        }
    }

    public ClusterConfig {
        if (nodeId == null || nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException("node id must be 1-64 characters of letters, digits, '_', '.', ':' or '-', got '" + nodeId + "'");
        }
        if (redis == null) {
            redis = RedisEndpoints.NONE;
        }
        if (pgUrl != null && pgUrl.isBlank()) {
            pgUrl = null;
        }
        if (pgUrl != null && !pgUrl.startsWith("postgresql://") && !pgUrl.startsWith("postgres://")) {
            throw new IllegalArgumentException("--pg takes postgresql://user:password@host:port/database, got '" + pgUrl + "'");
        }
        if (redis.enabled() && pgUrl == null) {
            throw new IllegalArgumentException("Redis needs PostgreSQL too (the durable log drains into it): give --pg "
                    + "with --redis, --redis-cluster or --redis-sentinel");
        }
        if (redisTimeout.isNegative() || redisTimeout.isZero() || drainGrace.isNegative()) {
            throw new IllegalArgumentException("redis-timeout-ms must be > 0 and drain-grace >= 0");
        }
        if (logShards < 1 || logShards > 4096) {
            throw new IllegalArgumentException("log-shards must be in 1..4096, was " + logShards);
        }
        if (keyPrefix == null || !keyPrefix.matches("[A-Za-z0-9_.:-]{1,32}")) {
            throw new IllegalArgumentException("redis-prefix must be 1-32 characters of letters, digits, '_', '.', ':' or '-'");
        }
        if (windowMessages < 4) {
            throw new IllegalArgumentException("window-messages must be >= 4, was " + windowMessages);
        }
    }

    /** Embedded: no Redis, no PostgreSQL. */
    public static ClusterConfig embedded() {
        return new ClusterConfig(defaultNodeId(), RedisEndpoints.NONE, null, Duration.ofSeconds(2), Duration.ofSeconds(30),
                DEFAULT_LOG_SHARDS, DEFAULT_WINDOW_MESSAGES, "nectar:");
    }

    /** From the environment: {@code NECTAR_REDIS_URL}, {@code NECTAR_REDIS_CLUSTER}, {@code NECTAR_REDIS_SENTINEL}
     * with {@code NECTAR_REDIS_MASTER}, {@code NECTAR_PG_URL}, {@code NECTAR_NODE_ID}. Options override it. */
    public static ClusterConfig fromEnvironment(Map<String, String> env) {
        ClusterConfig c = embedded();
        RedisEndpoints redis = RedisEndpoints.NONE;
        if (present(env, "NECTAR_REDIS_CLUSTER")) {
            redis = RedisEndpoints.cluster(env.get("NECTAR_REDIS_CLUSTER"));
        } else if (present(env, "NECTAR_REDIS_SENTINEL")) {
            redis = RedisEndpoints.sentinel(env.get("NECTAR_REDIS_SENTINEL"), env.get("NECTAR_REDIS_MASTER"));
        } else if (present(env, "NECTAR_REDIS_URL")) {
            redis = RedisEndpoints.standalone(env.get("NECTAR_REDIS_URL"));
        }
        String pg = present(env, "NECTAR_PG_URL") ? env.get("NECTAR_PG_URL") : null;
        String node = present(env, "NECTAR_NODE_ID") ? env.get("NECTAR_NODE_ID") : c.nodeId;
        if (!redis.enabled() && pg == null) {
            return c.withNodeId(node);
        }
        return new ClusterConfig(node, redis, pg, c.redisTimeout, c.drainGrace, c.logShards, c.windowMessages, c.keyPrefix);
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /** True when conversations live in Redis and durable data in PostgreSQL. */
    public boolean shared() {
        return redis.enabled();
    }

    /** True when PostgreSQL holds merchants, knowledge and transcripts. */
    public boolean durable() {
        return pgUrl != null;
    }

    public ClusterConfig withNodeId(String id) {
        return new ClusterConfig(id, redis, pgUrl, redisTimeout, drainGrace, logShards, windowMessages, keyPrefix);
    }

    public ClusterConfig withShared(RedisEndpoints r, String pg) {
        return new ClusterConfig(nodeId, r, pg, redisTimeout, drainGrace, logShards, windowMessages, keyPrefix);
    }

    public ClusterConfig withDrainGrace(Duration d) {
        return new ClusterConfig(nodeId, redis, pgUrl, redisTimeout, d, logShards, windowMessages, keyPrefix);
    }

    public ClusterConfig withRedisTimeout(Duration d) {
        return new ClusterConfig(nodeId, redis, pgUrl, d, drainGrace, logShards, windowMessages, keyPrefix);
    }

    public ClusterConfig withWindowMessages(int n) {
        return new ClusterConfig(nodeId, redis, pgUrl, redisTimeout, drainGrace, logShards, n, keyPrefix);
    }

    public ClusterConfig withKeyPrefix(String prefix) {
        return new ClusterConfig(nodeId, redis, pgUrl, redisTimeout, drainGrace, logShards, windowMessages, prefix);
    }

    /** The host name and a short random suffix: unique per running node without configuration. */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "-");
        } catch (Exception e) {
            host = "node";
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
