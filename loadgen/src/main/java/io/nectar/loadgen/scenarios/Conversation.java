package io.nectar.loadgen.scenarios;

import io.nectar.loadgen.dsl.Chat;
import io.nectar.loadgen.dsl.ChainBuilder;
import io.nectar.loadgen.dsl.Checks;
import io.nectar.loadgen.dsl.LoadScenario;
import io.nectar.loadgen.dsl.OpenInjection;
import io.nectar.loadgen.dsl.ScenarioOptions;
import io.nectar.loadgen.dsl.Simulation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.nectar.loadgen.dsl.Scenario.scenario;

/**
 * A shopper's visit: a few questions with think time, the app goes to the background (disconnect), comes
 * back and resumes the same conversation (checked: {@code resumed} is true), and asks once more.
 */
public final class Conversation implements LoadScenario {

    @Override
    public String name() {
        return "conversation";
    }

    @Override
    public String description() {
        return "several questions with think time, a disconnect, a resumed conversation and one more question";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("users", "shoppers (default 100)");
        o.put("ramp", "seconds over which they arrive (default 10)");
        o.put("turns", "questions before the disconnect (default 3)");
        o.put("think", "mean think time between questions in seconds, ±50% (default 2)");
        o.putAll(Builtins.FEEDER_OPTIONS);
        return o;
    }

    @Override
    public Simulation simulation(ScenarioOptions o) {
        int users = o.integer("users", 100);
        Duration ramp = o.duration("ramp", Duration.ofSeconds(10));
        int turns = o.integer("turns", 3);
        Duration think = o.duration("think", Duration.ofSeconds(2));
        Duration timeout = o.timeout();
        var feeder = o.feeder();
        var visit = scenario(name())
                .exec(Chat.connect("connect").merchant(o.merchant()).timeout(timeout))
                .repeat(turns, ChainBuilder.chain()
                        .feed(feeder)
                        .pause(think.dividedBy(2), think.plus(think.dividedBy(2)))
                        .exec(Chat.ask("ask", "#{text}").check(Checks.type("reply")).timeout(timeout)))
                .exec(Chat.close())
                .pause(Duration.ofSeconds(1))
                .exec(Chat.connect("resume").merchant(o.merchant()).resume().check(Checks.resumed()).timeout(timeout))
                .feed(feeder)
                .exec(Chat.ask("ask-after-resume", "#{text}").check(Checks.type("reply")).timeout(timeout))
                .exec(Chat.close());
        return Simulation.setUp(visit.injectOpen(OpenInjection.rampUsers(users).during(ramp)));
    }
}
