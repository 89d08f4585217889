package io.nectar.loadgen.dsl;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.nectar.loadgen.dsl.ChainBuilder.chain;
import static io.nectar.loadgen.dsl.ClosedInjection.constantConcurrentUsers;
import static io.nectar.loadgen.dsl.ClosedInjection.rampConcurrentUsers;
import static io.nectar.loadgen.dsl.OpenInjection.atOnceUsers;
import static io.nectar.loadgen.dsl.OpenInjection.burst;
import static io.nectar.loadgen.dsl.OpenInjection.constantUsersPerSec;
import static io.nectar.loadgen.dsl.OpenInjection.nothingFor;
import static io.nectar.loadgen.dsl.OpenInjection.rampUsers;
import static io.nectar.loadgen.dsl.OpenInjection.rampUsersPerSec;
import static io.nectar.loadgen.dsl.Scenario.scenario;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DSL as a scenario author writes it: it must compile, stay immutable and refuse nonsense early. */
class DslCompileTest {

    static final FeederBuilder QUESTIONS = Feeders.of("q", List.of(Map.of("text", "包邮吗"), Map.of("text", "Do you ship abroad?")));

    @Test
    void everyStepAndProfileComposes() {
        Scenario shopper = scenario("shopper")
                .feed(QUESTIONS.zipf(1.1))
                .exec(Chat.connect("connect").merchant("demo").check(Checks.type("welcome")).timeout(Duration.ofSeconds(5)))
                .group("visit", chain()
                        .exec(Chat.ask("ask", "#{text}").check(Checks.type("reply"), Checks.intentNot("out_of_scope"),
                                Checks.textContains("发货"), Checks.latencyBelow(Duration.ofMillis(500))))
                        .pause(Duration.ofMillis(100), Duration.ofMillis(300)))
                .repeat(2, chain().feed(QUESTIONS.uniform()).exec(Chat.ask("again", "#{text}")))
                .during(Duration.ofSeconds(10), chain().pace(Duration.ofSeconds(1)).exec(Chat.ping("ping")))
                .exec(Chat.close())
                .exec(Chat.connect("resume").merchant("demo").resume().check(Checks.resumed()))
                .forever(chain().pause(Duration.ofSeconds(20)).exec(Chat.ping("heartbeat")));

        Simulation sim = Simulation.setUp(
                        shopper.injectOpen(nothingFor(Duration.ofSeconds(1)), atOnceUsers(10), rampUsers(100).during(Duration.ofSeconds(10)),
                                constantUsersPerSec(20).during(Duration.ofSeconds(5)).randomized(),
                                rampUsersPerSec(1).to(50).during(Duration.ofSeconds(10)), burst(1000).within(Duration.ofSeconds(10))),
                        scenario("pool").exec(Chat.connect("c")).forever(chain().pace(Duration.ofSeconds(1)).exec(Chat.ask("a", "hi")))
                                .injectClosed(rampConcurrentUsers(0).to(50).during(Duration.ofSeconds(5)),
                                        constantConcurrentUsers(50).during(Duration.ofSeconds(30))))
                .targets("ws://127.0.0.1:18200/ws/chat", "ws://127.0.0.1:18201/ws/chat")
                .assertions(Assertion.parse("p99<500ms"), Assertion.parse("errors<0.1%"))
                .maxDuration(Duration.ofMinutes(2))
                .seed(7);

        assertEquals(2, sim.populations().size());
        assertEquals(10 + 100 + 100 + 255 + 1000 + 50, sim.peakUsers());
        assertEquals(Duration.ofSeconds(1 + 10 + 5 + 10 + 10), sim.populations().get(0).injectionDuration());
        assertTrue(sim.populations().get(1).isClosed());
        assertEquals(8, shopper.actions().size());
        assertInstanceOf(Action.Group.class, shopper.actions().get(2));
    }

