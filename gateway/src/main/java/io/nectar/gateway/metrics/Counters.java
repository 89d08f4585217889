package io.nectar.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;

import java.util.function.Supplier;

/** Monotonic counts read on every scrape, exported as Prometheus counters ({@code <name>_total}). */
public final class Counters {

    private Counters() {
    }

    /** Registers {@code name} (without {@code _total}: the exporter adds it). */
    public static void register(GatewayMetrics metrics, String name, String description, Supplier<Number> value) {
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(metrics.registry());
    }
}
