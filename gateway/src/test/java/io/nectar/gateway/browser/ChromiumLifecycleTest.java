package io.nectar.gateway.browser;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A browser test that fails still stops Chromium and every helper process it started. */
class ChromiumLifecycleTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailingTestLeavesNoBrowserProcessBehind() throws Exception {
        List<ProcessHandle>[] seen = new List[1];
        AssertionError failure = assertThrows(AssertionError.class, () -> {
            try (Chromium browser = Chromium.launch(vertx)) {
                browser.navigate("data:text/html,<p id=x>hello</p>");
                browser.waitFor("document.getElementById('x')", 10_000);
                CdpPage second = browser.newPage("data:text/html,<p>two</p>");
                assertEquals("two", second.eval("document.body.innerText"));
                seen[0] = ProcessHandle.current().descendants()
                        .filter(h -> h.info().command().map(c -> c.contains("chrom")).orElse(false)).toList();
                throw new AssertionError("the test fails here");
            }
        });
        assertEquals("the test fails here", failure.getMessage());
        assertTrue(seen[0].size() >= 2, "a browser and its helpers were running: " + seen[0]);
        for (ProcessHandle h : seen[0]) {
            assertFalse(h.isAlive(), "still running after the failed test: " + h.pid() + " " + h.info().commandLine().orElse(""));
        }
        assertEquals(0, ProcessHandle.current().descendants()
                .filter(h -> h.info().command().map(c -> c.contains("chrom")).orElse(false)).count());
    }
}
