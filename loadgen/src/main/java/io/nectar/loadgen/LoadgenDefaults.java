package io.nectar.loadgen;

import java.time.Duration;

/**
 * Every default of loadgen in one place, one comment each (scenario-specific defaults such as
 * {@code --users} live with their scenario and are listed by {@code --help}).
 */
public final class LoadgenDefaults {

    private LoadgenDefaults() {
    }

    /** Gateway URL when no {@code --target} is given: a local node on the port {@code ops/run} uses. */
    public static final String TARGET = "ws://127.0.0.1:8080/ws/chat";

    /** How long a connect waits for its welcome, and a question or ping for its answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** Seed of random arrivals, think times and feeder ranks: the same seed replays the same schedule. */
    public static final long SEED = 42;

    /** Skew of Zipf feeders: rank k is picked in proportion to 1/k^s. */
    public static final double ZIPF_EXPONENT = 1.0;

    /** Highest latency a histogram holds: one hour, in microseconds (higher values are clamped). */
    public static final long HISTOGRAM_HIGHEST_MICROS = 3_600_000_000L;

    /** Significant decimal digits of every histogram: 0.1% value resolution. */
    public static final int HISTOGRAM_DIGITS = 3;

    /** How often the closed-model controller tops users up to the target (and replaces finished ones). */
    public static final Duration CLOSED_TICK = Duration.ofMillis(10);

    /** How long stopped users get to close their sockets at the end of a run. */
    public static final Duration DRAIN = Duration.ofSeconds(10);

    /** Connections one process holds at most for {@code --processes auto} (the machine caps a process at 20,000 open files). */
    public static final int MAX_CONNECTIONS_PER_PROCESS = 19_000;

    /**
     * Connections one source address carries at most before another is added: the kernel's ephemeral range holds
     * ~28,000 ports here, and the netty transport's own source ports ({@code engine.SourcePorts}) 22,768.
     */
    public static final int CONNECTIONS_PER_SOURCE_ADDRESS = 20_000;

    /**
     * Connections to one loopback target above which the netty transport binds source addresses and chooses
     * its own source ports ({@code engine.SourcePorts}): an unbound connect prefers the odd half of the
     * ephemeral range (~14,100 ports here) and scans every port already taken once that half is used up.
     */
    public static final int UNBOUND_CONNECTS_PER_TARGET = 12_000;

    /** Time between the coordinator's start signal and the common start instant of its workers. */
    public static final Duration WORKER_START_DELAY = Duration.ofMillis(500);

    /** Pause of a single-process run between set-up and the first arrival. */
    public static final Duration START_DELAY = Duration.ofMillis(100);
}
