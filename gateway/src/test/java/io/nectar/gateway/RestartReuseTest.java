package io.nectar.gateway;

import io.nectar.gateway.knowledge.KnowledgeBase;
import io.nectar.index.OpenResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node keeps what it learned about a store in its data directory: a restart with the same store reads
 * the index snapshot and loads the saved intent head instead of embedding and training again; a changed
 * store is embedded and trained again, as a new model version.
 */
class RestartReuseTest {

    private static final String FAQ = String.join("\n",
            "{\"id\":\"opening\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\",\"what time do you open\",\"are you open on sunday\"],\"answer\":\"Every day from 8 to 20.\",\"lang\":\"en\"}",
            "{\"id\":\"delivery\",\"question\":\"Do you deliver?\",\"paraphrases\":[\"can you bring it to my home\",\"home delivery\",\"do you ship to my address\"],\"answer\":\"Yes, within the city.\",\"lang\":\"en\"}",
            "{\"id\":\"payment\",\"question\":\"Can I pay by card?\",\"paraphrases\":[\"do you take credit cards\",\"payment methods\",\"can I pay cash\"],\"answer\":\"Cards and cash.\",\"lang\":\"en\"}");

    @Test
    void aRestartReadsTheSnapshotAndTheSavedHead(@TempDir Path tmp) throws Exception {
        Path store = Files.createDirectory(tmp.resolve("tea-house"));
        Files.writeString(store.resolve("faq.jsonl"), FAQ);
        Path data = tmp.resolve("data");
        GatewayConfig config = GatewayConfig.defaults().withPort(0).withStores(List.of(store)).withDataDir(data);

        KnowledgeBase.InstallReport first = runOnce(config, "what time do you open on saturday", "opening");
        double firstBatches = batchesAtReady;
        assertEquals(OpenResult.Outcome.REBUILT_MISSING, first.index());
        assertTrue(first.heads().get("en").startsWith("trained v000001"), first.toString());
        assertTrue(Files.exists(data.resolve("index").resolve("tea-house.nidx")));

        KnowledgeBase.InstallReport second = runOnce(config, "what time do you open on saturday", "opening");
        assertEquals(OpenResult.Outcome.SNAPSHOT, second.index(), "same store, same encoders: no re-embedding");
        assertEquals("loaded v000001", second.heads().get("en"), "same examples, same encoders: no retraining");
        // nor filtering the background questions against the store again (decision 123): the warm-up's few runs only
        assertTrue(batchesAtReady * 4 < firstBatches, "ONNX runs at ready: " + batchesAtReady + " on the restart, " + firstBatches + " at first");

        // the merchant adds a question: its index is rebuilt and its head trained again as version 2
        Files.writeString(store.resolve("faq.jsonl"), FAQ + "\n"
                + "{\"id\":\"parking\",\"question\":\"Is there parking?\",\"paraphrases\":[\"where can I park\",\"do you have a car park\"],\"answer\":\"Behind the shop.\",\"lang\":\"en\"}");
        KnowledgeBase.InstallReport third = runOnce(config, "where do I leave my car", "parking");
        assertEquals(OpenResult.Outcome.REBUILT_STALE, third.index());
        assertTrue(third.heads().get("en").startsWith("trained v000002"), third.toString());
        try (Stream<Path> versions = Files.list(data.resolve("models").resolve("tea-house:en"))) {
            assertEquals(List.of("v000001", "v000002"), versions.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** ONNX runs of the encoders when the last {@link #runOnce} start was ready. */
    static double batchesAtReady;

    private static KnowledgeBase.InstallReport runOnce(GatewayConfig config, String question, String expected) throws Exception {
        Gateway g = Gateway.start(config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Vertx client = Vertx.vertx();
        try {
            g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            batchesAtReady = g.services().metrics().registry().get("nectar_nlu_batches").functionCounter().count();
            try (ChatTestClient c = ChatTestClient.open(client, g.port(), "merchant=tea-house")) {
                JsonObject r = c.ask("1", question);
                assertEquals(expected, r.getString("intent"), r.encode());
            }
            return g.services().knowledge().installed("tea-house");
        } finally {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            g.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
