package io.nectar.loadgen.engine;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a run's raw record, one interval a second, for the report to be built afterwards (and merged
 * with other processes'): {@code latency.hlog}, an HdrHistogram interval log with one tagged histogram
 * per metric and second (µs), and {@code timeline.jsonl}, one line of counts and gauges per second.
 * Driven by one thread (the engine's ticker); not thread-safe.
 */
public final class StatsWriter implements AutoCloseable {

    public static final String HLOG = "latency.hlog";
    public static final String TIMELINE = "timeline.jsonl";

    private final Stats stats;
    private final HistogramLogWriter hlog;
    private final BufferedWriter timeline;
    private final Consumer<Progress> progress;
    private final Map<String, long[]> lastCounts = new HashMap<>();
    private final Map<String, Long> lastErrors = new HashMap<>();
    private long lastOpened, lastClosed, lastStarted;
    private int second;
    private double lastEnd;

    StatsWriter(Stats stats, Path dir, Consumer<Progress> progress) {
        this.stats = stats;
        this.progress = progress;
        try {
            Files.createDirectories(dir);
            hlog = new HistogramLogWriter(dir.resolve(HLOG).toFile());
            hlog.outputComment("nectar loadgen latency log: one histogram per metric (tag) and second; values in microseconds");
            hlog.outputLogFormatVersion();
            hlog.outputLegend();
            timeline = Files.newBufferedWriter(dir.resolve(TIMELINE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run data in " + dir, e);
        }
    }

    /** Closes the interval ending {@code endSec} seconds after the run's start. */
    void tick(double endSec) {
        // the interval [lastEnd, endSec) is "second" ceil(endSec): 1 for [0, 1), and a last partial one too
        second = Math.max(second + 1, secondOf(endSec));
        double start = lastEnd;
        lastEnd = endSec;
        Histogram requests = Progress.newHistogram(), connects = Progress.newHistogram();
        JsonObject metrics = new JsonObject();
        long rok = 0, rko = 0, cok = 0, cko = 0, totalRequests = 0;
        for (Stats.Metric m : stats.metrics().values()) {
            Histogram h = Stats.interval(m);
            if (h.getTotalCount() > 0) {
                h.setTag(m.name);
                hlog.outputIntervalHistogram(start, endSec, h, 1000.0);
            }
            long ok = m.ok.sum(), ko = m.ko.sum();
            long[] last = lastCounts.computeIfAbsent(m.name, k -> new long[2]);
            long dOk = ok - last[0], dKo = ko - last[1];
            last[0] = ok;
            last[1] = ko;
            metrics.put(m.name, new JsonObject().put("kind", m.kind.name()).put("ok", dOk).put("ko", dKo));
            if (m.kind == Stats.Kind.REQUEST) {
                requests.add(h);
                rok += dOk;
                rko += dKo;
                totalRequests += ok + ko;
            } else if (m.kind == Stats.Kind.CONNECT) {
                connects.add(h);
                cok += dOk;
                cko += dKo;
            }
        }
        Map<String, Long> errorDelta = new java.util.TreeMap<>();
        long totalErrors = 0;
        for (Map.Entry<String, Long> e : stats.errorTotals().entrySet()) {
            long d = e.getValue() - lastErrors.getOrDefault(e.getKey(), 0L);
            totalErrors += e.getValue();
            lastErrors.put(e.getKey(), e.getValue());
            if (d > 0) {
                errorDelta.put(e.getKey(), d);
            }
        }
        long opened = stats.opened(), closed = stats.closed(), started = stats.usersStarted.sum();
        long peak = stats.takeIntervalPeak();
        JsonObject errors = new JsonObject();
        errorDelta.forEach(errors::put);
        JsonObject line = new JsonObject()
                .put("second", second).put("start_s", start).put("end_s", endSec)
                .put("active", stats.activeConnections()).put("peak", peak)
                .put("opened", opened - lastOpened).put("closed", closed - lastClosed)
                .put("users_live", stats.usersLive()).put("users_started", started - lastStarted)
                .put("metrics", metrics).put("errors", errors);
        lastOpened = opened;
        lastClosed = closed;
        lastStarted = started;
        try {
            timeline.write(line.encode());
            timeline.write('\n');
            timeline.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (progress != null) {
            progress.accept(new Progress(second, stats.activeConnections(), peak, stats.usersLive(), started,
                    rok, rko, cok, cko, totalRequests, totalErrors, errorDelta, requests, connects));
        }
    }

    /** The second index of an interval ending at {@code endSec} (as the report reads it back from the hlog). */
    public static int secondOf(double endSec) {
        return (int) Math.ceil(endSec - 1e-6);
    }

    @Override
    public void close() throws IOException {
        hlog.close();
        timeline.close();
    }
}
