package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst that fills the encoders' queue is answered from the words of the questions (BM25 over the
 * store) instead of refused: every message gets a reply, the ones answered that way are counted, and an
 * FAQ asked in the store's own words is still answered right.
 */
class OverloadedEncodersTest {

    @Test
    void aFullEncoderQueueAnswersFromTheWordsInsteadOfRefusing(@TempDir Path tmp) throws Exception {
        // one encoder thread, room for one waiting question (an English question is two encoder requests:
        // bge-small-en and e5-small) and no cache: any concurrency overflows it
        GatewayConfig config = GatewayConfig.fromArgs(new String[]{"--port", "0", "--host", "127.0.0.1",
                "--encoder-workers", "1", "--encoder-queue", "2", "--encoder-cache", "0", "--rate", "1000", "--burst", "1000",
                "--data-dir", tmp.toString()});
        Gateway g = Gateway.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx client = Vertx.vertx();
        List<ChatTestClient> shoppers = new ArrayList<>();
        try {
            g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            int connections = 8, each = 8;
            for (int c = 0; c < connections; c++) {
                shoppers.add(ChatTestClient.open(client, g.port(), "merchant=demo"));
            }
            // the store's own phrasings (no cache: each one an encoder request), all sent before any reply is read
            List<String> asked = List.of("Do you ship abroad?", "Do you ship internationally?", "do u ship to canada",
                    "Can you send it to Singapore?", "Do you deliver to the UK?", "international shipping available?");
            for (int i = 0; i < each; i++) {
                for (int c = 0; c < connections; c++) {
                    shoppers.get(c).message(c + "-" + i, asked.get((c + i) % asked.size()));
                }
            }
            int replies = 0;
            for (ChatTestClient s : shoppers) {
                for (int i = 0; i < each; i++) {
                    JsonObject r = s.next(30_000);
                    assertEquals("reply", r.getString("type"), "a full encoder queue must not refuse: " + r.encode());
                    assertEquals("ship-abroad", r.getString("intent"), r.encode());
                    replies++;
                }
            }
            assertEquals(connections * each, replies);
            long degraded = g.services().knowledge().degradedAnswers();
            assertTrue(degraded > 0, "64 concurrent questions against a queue of one: some must have overflowed");
            assertTrue(degraded < replies, "the encoder still answered some: " + degraded);
            // the documented Prometheus counter, as an operator scrapes it
            String metrics = client.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, g.port(), "127.0.0.1", "/metrics")
                    .compose(r -> r.send().compose(io.vertx.core.http.HttpClientResponse::body))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
            assertTrue(metrics.contains("# TYPE nectar_degraded_answers_total counter"), metrics);
            assertTrue(metrics.contains("\nnectar_degraded_answers_total " + (double) degraded + "\n"), metrics);
            assertTrue(metrics.contains("# TYPE nectar_nlu_rejected_total counter"), metrics);
            assertTrue(metrics.contains("# TYPE nectar_nlu_batches_total counter"), metrics);
        } finally {
            shoppers.forEach(ChatTestClient::close);
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            g.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
