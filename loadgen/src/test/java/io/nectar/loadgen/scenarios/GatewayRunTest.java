package io.nectar.loadgen.scenarios;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.loadgen.cli.Runner;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped scenarios against a real gateway: the demo store, real ONNX models, real sockets. */
class GatewayRunTest {

    static Gateway gateway;

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String target() {
        return "ws://127.0.0.1:" + gateway.port() + "/ws/chat";
    }

    JsonObject run(String summary, String... args) throws Exception {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[]{"--target", target(), "--summary", dir.resolve(summary).toString(), "--quiet", "--event-loops=1"}, 0, all, args.length, 6);
        int rc = new Runner(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8)).run(all);
        assertEquals(Runner.OK, rc, out.toString());
        return new JsonObject(Files.readString(dir.resolve(summary)));
    }

    @Test
    void faqBurstGetsARealReplyForEveryShopper() throws Exception {
        JsonObject s = run("burst.json", "faq-burst", "--users", "30", "--within", "2", "--assert", "errors==0");
        assertEquals(30, s.getLong("requests"));
        assertEquals(0, s.getLong("errors"), s.encodePrettily());
        assertEquals(30, s.getJsonObject("connects").getLong("ok"));
        assertTrue(s.getDouble("p50_ms") > 0 && s.getDouble("max_ms") >= s.getDouble("p99_ms"));
        assertTrue(s.getDouble("throughput_per_s") > 0);
        assertTrue(s.getLong("connections_peak") >= 1);
    }

    @Test
    void conversationsResumeAfterADisconnect() throws Exception {
        JsonObject s = run("conv.json", "conversation", "--users", "4", "--ramp", "0.5", "--turns", "2", "--think", "0.1");
        JsonObject m = s.getJsonObject("metrics");
        assertEquals(4, m.getJsonObject("resume").getLong("ok"), "the gateway resumed every conversation: " + s.encodePrettily());
        assertEquals(8, m.getJsonObject("ask").getLong("ok"));
        assertEquals(4, m.getJsonObject("ask-after-resume").getLong("ok"));
        assertEquals(0, s.getLong("errors"));
    }

    @Test
    void idleConnectionsHeartbeatAndAreMeasured() throws Exception {
        long pid = ProcessHandle.current().pid();
        JsonObject s = run("idle.json", "idle", "--users", "20", "--ramp", "0.5", "--hold", "2", "--ping-every", "0.5",
                "--probe-pid", Long.toString(pid));
        assertEquals(20, s.getLong("connections_peak"));
        assertEquals(0, s.getLong("errors"), s.encodePrettily());
        assertTrue(s.getJsonObject("metrics").getJsonObject("ping").getLong("ok") >= 20, "every connection heartbeats");
        assertEquals(2, s.getJsonArray("server_probes").size(), "before and loaded");
        JsonObject loaded = s.getJsonArray("server_probes").getJsonObject(1);
        assertEquals(20, loaded.getLong("connections"));
        assertTrue(loaded.getLong("heap_used_bytes") > 0 && loaded.getLong("rss_bytes") > 0);
    }

    @Test
    void steadyRatePacesQuestionsOverConnections() throws Exception {
        JsonObject s = run("steady.json", "steady-rate", "--rate", "10", "--users", "4", "--duration", "2");
        assertEquals(0, s.getLong("errors"), s.encodePrettily());
        long requests = s.getLong("requests");
        assertTrue(requests >= 10 && requests <= 4 * (2 / 0.4 + 1), "10/s for 2 s over 4 connections: " + requests);
    }

    @Test
    void steadyRateOpensItsConnectionsAtTheConnectRate() throws Exception {
        // 6 connections at 3 a second: the last arrives 5/3 s after the first and then asks for 1 s, so the
        // run lasts at least 2.6 s (all at once it took about 1 s); every connection asks its questions
        JsonObject s = run("steady-ramp.json", "steady-rate", "--rate", "12", "--users", "6", "--duration", "1", "--connect-rate", "3");
        assertEquals(0, s.getLong("errors"), s.encodePrettily());
        assertEquals(6, s.getJsonObject("connects").getLong("ok"));
        assertTrue(s.getDouble("duration_s") >= 2.6, "connections spread over 5/3 s: " + s.getDouble("duration_s"));
        assertTrue(s.getLong("connections_peak") <= 6);
        long requests = s.getLong("requests");
        assertTrue(requests >= 6 && requests <= 6 * (1 / 0.5 + 1), "2/s for 1 s on each of 6 connections: " + requests);
    }
}
