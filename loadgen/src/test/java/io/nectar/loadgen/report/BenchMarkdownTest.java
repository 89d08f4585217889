package io.nectar.loadgen.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchMarkdownTest {

    @TempDir
    Path dir;

    @Test
    void tablesRunsEncodersAndTheirRatio() throws Exception {
        RunFiles.write(dir.resolve("w0"), new long[][]{{1000, 2000}, {3000, 4000}}, 2, 0);
        JsonObject run = Summary.build(RunData.read(List.of(dir.resolve("w0"))),
                new Summary.RunInfo("steady-rate", "", new JsonObject(), List.of("ws://127.0.0.1:1/ws/chat"), 1, new JsonArray()), List.of());
        run.put("per_connection", new JsonObject().put("connections", 2).put("heap_bytes", 17140).put("rss_bytes", 50319));
        Files.writeString(dir.resolve("faq-uniform-50.json"), run.encode());
        Files.writeString(dir.resolve("encoder-batch32.json"), new JsonObject().put("benchmark", "encoder-throughput")
                .put("encoder", "bge-small-zh").put("threads", 2).put("intra_op_threads", 1).put("batch", 32)
                .put("sentences_per_s", 400.0).put("batch_p50_ms", 80.0).put("batch_p99_ms", 120.0).encode());
        String md = BenchMarkdown.table(List.of(dir.resolve("faq-uniform-50.json"), dir.resolve("encoder-batch32.json")));
        assertTrue(md.contains("| faq-uniform-50 | 4 | 0 (0.0%) |"), md);
        assertTrue(md.contains("17,140 B"), md);
        assertTrue(md.contains("| encoder-batch32 | bge-small-zh | 2 × 1 | 32 | 400 |"), md);
        assertTrue(md.contains("2.0 replies/s (faq-uniform-50); encoder alone: 400 sentences/s; ratio 0.01"), md);
    }
}
