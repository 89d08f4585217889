package io.nectar.loadgen.engine;

import io.nectar.loadgen.TestServer;
import io.nectar.loadgen.dsl.Chat;
import io.nectar.loadgen.dsl.Checks;
import io.nectar.loadgen.dsl.ClosedInjection;
import io.nectar.loadgen.dsl.OpenInjection;
import io.nectar.loadgen.dsl.Scenario;
import io.nectar.loadgen.dsl.Simulation;
import io.nectar.loadgen.echo.EchoServer;
import io.nectar.loadgen.report.RunData;
import io.nectar.loadgen.report.Summary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.nectar.loadgen.dsl.ChainBuilder.chain;
import static io.nectar.loadgen.dsl.Scenario.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small real runs over real sockets: an in-test server and the bare echo server. */
class EngineTest {

    @TempDir
    Path dir;

    static Scenario askOnce(String text) {
        return scenario("once").exec(Chat.connect("connect")).exec(Chat.ask("ask", text).check(Checks.type("reply"))).exec(Chat.close());
    }

    JsonObject runAndSummarize(Simulation sim, Engine.Options options) throws Exception {
        Engine.run(sim, options);
        return Summary.build(RunData.read(List.of(options.dataDir())),
                new Summary.RunInfo("test", "", new JsonObject(), sim.targets(), 1, new JsonArray()), sim.assertions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vertx", "netty"})
    void echoServerRunCountsEveryRequest(String transport) throws Exception {
        EchoServer echo = EchoServer.start("127.0.0.1", 0, 1).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Simulation sim = Simulation.setUp(askOnce("#{userId}").injectOpen(OpenInjection.burst(40).within(Duration.ofSeconds(1))))
                    .targets("ws://127.0.0.1:" + echo.port() + "/ws/chat");
            JsonObject s = runAndSummarize(sim, Engine.Options.local(dir.resolve("echo")).withTransport(transport));
            assertEquals(40, s.getLong("requests"));
            assertEquals(0, s.getLong("errors"), s.encodePrettily());
            assertEquals(40, s.getJsonObject("connects").getLong("ok"));
            assertEquals(40, s.getJsonObject("metrics").getJsonObject("ask").getLong("count"));
            assertTrue(s.getLong("connections_peak") >= 1 && s.getLong("connections_peak") <= 40);
            assertEquals(40, s.getLong("connections_opened"));
            for (String k : List.of("p50_ms", "p99_ms", "p999_ms", "max_ms", "throughput_per_s")) {
                assertTrue(s.getDouble(k) > 0, k);
            }
            assertTrue(s.getDouble("p50_ms") <= s.getDouble("p99_ms") && s.getDouble("p99_ms") <= s.getDouble("max_ms"));
        } finally {
            echo.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The server stalls the 5th reply for a second. Questions due every 100 ms during the stall are sent
     * late, and their latency counts from when they were due (wrk2): about 1000, 900, 800, 700, 600, 500 ms.
     * Measured from the actual send, only one would be slow.
     */
    @Test
    void latencyRunsFromTheIntendedSendTime() throws Exception {
        try (TestServer server = TestServer.start(n -> in -> new TestServer.Answer(n == 5 ? 1000 : 0, TestServer.reply(in, "ok")))) {
            Scenario paced = scenario("paced").exec(Chat.connect("connect"))
                    .repeat(20, chain().pace(Duration.ofMillis(100)).exec(Chat.ask("ask", "q").check(Checks.latencyBelow(Duration.ofMillis(300)))));
            Simulation sim = Simulation.setUp(paced.injectOpen(OpenInjection.atOnceUsers(1))).targets(server.url());
            Engine.Outcome outcome = Engine.run(sim, Engine.Options.local(dir.resolve("co")));
            RunData data = RunData.read(List.of(outcome.dataDir()));
            Histogram ask = data.total("ask");
            assertEquals(20, ask.getTotalCount());
            long slow = ask.getCountBetweenValues(450_000, Stats.HIGHEST_MICROS);
            assertTrue(slow >= 5, "latencies of questions queued behind the stall count from when they were due: " + slow + " over 450 ms");
            assertTrue(ask.getMaxValue() >= 1_000_000, "the stalled reply took a second: " + ask.getMaxValue());
            assertTrue(data.errors().getOrDefault("check:latency<300ms", 0L) >= 5, data.errors().toString());
            // the pace catches up instead of drifting: 20 passes of 100 ms take about 2 s, not 3
            assertTrue(data.durationSeconds() < 2.9, "duration " + data.durationSeconds());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vertx", "netty"})
    void errorsAreCountedByKind(String transport) throws Exception {
        try (TestServer server = TestServer.start(n -> in -> switch (n % 4) {
            case 0 -> new TestServer.Answer(0, TestServer.error(in, "overloaded"));
            case 1 -> new TestServer.Answer(0, TestServer.reply(in, "ok"));
            case 2 -> new TestServer.Answer(0, TestServer.reply(in, "ok").put("intent", "other"));
            default -> null; // close the connection
        })) {
            Scenario s = scenario("errors").exec(Chat.connect("connect"))
                    .exec(Chat.ask("ask", "q").check(Checks.intent("echo")));
            Simulation sim = Simulation.setUp(s.injectOpen(OpenInjection.rampUsers(40).during(Duration.ofMillis(400))))
                    .targets(server.url(), "ws://127.0.0.1:1/ws/chat");
            JsonObject sum = runAndSummarize(sim, Engine.Options.local(dir.resolve("errors")).withTransport(transport));
            JsonObject kinds = sum.getJsonObject("errors_by_kind");
            // users alternate between the two targets: 20 reach the server, 20 are refused
            assertEquals(20, kinds.getLong("connect:refused"), kinds.encode());
            assertEquals(5, kinds.getLong("server:overloaded"), kinds.encode());
            assertEquals(5, kinds.getLong("check:intent=echo"), kinds.encode());
            assertEquals(5, kinds.getLong("closed"), kinds.encode());
            assertEquals(20, sum.getLong("requests"));
            assertEquals(35, sum.getLong("errors"));
            assertEquals(100.0 * 35 / (20 + 40), sum.getDouble("error_percent"), 0.001);
            // a failed check still answered: its latency counts; errors and closes did not
            assertEquals(10, sum.getJsonObject("metrics").getJsonObject("ask").getLong("count"));
        }
    }

    /** Idle users of the netty transport: welcomed, heartbeating, then closed cleanly at the end. */
    @Test
    void nettyTransportHoldsHeartbeatingConnections() throws Exception {
        EchoServer echo = EchoServer.start("127.0.0.1", 0, 1).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Scenario idle = scenario("idle").exec(Chat.connect("connect"))
                    .forever(chain().pace(Duration.ofMillis(100)).exec(Chat.ping("ping")));
            Simulation sim = Simulation.setUp(idle.injectOpen(OpenInjection.atOnceUsers(20)))
                    .targets("ws://127.0.0.1:" + echo.port() + "/ws/chat").maxDuration(Duration.ofSeconds(2));
            JsonObject s = runAndSummarize(sim, Engine.Options.local(dir.resolve("idle")).withTransport("netty"));
            assertEquals(20, s.getJsonObject("connects").getLong("ok"));
            assertEquals(20, s.getLong("connections_peak"));
            assertEquals(0, s.getLong("errors"), s.encodePrettily());
            long pings = s.getJsonObject("metrics").getJsonObject("ping").getLong("count");
            assertTrue(pings >= 20 * 10 && pings <= 20 * 21, "20 users paced at 10/s for 2 s: " + pings);
        } finally {
            echo.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** A server that refuses the upgrade: both transports name the HTTP status. */
    @ParameterizedTest
    @ValueSource(strings = {"vertx", "netty"})
    void aRefusedUpgradeIsCountedByItsStatus(String transport) throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.vertx.core.http.HttpServer http = vertx.createHttpServer()
                    .requestHandler(r -> r.response().setStatusCode(403).end("no"))
                    .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Simulation sim = Simulation.setUp(askOnce("q").injectOpen(OpenInjection.atOnceUsers(3)))
                    .targets("ws://127.0.0.1:" + http.actualPort() + "/ws/chat");
            JsonObject s = runAndSummarize(sim, Engine.Options.local(dir.resolve("refused-" + transport)).withTransport(transport));
            assertEquals(3, s.getJsonObject("errors_by_kind").getLong("connect:http_403"), s.encodePrettily());
            assertEquals(0, s.getJsonObject("connects").getLong("ok"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closedModelHoldsItsUsersAndStopsThemAtTheEnd() throws Exception {
        try (TestServer server = TestServer.echo()) {
            Scenario pool = scenario("pool").exec(Chat.connect("connect"))
                    .forever(chain().pace(Duration.ofMillis(200)).exec(Chat.ask("ask", "q")));
            Simulation sim = Simulation.setUp(pool.injectClosed(ClosedInjection.constantConcurrentUsers(5).during(Duration.ofSeconds(2))))
                    .targets(server.url());
            JsonObject s = runAndSummarize(sim, Engine.Options.local(dir.resolve("closed")));
            assertEquals(5, s.getLong("connections_peak"));
            assertEquals(5, s.getLong("users_started"), "nobody finished early, so nobody was replaced");
            assertEquals(0, s.getLong("errors"), s.encodePrettily());
            long requests = s.getLong("requests");
            assertTrue(requests <= 5 * 11 && requests >= 20, "paced at 5/s for 2 s by 5 users: " + requests);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vertx", "netty"})
    void bindsTheGivenSourceAddresses(String transport) throws Exception {
        try (TestServer server = TestServer.echo()) {
            Simulation sim = Simulation.setUp(askOnce("hi").injectOpen(OpenInjection.atOnceUsers(10))).targets(server.url());
            Engine.Options o = new Engine.Options(1, List.of("127.0.0.2", "127.0.0.3"), 0, 1, dir.resolve("bind-" + transport), 0, null,
                    transport);
            JsonObject s = runAndSummarize(sim, o);
            assertEquals(0, s.getLong("errors"), s.encodePrettily());
            assertEquals(Set.of("127.0.0.2", "127.0.0.3"), server.remoteHosts);
            if (transport.equals("netty")) {
                assertEquals(10, server.remotePorts.size(), "ten connections, ten ports: " + server.remotePorts);
                assertTrue(server.remotePorts.stream().allMatch(p -> p >= SourcePorts.LOW && p <= SourcePorts.HIGH),
                        "the netty transport chooses its source ports below the ephemeral range: " + server.remotePorts);
            }
        }
    }

    /** Two shares of one schedule, run side by side and merged, play every arrival exactly once. */
    @Test
    void workerSharesTogetherPlayTheWholeSchedule() throws Exception {
        try (TestServer server = TestServer.echo()) {
            Simulation sim = Simulation.setUp(askOnce("hi").injectOpen(OpenInjection.burst(51).within(Duration.ofMillis(500))))
                    .targets(server.url());
            long start = System.currentTimeMillis() + 300;
            Engine.Options w0 = new Engine.Options(1, List.of(), 0, 2, dir.resolve("w0"), start, null);
            Engine.Options w1 = new Engine.Options(1, List.of(), 1, 2, dir.resolve("w1"), start, null);
            Engine.Prepared p0 = Engine.prepare(sim, w0), p1 = Engine.prepare(sim, w1);
            Thread t = new Thread(() -> {
                try {
                    p1.start(start);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            Engine.Outcome o0 = p0.start(start);
            t.join(30_000);
            RunData merged = RunData.read(List.of(dir.resolve("w0"), dir.resolve("w1")));
            assertEquals(26, o0.requests(), "worker 0 takes the even arrivals");
            assertEquals(51, merged.counts("ask")[0]);
            assertEquals(51, merged.total("ask").getTotalCount());
            assertEquals(51, server.messages.get());
        }
    }

    @Test
    void aScenarioBugEndsTheUserWithAnErrorInsteadOfHanging() throws Exception {
        try (TestServer server = TestServer.echo()) {
            Scenario buggy = scenario("buggy").exec(Chat.connect("connect"))
                    .exec(Chat.ask("ask", "#{no_such_attribute}"))
                    .exec(Chat.ask("never", "x"));
            Scenario throwingCheck = scenario("odd-check").exec(Chat.connect("connect"))
                    .exec(Chat.ask("odd", "x").check(new io.nectar.loadgen.dsl.Check("explodes", (f, l) -> f.getInteger("text") > 0)));
            Simulation sim = Simulation.setUp(buggy.injectOpen(OpenInjection.atOnceUsers(3)),
                    throwingCheck.injectOpen(OpenInjection.atOnceUsers(2))).targets(server.url());
            JsonObject s = runAndSummarize(sim, Engine.Options.local(dir.resolve("bug")));
            assertEquals(3, s.getJsonObject("errors_by_kind").getLong("scenario:IllegalStateException"), s.encodePrettily());
            assertEquals(2, s.getJsonObject("errors_by_kind").getLong("check:explodes"), s.encodePrettily());
            assertEquals(null, s.getJsonObject("metrics").getJsonObject("never"));
        }
    }

    /**
     * Sends do not wait: 20 questions paced 50 ms apart to a server that answers each after 300 ms take
     * about 1.3 s, not 20 × 300 ms, and each answer is timed from when its question was due.
     */
    @Test
    void sendsKeepTheirPaceWhileAnswersAreOut() throws Exception {
        try (TestServer server = TestServer.start(n -> in -> new TestServer.Answer(300, TestServer.reply(in, "ok")))) {
            Scenario open = scenario("open").exec(Chat.connect("connect"))
                    .repeat(20, chain().pace(Duration.ofMillis(50)).exec(Chat.send("ask", "q").check(Checks.type("reply"))))
                    .exec(Chat.awaitReplies())
                    .exec(Chat.close());
            Simulation sim = Simulation.setUp(open.injectOpen(OpenInjection.atOnceUsers(1))).targets(server.url());
            Engine.run(sim, Engine.Options.local(dir.resolve("open")));
            RunData data = RunData.read(List.of(dir.resolve("open")));
            assertEquals(20, data.counts("ask")[0], data.errors().toString());
            assertEquals(0, data.totalErrors());
            assertTrue(data.total("ask").getMinValue() >= 290_000, "every answer took the server's 300 ms");
            assertTrue(data.durationSeconds() < 4, "pipelined, not 20 × 300 ms: " + data.durationSeconds());
        }
    }

    @Test
    void sendsStillOutWhenTheConnectionDropsAreErrors() throws Exception {
        try (TestServer server = TestServer.start(n -> in -> n == 3 ? null : new TestServer.Answer(2000, TestServer.reply(in, "ok")))) {
            Scenario open = scenario("drop").exec(Chat.connect("connect"))
                    .repeat(3, chain().pace(Duration.ofMillis(20)).exec(Chat.send("ask", "q")))
                    .exec(Chat.awaitReplies());
            Simulation sim = Simulation.setUp(open.injectOpen(OpenInjection.atOnceUsers(1))).targets(server.url());
            Engine.run(sim, Engine.Options.local(dir.resolve("drop")));
            RunData data = RunData.read(List.of(dir.resolve("drop")));
            assertEquals(3, data.errors().get("closed"), data.errors().toString());
        }
    }
}
