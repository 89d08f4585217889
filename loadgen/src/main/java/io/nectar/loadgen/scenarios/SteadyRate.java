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
 * A constant offered rate: C connections each send a question every C/R seconds (paced), without waiting
 * for the previous answer, so R questions a second arrive whatever the server does (an open model; the
 * gateway refuses more than 16 waiting on one connection with {@code too_many_pending}). Each answer is
 * timed from when its question was due. Run it at rising rates to find saturation.
 */
public final class SteadyRate implements LoadScenario {

    @Override
    public String name() {
        return "steady-rate";
    }

    @Override
    public String description() {
        return "a constant offered rate of questions over C connections (paced, not waiting for answers; open model)";
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("rate", "questions per second, all connections together (default 50)");
        o.put("users", "connections (default rate/2 rounded up: 2 questions/s each, under the gateway's 5/s limit)");
        o.put("duration", "seconds of steady load after connecting (default 30)");
        o.put("connect-rate", "connections opened per second before and while the questions start (default 1000; "
                + "the connections arrive evenly, not all at once)");
        o.putAll(Builtins.FEEDER_OPTIONS);
        return o;
    }

    @Override
    public Simulation simulation(ScenarioOptions o) {
        double rate = o.number("rate", 50);
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be > 0");
        }
        int users = o.integer("users", (int) Math.max(1, Math.ceil(rate / 2)));
        Duration duration = o.duration("duration", Duration.ofSeconds(30));
        Duration interval = Duration.ofNanos((long) (users / rate * 1e9));
        Duration timeout = o.timeout();
        double connectRate = o.number("connect-rate", 1000);
        if (!(connectRate > 0)) {
            throw new IllegalArgumentException("--connect-rate must be > 0");
        }
        Duration ramp = Duration.ofNanos((long) (users / connectRate * 1e9));
        var steady = scenario(name())
                .exec(Chat.connect("connect").merchant(o.merchant()).timeout(timeout))
                .pause(Duration.ZERO, interval)
                .during(duration, ChainBuilder.chain()
                        .pace(interval)
                        .feed(o.feeder())
                        .exec(Chat.send("ask", "#{text}").check(Checks.type("reply")).timeout(timeout)))
                .exec(Chat.awaitReplies())
                .exec(Chat.close());
        // Connections arrive evenly over users / connect-rate seconds, each starting its paced questions
        // once connected: all at one instant would measure the generator's own queue of connects (1,200
        // at once kept its event loop 100-150 ms behind schedule against the bare echo server).
        OpenInjection arrivals = ramp.isZero() ? OpenInjection.atOnceUsers(users) : OpenInjection.rampUsers(users).during(ramp);
        return Simulation.setUp(steady.injectOpen(arrivals))
                .maxDuration(ramp.plus(duration).plus(timeout).plus(Duration.ofSeconds(10)));
    }
}
