package io.nectar.gateway.cluster;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.support.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same tests on a three-master Redis Cluster: conversations spread over every slot range. */
class SharedModeOnRedisClusterTest extends SharedModeTest {
    @BeforeAll
    static void startOnCluster() throws Exception {
        restart(ClusterConfig.RedisEndpoints.cluster(TestServers.redisCluster()));
    }

    @Test
    void conversationsSpanEverySlotRangeOfTheCluster() throws Exception {
        java.util.Set<Integer> shards = new java.util.HashSet<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            try (ChatTestClient c = ChatTestClient.open(vertx, (i % 2 == 0 ? a : b).port(), "merchant=demo")) {
                String id = c.welcome.getString("conversationId");
                ids.add(id);
                shards.add(a.shared().keys().shard(id));
                assertEquals(2L, c.ask("q", i % 3 == 0 ? "包邮吗" : "Do you ship abroad?").getLong("seq"));
            }
        }
        assertTrue(shards.size() >= 6, "conversations landed on several log shards: " + shards);
        for (String id : ids) {
            waitUntil(() -> seqs(id).size() == 2, 10_000);
        }
    }
}
