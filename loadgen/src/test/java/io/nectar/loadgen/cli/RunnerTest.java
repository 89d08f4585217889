package io.nectar.loadgen.cli;

import io.nectar.loadgen.TestServer;
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
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end: real runs against a real WebSocket server, files written, exit codes. */
class RunnerTest {

    static TestServer server;

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.echo();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    int run(String... args) {
        return new Runner(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    JsonObject summary(String name) throws Exception {
        return new JsonObject(Files.readString(dir.resolve(name)));
    }

    @Test
    void faqBurstWritesSummaryReportAndData() throws Exception {
        int rc = run("faq-burst", "--users", "60", "--within", "1", "--target", server.url(),
                "--summary", dir.resolve("burst.json").toString(), "--assert", "errors==0", "--assert", "p99<30s");
        assertEquals(Runner.OK, rc, out + "\n" + err);
        JsonObject s = summary("burst.json");
        assertEquals(60, s.getLong("requests"));
        assertEquals(0, s.getLong("errors"));
        for (String k : new String[]{"p50_ms", "p99_ms", "p999_ms", "max_ms", "throughput_per_s", "connections_peak"}) {
            assertTrue(s.getValue(k) instanceof Number, k);
        }
        assertEquals(60, s.getJsonObject("metrics").getJsonObject("shopper").getLong("ok"), "the shopper group times arrival to reply");
        assertTrue(Files.readString(dir.resolve("burst.html")).contains("<svg"));
        assertTrue(Files.exists(dir.resolve("burst.data/worker-0/latency.hlog")));
        assertTrue(out.toString().contains("conns"), "live progress lines: " + out);
    }

    @Test
    void theGeneratorWarmsUpWithoutTouchingTheTargetAndRecordsNothingOfIt() throws Exception {
        int before = server.connections.get();
        int rc = run("faq-burst", "--users", "20", "--within", "0.5", "--target", server.url(), "--quiet",
                "--generator-warm-up", "1", "--summary", dir.resolve("w.json").toString());
        assertEquals(Runner.OK, rc, out + "\n" + err);
        assertEquals(20, server.connections.get() - before, "only the measured shoppers reach the target");
        JsonObject s = summary("w.json");
        assertEquals(20, s.getLong("requests"), "the warm-up's requests are not in the record");
        assertEquals(20, s.getJsonObject("connects").getLong("ok"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("generator warmed up in [0-9.]+ s \\(([0-9,]+) requests").matcher(out.toString());
        assertTrue(m.find(), out.toString());
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, "the warm-up asked questions: " + out);
        assertEquals(Runner.USAGE, run("faq-burst", "--users", "1", "--target", server.url(), "--generator-warm-up", "61"));
        assertTrue(err.toString().contains("--generator-warm-up"), err.toString());
    }

    @Test
    void aFailedAssertionSetsTheExitCode() throws Exception {
        int rc = run("faq-burst", "--users", "5", "--within", "0.2", "--target", server.url(), "--quiet",
                "--summary", dir.resolve("s.json").toString(), "--assert", "requests>5");
        assertEquals(Runner.ASSERTION_FAILED, rc, out + "\n" + err);
        assertEquals(false, summary("s.json").getBoolean("passed"));
    }

    @Test
    void badUsageIsRefusedBeforeAnythingRuns() {
        assertEquals(Runner.USAGE, run("faq-burst", "--userz", "5", "--target", server.url()));
        assertTrue(err.toString().contains("--userz"), err.toString());
        assertEquals(Runner.USAGE, run("no-such-scenario"));
        assertEquals(Runner.USAGE, run("faq-burst", "--users", "many"));
        assertEquals(Runner.USAGE, run("faq-burst", "--assert", "p99 ok"));
        assertEquals(Runner.OK, run("--help"));
        assertTrue(out.toString().contains("faq-burst") && out.toString().contains("idle") && out.toString().contains("steady-rate"));
    }

    /** Two worker JVMs, each with the source address it was given, one merged summary. */
    @Test
    void severalProcessesMergeIntoOneReport() throws Exception {
        server.remoteHosts.clear();
        int rc = run("faq-burst", "--users", "41", "--within", "1", "--processes", "2", "--target", server.url(),
                "--local-address", "127.0.0.2,127.0.0.3", "--summary", dir.resolve("multi.json").toString(), "--event-loops", "1");
        assertEquals(Runner.OK, rc, out + "\n" + err);
        JsonObject s = summary("multi.json");
        assertEquals(41, s.getLong("requests"));
        assertEquals(0, s.getLong("errors"));
        assertEquals(2, s.getInteger("processes"));
        assertEquals(41, s.getJsonObject("connects").getLong("ok"));
        assertEquals(Set.of("127.0.0.2", "127.0.0.3"), server.remoteHosts);
        assertTrue(Files.exists(dir.resolve("multi.data/worker-1/worker.json")));
    }

    /** Which addresses each worker binds, by transport and by connections per target (decision 110). */
    @Test
    void sourceAddressesFollowTheConnectionsPerTarget() {
        List<String> one = List.of("ws://127.0.0.1:1/ws/chat");
        List<String> two = List.of("ws://127.0.0.1:1/ws/chat", "ws://127.0.0.1:2/ws/chat");
        assertEquals(List.of(List.of()), Runner.sourceAddresses(List.of(), one, 12_000, 1, "netty"), "the kernel's ports are cheap up to here");
        assertEquals(List.of(List.of("127.0.0.2")), Runner.sourceAddresses(List.of(), one, 15_000, 1, "netty"));
        assertEquals(List.of(List.of()), Runner.sourceAddresses(List.of(), one, 15_000, 1, "vertx"), "vertx binds only when it must");
        assertEquals(List.of(List.of(), List.of()), Runner.sourceAddresses(List.of(), two, 20_000, 2, "netty"), "10,000 a target");
        assertEquals(List.of(List.of("127.0.0.2", "127.0.0.3"), List.of("127.0.0.4", "127.0.0.5")),
                Runner.sourceAddresses(List.of(), one, 60_000, 2, "vertx"), "30,000 a worker: two addresses each");
        assertEquals(List.of(List.of()), Runner.sourceAddresses(List.of(), List.of("ws://10.0.0.1:1/ws/chat"), 90_000, 1, "netty"),
                "only loopback targets get addresses of their own");
        assertEquals(List.of(List.of("10.0.0.5", "10.0.0.7"), List.of("10.0.0.6")),
                Runner.sourceAddresses(List.of("10.0.0.5", "10.0.0.6", "10.0.0.7"), one, 10, 2, "netty"), "given ones dealt in turn");
    }

    /** Source addresses are bound only when a target gets more connections than one address has ports. */
    @Test
    void severalProcessesBindNoSourceAddressWhileOneAddressHasPortsEnough() throws Exception {
        server.remoteHosts.clear();
        int rc = run("faq-burst", "--users", "20", "--within", "0.5", "--processes", "2", "--target", server.url(), "--quiet",
                "--generator-warm-up", "0", "--summary", dir.resolve("shared.json").toString(), "--event-loops", "1");
        assertEquals(Runner.OK, rc, out + "\n" + err);
        assertEquals(Set.of("127.0.0.1"), server.remoteHosts, "no bind: the kernel's own source address and ports");
        assertEquals(java.util.List.of("", ""), summary("shared.json").getJsonObject("options").getJsonArray("local_addresses").getList(),
                "neither worker was given an address to bind");
    }

    @Test
    void runsAScenarioFromAJavaFile() throws Exception {
        Path src = dir.resolve("PingTwice.java");
        Files.writeString(src, """
                import io.nectar.loadgen.dsl.*;
                import java.time.Duration;
                import java.util.Map;
                public class PingTwice implements LoadScenario {
                    public String name() { return "ping-twice"; }
                    public String description() { return "connect and ping twice"; }
                    public Map<String, String> options() { return Map.of("users", "users"); }
                    public Simulation simulation(ScenarioOptions o) {
                        return Simulation.setUp(Scenario.scenario(name())
                                .exec(Chat.connect("connect")).repeat(2, ChainBuilder.chain().exec(Chat.ping("ping")))
                                .injectOpen(OpenInjection.atOnceUsers(o.integer("users", 1))));
                    }
                }
                """);
        int rc = run(src.toString(), "--users", "3", "--target", server.url(), "--quiet", "--summary", dir.resolve("p.json").toString());
        assertEquals(Runner.OK, rc, out + "\n" + err);
        JsonObject s = summary("p.json");
        assertEquals("ping-twice", s.getString("scenario"));
        assertEquals(6, s.getJsonObject("metrics").getJsonObject("ping").getLong("ok"));
    }

    @Test
    void reportRebuildsFromRawData() throws Exception {
        assertEquals(Runner.OK, run("faq-burst", "--users", "4", "--within", "0.2", "--target", server.url(), "--quiet",
                "--summary", dir.resolve("a.json").toString()));
        assertEquals(Runner.OK, run("report", "--summary", dir.resolve("b.json").toString(), dir.resolve("a.data").toString()));
        assertEquals(summary("a.json").getLong("requests"), summary("b.json").getLong("requests"));
        assertEquals(summary("a.json").getDouble("p99_ms"), summary("b.json").getDouble("p99_ms"));
        assertTrue(Files.exists(dir.resolve("b.html")));
    }
}
