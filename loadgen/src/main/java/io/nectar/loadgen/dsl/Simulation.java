package io.nectar.loadgen.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A whole load test: populations, the gateways they hit, the pass/fail assertions and limits. Immutable;
 * every method returns a new occurrence.
 *
 * <pre>{@code
 * Simulation.setUp(faq.injectOpen(OpenInjection.burst(15_000).within(Duration.ofSeconds(10))))
 *     .targets("ws://127.0.0.1:8080/ws/chat")
 *     .assertions(Assertion.parse("p99<500ms"), Assertion.parse("errors<0.1%"));
 * }</pre>
 *
 * @param targets     gateway WebSocket URLs; users are spread over them round robin
 * @param maxDuration stop every user after this long (null: when the injection ends and users finish)
 * @param probeAt     when to measure the servers' memory, from the start (null: never)
 * @param probeConnections and not before this many connections are open (0: at the time)
 * @param seed        seed of random arrivals and think times (same seed, same schedule in every process)
 */
public record Simulation(List<Population> populations, List<String> targets, List<Assertion> assertions,
                         Duration maxDuration, Duration probeAt, long probeConnections, long seed) {

    public static final String DEFAULT_TARGET = io.nectar.loadgen.LoadgenDefaults.TARGET;

    public Simulation {
        populations = List.copyOf(populations);
        targets = List.copyOf(targets);
        assertions = List.copyOf(assertions);
        if (populations.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one population");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a simulation needs at least one target URL");
        }
        for (String t : targets) {
            Objects.requireNonNull(t, "target");
            if (!(t.startsWith("ws://") || t.startsWith("wss://"))) {
                throw new IllegalArgumentException("target must be a ws:// or wss:// URL, was " + t);
            }
        }
        if (maxDuration != null && (maxDuration.isZero() || maxDuration.isNegative())) {
            throw new IllegalArgumentException("max duration must be > 0");
        }
    }

    public static Simulation setUp(Population... populations) {
        return new Simulation(List.of(populations), List.of(DEFAULT_TARGET), List.of(), null, null, 0, io.nectar.loadgen.LoadgenDefaults.SEED);
    }

    public Simulation targets(String... urls) {
        return targets(Arrays.asList(urls));
    }

    public Simulation targets(List<String> urls) {
        return new Simulation(populations, urls, assertions, maxDuration, probeAt, probeConnections, seed);
    }

    public Simulation assertions(Assertion... more) {
        List<Assertion> l = new ArrayList<>(assertions);
        l.addAll(Arrays.asList(more));
        return new Simulation(populations, targets, l, maxDuration, probeAt, probeConnections, seed);
    }

    public Simulation maxDuration(Duration d) {
        return new Simulation(populations, targets, assertions, d, probeAt, probeConnections, seed);
    }

    public Simulation probeAt(Duration d) {
        return new Simulation(populations, targets, assertions, maxDuration, d, probeConnections, seed);
    }

    /** Measure the servers at {@code d}, or later once {@code connections} are open (a slow ramp is not measured half-way). */
    public Simulation probeAt(Duration d, long connections) {
        return new Simulation(populations, targets, assertions, maxDuration, d, connections, seed);
    }

    public Simulation seed(long s) {
        return new Simulation(populations, targets, assertions, maxDuration, probeAt, probeConnections, s);
    }

    /** Upper bound of connections open at once (each user holds at most one). */
    public long peakUsers() {
        return populations.stream().mapToLong(Population::peakUsers).sum();
    }
}