    @Test
    void buildersAreImmutable() {
        Scenario empty = scenario("s");
        Scenario one = empty.exec(Chat.connect("c"));
        Scenario two = one.pause(Duration.ofSeconds(1));
        assertNotSame(empty, one);
        assertEquals(0, empty.actions().size());
        assertEquals(1, one.actions().size());
        assertEquals(2, two.actions().size());

        Action.Ask ask = Chat.ask("a", "hi");
        Action.Ask checked = ask.check(Checks.type("reply"));
        assertEquals(0, ask.checks().size());
        assertEquals(1, checked.checks().size());

        Simulation sim = Simulation.setUp(one.injectOpen(atOnceUsers(1)));
        Simulation targeted = sim.targets("ws://127.0.0.1:1/x");
        assertEquals(List.of(Simulation.DEFAULT_TARGET), sim.targets());
        assertEquals(List.of("ws://127.0.0.1:1/x"), targeted.targets());
        assertThrows(UnsupportedOperationException.class, () -> one.actions().add(Chat.close()));
    }

    @Test
    void nonsenseIsRefusedWhenBuilt() {
        // an unbounded loop with nothing that waits would spin on an event loop
        assertThrows(IllegalArgumentException.class, () -> scenario("s").forever(chain().feed(QUESTIONS)));
        assertThrows(IllegalArgumentException.class, () -> scenario("s").during(Duration.ofSeconds(1), chain().exec(Chat.close())));
        assertThrows(IllegalArgumentException.class, () -> scenario("s").repeat(0, chain().exec(Chat.ping("p"))));
        assertThrows(IllegalArgumentException.class, () -> rampUsers(10).during(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> constantUsersPerSec(0).during(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> scenario("s").pause(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Population(scenario("s"), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Simulation.setUp(scenario("s").injectOpen(atOnceUsers(1))).targets("http://x"));
        assertThrows(IllegalArgumentException.class, () -> Template.of("#{unclosed"));
        assertThrows(IllegalArgumentException.class, () -> Assertion.parse("p99 is fine"));
    }

    @Test
    void templatesFillFromAttributes() {
        Template t = Template.of("#{userId}: #{text}!");
        assertEquals(List.of("userId", "text"), t.names());
        assertEquals("7: 包邮吗!", t.render(Map.of("userId", 7, "text", "包邮吗")));
        assertEquals("plain", Template.of("plain").render(Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.render(Map.of("userId", 7)));
        assertTrue(e.getMessage().contains("text"), e.getMessage());
    }

    @Test
    void assertionsParseToTheirUnits() {
        Assertion p99 = Assertion.parse("p99<500ms");
        assertEquals(Assertion.Stat.P99, p99.stat());
        assertEquals(500, p99.threshold());
        assertTrue(p99.passes(499.9));
        assertTrue(!p99.passes(500));
        assertEquals(2000, Assertion.parse("ask.p99.9 <= 2s").threshold());
        assertEquals("ask", Assertion.parse("ask.p99.9<=2s").metric());
        assertEquals(Assertion.Stat.P999, Assertion.parse("p999<1").stat());
        Assertion errors = Assertion.parse("errors<0.1%");
        assertEquals(Assertion.Stat.ERROR_PERCENT, errors.stat());
        assertEquals(0.1, errors.threshold(), 1e-12);
        assertEquals(0.1, Assertion.parse("error_rate<0.001").threshold(), 1e-12);
        assertEquals(Assertion.Stat.ERRORS, Assertion.parse("errors==0").stat());
        assertEquals(Assertion.Stat.THROUGHPUT, Assertion.parse("throughput>100/s").stat());
        assertEquals(Assertion.Stat.CONNECTIONS_PEAK, Assertion.parse("connections>=15000").stat());
        assertThrows(IllegalArgumentException.class, () -> Assertion.parse("errors<5ms"));
        assertTrue(!Assertion.parse("p99<1").passes(Double.NaN), "no data never passes");
    }

    @Test
    void theDocumentedExampleBuilds() {
        Simulation sim = new io.nectar.loadgen.examples.MidnightSale().simulation(new ScenarioOptions(Map.of()));
        assertEquals(12_000, sim.peakUsers());
        assertEquals(2, sim.assertions().size());
        assertTrue(sim.populations().get(0).isClosed());
    }
}
