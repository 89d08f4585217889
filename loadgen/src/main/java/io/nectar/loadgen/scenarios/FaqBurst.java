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
 * The midnight burst: N shoppers arrive at random within T seconds; each connects, asks one question from
 * the feeder, waits for the reply and leaves. Metrics: {@code connect} (arrival → welcome), {@code ask}
 * (send → reply) and {@code shopper} (arrival → reply, the shopper's whole wait).
 */
public final class FaqBurst implements LoadScenario {

    @Override
    public String name() {
        return "faq-burst";
    }

    @Override
    public String description() {
        return "N shoppers arrive within T seconds; each connects, asks one FAQ question and waits for the reply";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("users", "shoppers that arrive (default 1000)");
        o.put("within", "seconds over which they arrive, uniformly at random (default 10)");
        o.putAll(Builtins.FEEDER_OPTIONS);
        return o;
    }

    @Override
    public Simulation simulation(ScenarioOptions o) {
        int users = o.integer("users", 1000);
        Duration within = o.duration("within", Duration.ofSeconds(10));
        Duration timeout = o.timeout();
        var shopper = scenario(name())
                .feed(o.feeder())
                .group("shopper", ChainBuilder.chain()
                        .exec(Chat.connect("connect").merchant(o.merchant()).timeout(timeout))
                        .exec(Chat.ask("ask", "#{text}").check(Checks.type("reply"), Checks.textNotBlank()).timeout(timeout)))
                .exec(Chat.close());
        return Simulation.setUp(shopper.injectOpen(OpenInjection.burst(users).within(within)));
    }
}
