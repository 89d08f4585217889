package io.nectar.loadgen.report;

import io.nectar.loadgen.engine.Engine;
import io.nectar.loadgen.engine.Stats;
import io.nectar.loadgen.engine.StatsWriter;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.PackedHistogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The raw record of a run, read back from one or more processes' data directories and merged: histograms
 * are added per metric and per second (HdrHistogram addition is exact), counts summed, gauges summed per
 * second. Everything the summary and the HTML report show comes from here.
 */
public final class RunData {

    /** One second of the merged timeline. */
    public static final class Second {
        public final int second;
        public long active;
        /** sum over processes of each one's highest open connections in this second */
        public long peak;
        public long opened;
        public long closed;
        public long usersLive;
        public long usersStarted;
        public final Map<String, long[]> okKo = new TreeMap<>();
        public final Map<String, Long> errors = new TreeMap<>();

        Second(int second) {
            this.second = second;
        }

        public long ok(Stats.Kind kind, Map<String, Stats.Kind> kinds) {
            return okKo.entrySet().stream().filter(e -> kinds.get(e.getKey()) == kind).mapToLong(e -> e.getValue()[0]).sum();
        }

        public long ko(Stats.Kind kind, Map<String, Stats.Kind> kinds) {
            return okKo.entrySet().stream().filter(e -> kinds.get(e.getKey()) == kind).mapToLong(e -> e.getValue()[1]).sum();
        }

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final Map<String, Stats.Kind> kinds = new TreeMap<>();
    private final Map<String, Histogram> totals = new TreeMap<>();
    private final Map<String, TreeMap<Integer, Histogram>> perSecond = new TreeMap<>();
    private final TreeMap<Integer, Second> timeline = new TreeMap<>();
    private final Map<String, long[]> counts = new TreeMap<>();
    private final Map<String, Long> errors = new TreeMap<>();
    private final List<JsonObject> workers = new ArrayList<>();
    private long opened;
    private long closed;
    private long workerPeakMax;
    private long peakSum;
    private long startEpochMillis = Long.MAX_VALUE;
    private long endEpochMillis;
    private boolean interrupted;

    private RunData() {
    }

    /** Reads and merges the data directories of one run (one per process). */
    public static RunData read(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no data directories");
        }
        RunData d = new RunData();
        for (Path dir : dirs) {
            try {
                d.readWorker(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read run data in " + dir + ": " + e.getMessage(), e);
            }
        }
        for (Second s : d.timeline.values()) {
            d.peakSum = Math.max(d.peakSum, s.peak);
        }
        return d;
    }

