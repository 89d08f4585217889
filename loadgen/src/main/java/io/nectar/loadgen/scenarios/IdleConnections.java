package io.nectar.loadgen.scenarios;

import io.nectar.loadgen.dsl.Chat;
import io.nectar.loadgen.dsl.ChainBuilder;
import io.nectar.loadgen.dsl.LoadScenario;
import io.nectar.loadgen.dsl.OpenInjection;
import io.nectar.loadgen.dsl.ScenarioOptions;
import io.nectar.loadgen.dsl.Simulation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.nectar.loadgen.dsl.Scenario.scenario;

/**
 * Idle conversations: N shoppers connect over the ramp, get their welcome, and then only heartbeat
 * (a protocol {@code ping} every few seconds, spread at random) until the hold ends. With
 * {@code --probe-pid} the servers' heap and RSS are measured before and while all are held.
 */
public final class IdleConnections implements LoadScenario {

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public String description() {
        return "N shoppers connect over a ramp, are welcomed, then only heartbeat (ping/pong) until the hold ends";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("users", "connections to open (default 1000)");
        o.put("ramp", "seconds over which they connect (default 10)");
        o.put("hold", "seconds to hold them all after the ramp (default 30)");
        o.put("ping-every", "heartbeat period per connection in seconds, 0 for none (default 20)");
        return o;
    }

    @Override
    public Simulation simulation(ScenarioOptions o) {
        int users = o.integer("users", 1000);
        Duration ramp = o.duration("ramp", Duration.ofSeconds(10));
        Duration hold = o.duration("hold", Duration.ofSeconds(30));
        Duration every = o.duration("ping-every", Duration.ofSeconds(20));
        Duration timeout = o.timeout();
        var idle = scenario(name()).exec(Chat.connect("connect").merchant(o.merchant()).timeout(timeout));
        if (every.isZero()) {
            idle = idle.forever(ChainBuilder.chain().pause(Duration.ofHours(1)));
        } else {
            // a random first delay spreads the heartbeats evenly over the period
            idle = idle.pause(Duration.ZERO, every)
                    .forever(ChainBuilder.chain().pace(every).exec(Chat.ping("ping").timeout(timeout)));
        }
        return Simulation.setUp(idle.injectOpen(OpenInjection.rampUsers(users).during(ramp)))
                .maxDuration(ramp.plus(hold))
                .probeAt(ramp.plus(hold.dividedBy(2)), users);
    }
}
