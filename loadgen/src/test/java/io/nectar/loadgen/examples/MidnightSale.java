package io.nectar.loadgen.examples;

import io.nectar.loadgen.dsl.Assertion;
import io.nectar.loadgen.dsl.Chat;
import io.nectar.loadgen.dsl.Checks;
import io.nectar.loadgen.dsl.FeederBuilder;
import io.nectar.loadgen.dsl.Feeders;
import io.nectar.loadgen.dsl.LoadScenario;
import io.nectar.loadgen.dsl.ScenarioOptions;
import io.nectar.loadgen.dsl.Simulation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.nectar.loadgen.dsl.ChainBuilder.chain;
import static io.nectar.loadgen.dsl.ClosedInjection.constantConcurrentUsers;
import static io.nectar.loadgen.dsl.OpenInjection.burst;
import static io.nectar.loadgen.dsl.OpenInjection.nothingFor;
import static io.nectar.loadgen.dsl.Scenario.scenario;

/**
 * A scenario written against the DSL, as a store's SRE would (docs/loadgen.md quotes it): while 2,000
 * shoppers browse and chat steadily, 10,000 more arrive in the first 10 seconds after midnight, ask about
 * the promotion with Zipf-skewed questions, and expect an answer within 2 seconds.
 * Run: {@code ops/loadgen path/to/MidnightSale.java --target ws://127.0.0.1:8080/ws/chat}.
 */
public class MidnightSale implements LoadScenario {

    @Override
    public String name() {
        return "midnight-sale";
    }

    @Override
    public String description() {
        return "steady browsers plus a burst of shoppers at midnight";
    }

    @Override
    public Map<String, String> options() {
        return Map.of("questions", "JSONL file of questions (field text)");
    }

    @Override
    public Simulation simulation(ScenarioOptions o) {
        FeederBuilder questions = o.has("questions")
                ? Feeders.jsonl(Path.of(o.string("questions", null))).require("text").zipf(1.1)
                : Feeders.demoQuestions().zipf(1.1);

        var browsing = scenario("browsing")
                .exec(Chat.connect("connect").merchant("demo"))
                .forever(chain()
                        .pace(Duration.ofSeconds(20))
                        .feed(questions)
                        .exec(Chat.ask("browse-ask", "#{text}").check(Checks.type("reply"))));

        var rush = scenario("rush")
                .feed(questions)
                .group("shopper", chain()
                        .exec(Chat.connect("connect").merchant("demo"))
                        .exec(Chat.ask("rush-ask", "#{text}")
                                .check(Checks.type("reply"), Checks.latencyBelow(Duration.ofSeconds(2)))))
                .pause(Duration.ofSeconds(1), Duration.ofSeconds(5))
                .exec(Chat.close());

        return Simulation.setUp(
                        browsing.injectClosed(constantConcurrentUsers(2_000).during(Duration.ofSeconds(60))),
                        rush.injectOpen(nothingFor(Duration.ofSeconds(20)), burst(10_000).within(Duration.ofSeconds(10))))
                .assertions(Assertion.parse("rush-ask.p99<2s"), Assertion.parse("errors<0.1%"))
                .maxDuration(Duration.ofSeconds(90));
    }
}