    private void readWorker(Path dir) throws IOException {
        JsonObject w = new JsonObject(Files.readString(dir.resolve(Engine.WORKER_JSON), StandardCharsets.UTF_8));
        workers.add(w);
        startEpochMillis = Math.min(startEpochMillis, w.getLong("start_epoch_ms"));
        endEpochMillis = Math.max(endEpochMillis, w.getLong("end_epoch_ms"));
        interrupted |= w.getBoolean("interrupted", false);
        w.getJsonObject("metrics").forEach(e -> {
            JsonObject m = (JsonObject) e.getValue();
            kinds.put(e.getKey(), Stats.Kind.valueOf(m.getString("kind")));
            long[] c = counts.computeIfAbsent(e.getKey(), k -> new long[2]);
            c[0] += m.getLong("ok");
            c[1] += m.getLong("ko");
        });
        w.getJsonObject("errors").forEach(e -> errors.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
        JsonObject conns = w.getJsonObject("connections");
        opened += conns.getLong("opened");
        closed += conns.getLong("closed");
        workerPeakMax = Math.max(workerPeakMax, conns.getLong("peak"));

        try (HistogramLogReader reader = new HistogramLogReader(dir.resolve(StatsWriter.HLOG).toFile())) {
            EncodableHistogram e;
            while ((e = reader.nextIntervalHistogram()) != null) {
                Histogram h = (Histogram) e;
                String tag = h.getTag();
                int second = StatsWriter.secondOf(h.getEndTimeStamp() / 1000.0);
                totals.computeIfAbsent(tag, t -> newHistogram()).add(h);
                addRecorded(perSecond.computeIfAbsent(tag, t -> new TreeMap<>()).computeIfAbsent(second, s -> newSecond()), h);
            }
        }
        for (String line : Files.readAllLines(dir.resolve(StatsWriter.TIMELINE), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject j = new JsonObject(line);
            Second s = timeline.computeIfAbsent(j.getInteger("second"), Second::new);
            s.active += j.getLong("active");
            s.peak += j.getLong("peak");
            s.opened += j.getLong("opened");
            s.closed += j.getLong("closed");
            s.usersLive += j.getLong("users_live");
            s.usersStarted += j.getLong("users_started");
            j.getJsonObject("metrics").forEach(e -> {
                JsonObject m = (JsonObject) e.getValue();
                kinds.putIfAbsent(e.getKey(), Stats.Kind.valueOf(m.getString("kind")));
                long[] c = s.okKo.computeIfAbsent(e.getKey(), k -> new long[2]);
                c[0] += m.getLong("ok");
                c[1] += m.getLong("ko");
            });
            j.getJsonObject("errors").forEach(e -> s.errors.merge(e.getKey(), ((Number) e.getValue()).longValue(), Long::sum));
        }
    }

    static Histogram newHistogram() {
        return new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
    }

    /**
     * A histogram for one second of one metric. Packed: it holds only the buckets that have counts, a few
     * hundred bytes for a second's latencies, where a flat histogram of this range and precision is ~190 KB
     * whatever it holds. A run keeps one per metric and second: flat, a 2,300 s run with three metrics
     * needed ~1.3 GB and the coordinator ran out of heap writing its report.
     */
    static Histogram newSecond() {
        return new PackedHistogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
    }

    /**
     * Adds {@code from}'s counts to {@code into} bucket by bucket, visiting only the buckets that hold
     * counts: {@link Histogram#add} reads every bucket of the range, which for packed histograms is a slow
     * lookup each. Both have the same range and precision, so each value lands in the bucket it came from.
     */
    static void addRecorded(Histogram into, Histogram from) {
        for (HistogramIterationValue v : from.recordedValues()) {
            into.recordValueWithCount(v.getValueIteratedTo(), v.getCountAtValueIteratedTo());
        }
    }

    public Map<String, Stats.Kind> kinds() {
        return kinds;
    }

    /** All latencies of a metric over the whole run (µs), or an empty histogram. */
    public Histogram total(String metric) {
        return totals.getOrDefault(metric, newHistogram());
    }

    /** All latencies of every metric of a kind, merged. */
    public Histogram total(Stats.Kind kind) {
        Histogram h = newHistogram();
        kinds.forEach((name, k) -> {
            if (k == kind && totals.containsKey(name)) {
                h.add(totals.get(name));
            }
        });
        return h;
    }

    /** Per-second latencies of every metric of a kind, merged. */
    public TreeMap<Integer, Histogram> perSecond(Stats.Kind kind) {
        TreeMap<Integer, Histogram> out = new TreeMap<>();
        kinds.forEach((name, k) -> {
            if (k == kind) {
                perSecond.getOrDefault(name, new TreeMap<>()).forEach((s, h) -> addRecorded(out.computeIfAbsent(s, x -> newSecond()), h));
            }
        });
        return out;
    }

    public TreeMap<Integer, Histogram> perSecond(String metric) {
        return perSecond.getOrDefault(metric, new TreeMap<>());
    }

    public TreeMap<Integer, Second> timeline() {
        return timeline;
    }

    /** OK and KO counts of a metric: {ok, ko}. */
    public long[] counts(String metric) {
        return counts.getOrDefault(metric, new long[2]);
    }

    public Map<String, Long> errors() {
        return errors;
    }

    public long totalErrors() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public long opened() {
        return opened;
    }

    public long closed() {
        return closed;
    }

    /**
     * Most connections open at once. One process: exact. Several: the highest per-second sum of each
     * process's in-second peak (an upper bound within that second).
     */
    public long peakConnections() {
        return workers.size() == 1 ? workerPeakMax : Math.max(peakSum, workerPeakMax);
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public long endEpochMillis() {
        return endEpochMillis;
    }

    public double durationSeconds() {
        return workers.stream().mapToDouble(w -> w.getDouble("duration_s")).max().orElse(0);
    }

    public List<JsonObject> workers() {
        return workers;
    }

    public boolean interrupted() {
        return interrupted;
    }
}
