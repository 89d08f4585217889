package io.nectar.gateway.redis;

import io.nectar.gateway.cluster.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;

/** Builds the node's Redis client for a standalone server, a Sentinel-watched master or a Redis Cluster. */
public final class RedisClients {

    private RedisClients() {
    }

    /**
     * A pooled client. Connections are opened lazily; a pub/sub subscriber takes its own connection
     * through {@link Redis#connect()} and holds it.
     */
    public static Redis create(Vertx vertx, ClusterConfig.RedisEndpoints endpoints, int poolSize) {
        RedisOptions o = new RedisOptions()
                .setMaxPoolSize(poolSize)
                .setMaxPoolWaiting(poolSize * 64)
                .setMaxWaitingHandlers(4096)
                .setNetClientOptions(new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true)
                        .setTcpKeepAlive(true));
        endpoints.endpoints().forEach(o::addConnectionString);
        switch (endpoints.kind()) {
            case STANDALONE -> o.setType(RedisClientType.STANDALONE);
            case SENTINEL -> o.setType(RedisClientType.SENTINEL).setMasterName(endpoints.masterName()).setRole(RedisRole.MASTER);
            case CLUSTER -> o.setType(RedisClientType.CLUSTER).setHashSlotCacheTTL(5_000);
            case NONE -> throw new IllegalArgumentException("no Redis configured");
        }
        return Redis.createClient(vertx, o);
    }
}
