package io.nectar.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nectar.gateway.error.ErrorCode;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The gateway's operational metrics, exported in Prometheus text format at {@code /metrics}. Meters are
 * node-wide, never tagged by merchant: merchant ids are unbounded and one merchant must not see another's
 * numbers here. Beside the gateway's own meters, the process's and the JVM's: CPU, heap and its pools,
 * collections and their pauses, threads, open files against the limit, uptime (Micrometer's binders).
 * Any thread.
 */
public final class GatewayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong connectionsOpen = new AtomicLong();
    private final Counter connectionsTotal;
    private final Counter messagesIn;
    private final Counter messagesHeld;
    private final Counter messagesShed;
    private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
    private final Map<String, Timer> replyLatency = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Map<String, Counter> actions = new ConcurrentHashMap<>();
    private final Map<String, Timer> actionLatency = new ConcurrentHashMap<>();
    private final Map<String, Counter> handoffs = new ConcurrentHashMap<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Sources of {@link #counter}s, held here: a function counter only keeps a weak reference. */
    private final List<Supplier<Number>> counted = new CopyOnWriteArrayList<>();

    public GatewayMetrics() {
        Gauge.builder("nectar_connections_open", connectionsOpen, AtomicLong::get)
                .description("WebSocket chat connections open now").register(registry);
        connectionsTotal = Counter.builder("nectar_connections_total").description("WebSocket chat connections accepted").register(registry);
        messagesIn = Counter.builder("nectar_messages_in_total").description("Frames received from shoppers").register(registry);
        messagesHeld = Counter.builder("nectar_messages_held_total")
                .description("Shopper messages kept for the agent who owns the conversation (the bot did not answer)").register(registry);
        messagesShed = Counter.builder("nectar_messages_shed_total")
                .description("Shopper messages answered 'overloaded' unread: they waited past --max-queue-wait-ms").register(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        gc.bindTo(registry);
        for (ErrorCode c : ErrorCode.values()) {
            errors.put(c, Counter.builder("nectar_errors_total").tag("code", c.code())
                    .description("Error frames sent, by code").register(registry));
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void connectionOpened() {
        connectionsOpen.incrementAndGet();
        connectionsTotal.increment();
    }

    public void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    public void messageIn() {
        messagesIn.increment();
    }

    public void messageHeld() {
        messagesHeld.increment();
    }

    /** A message answered {@code overloaded} unread after waiting too long behind its connection's earlier ones. */
    public void messageShed() {
        messagesShed.increment();
    }

    public void messageOut(String type) {
        messagesOut.computeIfAbsent(type, t -> Counter.builder("nectar_messages_out_total").tag("type", t)
                .description("Frames sent to shoppers, by type").register(registry)).increment();
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    /** Time from a message's arrival to its reply being written, by answer source. */
    public void replyLatency(String source, long nanos) {
        replyLatency.computeIfAbsent(source, s -> Timer.builder("nectar_reply_latency").tag("source", s)
                .description("Time from a shopper message to the reply")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One flow action ended: {@code kind} is {@code demo} or {@code webhook}, {@code outcome} {@code ok},
     * {@code rejected} or {@code unavailable}; the time includes retries.
     */
    public void action(String kind, String outcome, long nanos) {
        actions.computeIfAbsent(kind + ":" + outcome, k -> Counter.builder("nectar_flow_actions_total").tag("kind", kind)
                .tag("outcome", outcome).description("Flow actions run in merchants' systems, by outcome").register(registry)).increment();
        actionLatency.computeIfAbsent(kind, k -> Timer.builder("nectar_flow_action_latency").tag("kind", kind)
                .description("Time a flow action took, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A conversation was handed to a human, by reason ({@code requested}, {@code complaint}, ...). */
    public void handoff(String reason) {
        handoffs.computeIfAbsent(reason, r -> Counter.builder("nectar_handoffs_total").tag("reason", r)
                .description("Conversations handed to human agents, by reason").register(registry)).increment();
    }

    /**
     * Exposes a count kept elsewhere that only ever grows (messages answered some way, batches run) as a
     * Prometheus counter, read on every scrape. {@code name} ends in {@code _total}, as served.
     */
    public void counter(String name, String description, Supplier<Number> total) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("a counter's name ends in _total: " + name);
        }
        // Micrometer adds the _total suffix itself when it exports a counter, and holds the source weakly
        counted.add(total);
        FunctionCounter.builder(name.substring(0, name.length() - "_total".length()), total, t -> t.get().doubleValue())
                .description(description).register(registry);
    }

    /** Exposes a value read on every scrape, such as a queue depth. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Stops listening for the JVM's collections (a gateway stopped inside a longer-lived JVM). */
    @Override
    public void close() {
        gc.close();
    }
}
