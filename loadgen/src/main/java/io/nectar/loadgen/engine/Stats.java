package io.nectar.loadgen.engine;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything a run records, written from any event loop without locks (HdrHistogram {@link Recorder}s,
 * adders) and read once a second by {@link StatsWriter}. Latencies are kept in microseconds.
 */
public final class Stats {

    /** Highest latency a histogram holds: one hour, in microseconds. */
    public static final long HIGHEST_MICROS = io.nectar.loadgen.LoadgenDefaults.HISTOGRAM_HIGHEST_MICROS;
    /** Significant decimal digits of every histogram (0.1% resolution). */
    public static final int DIGITS = io.nectar.loadgen.LoadgenDefaults.HISTOGRAM_DIGITS;

    /** What a metric measures; the summary's headline latencies are over {@link #REQUEST}s. */
    public enum Kind {
        /** a WebSocket connect, up to the welcome frame */
        CONNECT,
        /** a message round trip: ask (message → reply) or ping (ping → pong) */
        REQUEST,
        /** a timed block of steps */
        GROUP
    }

    /** One named metric: its latency recorder and OK/KO counts. */
    public static final class Metric {
        final String name;
        final Kind kind;
        final Recorder recorder = new Recorder(1, HIGHEST_MICROS, DIGITS);
        final LongAdder ok = new LongAdder();
        final LongAdder ko = new LongAdder();

        Metric(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        public String name() {
            return name;
        }

        public Kind kind() {
            return kind;
        }
    }

    private final Map<String, Metric> metrics = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong intervalPeak = new AtomicLong();
    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    final LongAdder usersStarted = new LongAdder();
    final LongAdder usersFinished = new LongAdder();
    final AtomicLong usersLive = new AtomicLong();

    public Metric metric(String name, Kind kind) {
        Metric m = metrics.computeIfAbsent(name, n -> new Metric(n, kind));
        if (m.kind != kind) {
            throw new IllegalArgumentException("metric '" + name + "' is used as " + m.kind + " and " + kind + "; give them different names");
        }
        return m;
    }

    /** Records a success and its latency. */
    public void ok(Metric m, long latencyNanos) {
        m.recorder.recordValue(micros(latencyNanos));
        m.ok.increment();
    }

    /**
     * Records a failure of kind {@code errorKind}; {@code latencyNanos} &gt;= 0 when an answer did arrive
     * (a failed check), so its latency still counts, else -1.
     */
    public void ko(Metric m, String errorKind, long latencyNanos) {
        if (latencyNanos >= 0) {
            m.recorder.recordValue(micros(latencyNanos));
        }
        m.ko.increment();
        errors.computeIfAbsent(errorKind, k -> new LongAdder()).increment();
    }

    /** A group's outcome: counted, but its failure is not another error (the failing request was one). */
    public void group(Metric m, long latencyNanos, boolean ok) {
        if (latencyNanos >= 0) {
            m.recorder.recordValue(micros(latencyNanos));
        }
        (ok ? m.ok : m.ko).increment();
    }

    static long micros(long nanos) {
        long us = Math.max(1, (nanos + 500) / 1000);
        return Math.min(us, HIGHEST_MICROS);
    }

    public void connectionOpened() {
        opened.increment();
        long now = active.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        intervalPeak.accumulateAndGet(now, Math::max);
    }

    public void connectionClosed() {
        closed.increment();
        active.decrementAndGet();
    }

    public long activeConnections() {
        return active.get();
    }

    public long peakConnections() {
        return peak.get();
    }

    public long usersLive() {
        return usersLive.get();
    }

    /** The highest number of open connections since the last call, then restarts from the current count. */
    long takeIntervalPeak() {
        return intervalPeak.getAndSet(active.get());
    }

    long opened() {
        return opened.sum();
    }

    long closed() {
        return closed.sum();
    }

    Map<String, Metric> metrics() {
        return new TreeMap<>(metrics);
    }

    Map<String, Long> errorTotals() {
        Map<String, Long> m = new TreeMap<>();
        errors.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** A fresh interval histogram of a metric (what was recorded since the last call). */
    static Histogram interval(Metric m) {
        return m.recorder.getIntervalHistogram();
    }
}
