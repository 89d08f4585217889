package io.nectar.gateway;

import io.nectar.gateway.golden.GoldenRunner;
import io.nectar.gateway.golden.GoldenScript;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every golden transcript under {@code src/test/resources/golden}, played over the real WebSocket
 * endpoint of one gateway with the demo store and the real models, each script in a fresh conversation.
 */
class GoldenTranscriptTest {

    static Gateway gateway;
    static Vertx client;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static List<Path> scripts() throws Exception {
        return GoldenRunner.files(List.of(folder()));
    }

    static Path folder() throws URISyntaxException {
        return Path.of(GoldenTranscriptTest.class.getClassLoader().getResource("golden").toURI());
    }

    @Test
    void thereAreAtLeastThirtyScriptsInBothLanguages() throws Exception {
        List<Path> files = scripts();
        assertTrue(files.size() >= 30, "golden scripts: " + files.size());
        assertTrue(files.stream().filter(f -> f.getFileName().toString().endsWith("-zh.yaml")).count() >= 12);
        assertTrue(files.stream().filter(f -> f.getFileName().toString().endsWith("-en.yaml")).count() >= 12);
    }

    @TestFactory
    List<DynamicTest> goldenTranscripts() throws Exception {
        GoldenRunner runner = new GoldenRunner(client, "localhost", gateway.port(), "demo", 15_000);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : scripts()) {
            GoldenScript script = GoldenRunner.read(file);
            tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + script.name(), () -> {
                GoldenRunner.ScriptResult r = runner.run(script);
                assertTrue(r.passed(), r.report());
            }));
        }
        return tests;
    }
}
