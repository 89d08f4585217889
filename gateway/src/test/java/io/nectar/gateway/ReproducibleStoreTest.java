package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two nodes that each build the demo store from nothing (their own data directories: no head or index is
 * shared) answer every question alike, to the last digit of the confidence, including questions near the
 * threshold. A node's store must not depend on how its encoders happened to batch the build (decision 122):
 * before, a restart moved "do you test on animals?" from 0.45 to 0.24 and "are your shoes vegan?" to
 * another entry.
 */
class ReproducibleStoreTest {

    @TempDir
    static Path tmp;
    static final List<Gateway> nodes = new ArrayList<>();
    static Vertx client;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 2; i++) {
            Gateway g = Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withDataDir(tmp.resolve("node" + i)))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            nodes.add(g);
            g.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        }
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        for (Gateway g : nodes) {
            g.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoNodesBuildingTheSameStoreAnswerAlike() throws Exception {
        List<String> en = List.of("do you test on animals?", "are your shoes vegan?", "Is the packaging recyclable?",
                "is the packaging biodegradable?", "what is the carbon footprint of your shoes?", "can you recommend a restaurant nearby?",
                "how long does shipping take?", "my shoes arrived damaged");
        List<String> zh = List.of("鞋子寄到的时候已经坏了", "你们的包装可以回收吗", "有没有学生优惠", "今天天气怎么样");
        int compared = 0;
        for (String lang : List.of("en", "zh")) {
            for (String q : lang.equals("en") ? en : zh) {
                List<String> readings = new ArrayList<>();
                for (Gateway g : nodes) {
                    try (ChatTestClient c = ChatTestClient.open(client, g.port(), "merchant=demo&lang=" + lang)) {
                        JsonObject r = c.ask("1", q);
                        readings.add(r.getString("source") + " " + r.getString("ref") + " " + r.getString("intent") + " "
                                + r.getValue("confidence"));
                    }
                }
                assertEquals(readings.get(0), readings.get(1), "'" + q + "' on the two nodes");
                compared++;
            }
        }
        assertEquals(12, compared);
    }
}
