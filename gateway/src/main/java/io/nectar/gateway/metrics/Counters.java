package io.nectar.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/** Monotonic counts read on every scrape, exported as Prometheus counters ({@code <name>_total}). */
public final class Counters {

    /**
     * A function counter only holds its source weakly: the suppliers live here, as long as their registry
     * (a lambda referenced by nothing else would otherwise be collected and the counter read nothing).
     */
    private static final Map<MeterRegistry, List<Supplier<Number>>> SOURCES = new WeakHashMap<>();

    private Counters() {
    }

    /** Registers {@code name} (without {@code _total}: the exporter adds it). */
    public static void register(GatewayMetrics metrics, String name, String description, Supplier<Number> value) {
        synchronized (SOURCES) {
            SOURCES.computeIfAbsent(metrics.registry(), r -> new ArrayList<>()).add(value);
        }
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).register(metrics.registry());
    }
}
