package io.nectar.loadgen.report;

import io.nectar.loadgen.dsl.Assertion;
import io.nectar.loadgen.engine.Stats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON summary of a run, built from its merged {@link RunData}. Headline latencies
 * ({@code p50_ms} ... {@code max_ms}) are over message round trips (asks and pings) that got an answer,
 * measured from the intended send time; {@code requests} counts round trips attempted; {@code errors}
 * counts every failure, failed connects included; {@code error_percent} is errors per operation
 * (round trips plus connects).
 */
public final class Summary {

    /** Facts about the run that are not in its data: what ran, where, how. */
    public record RunInfo(String scenario, String description, JsonObject options, List<String> targets, int processes,
                          JsonArray serverProbes) {
    }

    private Summary() {
    }

    public static JsonObject build(RunData data, RunInfo info, List<Assertion> assertions) {
        JsonObject s = new JsonObject();
        s.put("scenario", info.scenario());
        s.put("description", info.description());
        s.put("started_at", Instant.ofEpochMilli(data.startEpochMillis()).toString());
        s.put("duration_s", round(data.durationSeconds(), 3));
        s.put("targets", new JsonArray(info.targets()));
        s.put("processes", info.processes());
        s.put("interrupted", data.interrupted());

        long requestsOk = 0, requestsKo = 0, connectOk = 0, connectKo = 0;
        for (Map.Entry<String, Stats.Kind> e : data.kinds().entrySet()) {
            long[] c = data.counts(e.getKey());
            if (e.getValue() == Stats.Kind.REQUEST) {
                requestsOk += c[0];
                requestsKo += c[1];
            } else if (e.getValue() == Stats.Kind.CONNECT) {
                connectOk += c[0];
                connectKo += c[1];
            }
        }
        long requests = requestsOk + requestsKo;
        long errors = data.totalErrors();
        long operations = requests + connectOk + connectKo;
        s.put("requests", requests);
        s.put("requests_ok", requestsOk);
        s.put("errors", errors);
        s.put("error_percent", operations == 0 ? 0.0 : round(100.0 * errors / operations, 4));
        putLatencies(s, data.total(Stats.Kind.REQUEST));
        double duration = Math.max(data.durationSeconds(), 1e-9);
        s.put("throughput_per_s", round(requestsOk / duration, 2));
        long peakPerSecond = 0;
        for (RunData.Second sec : data.timeline().values()) {
            peakPerSecond = Math.max(peakPerSecond, sec.ok(Stats.Kind.REQUEST, data.kinds()));
        }
        s.put("peak_throughput_per_s", peakPerSecond);
        s.put("connections_peak", data.peakConnections());
        s.put("connections_opened", data.opened());
        s.put("connects", new JsonObject().put("ok", connectOk).put("ko", connectKo));
        putLatencies(s.getJsonObject("connects"), data.total(Stats.Kind.CONNECT));
        s.put("users_started", data.workers().stream().mapToLong(w -> w.getJsonObject("users").getLong("started")).sum());
        JsonObject byKind = new JsonObject();
        data.errors().forEach(byKind::put);
        s.put("errors_by_kind", byKind);

        JsonObject metrics = new JsonObject();
        data.kinds().forEach((name, kind) -> {
            long[] c = data.counts(name);
            JsonObject m = new JsonObject().put("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .put("ok", c[0]).put("ko", c[1]);
            putLatencies(m, data.total(name));
            metrics.put(name, m);
        });
        s.put("metrics", metrics);
        s.put("generator_lag_max_ms", data.workers().stream()
                .mapToDouble(w -> w.getJsonObject("generator_lag_ms").getDouble("max")).max().orElse(0));
        if (info.serverProbes() != null && !info.serverProbes().isEmpty()) {
            s.put("server_probes", info.serverProbes());
        }
        s.put("options", info.options());
        s.put("machine", machine());

        JsonArray results = new JsonArray();
        boolean all = true;
        for (Assertion a : assertions) {
            double actual = value(s, a);
            boolean ok = a.passes(actual);
            all &= ok;
            results.add(new JsonObject().put("assertion", a.text()).put("actual", Double.isNaN(actual) ? null : round(actual, 4))
                    .put("passed", ok));
        }
        s.put("assertions", results);
        s.put("passed", all);
        return s;
    }

    static void putLatencies(JsonObject o, Histogram h) {
        boolean any = h.getTotalCount() > 0;
        o.put("count", h.getTotalCount());
        o.put("p50_ms", any ? ms(h.getValueAtPercentile(50)) : null);
        o.put("p90_ms", any ? ms(h.getValueAtPercentile(90)) : null);
        o.put("p99_ms", any ? ms(h.getValueAtPercentile(99)) : null);
        o.put("p999_ms", any ? ms(h.getValueAtPercentile(99.9)) : null);
        o.put("max_ms", any ? ms(h.getMaxValue()) : null);
        o.put("mean_ms", any ? round(h.getMean() / 1000.0, 3) : null);
    }

    static double ms(long micros) {
        return round(micros / 1000.0, 3);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The summary's value for an assertion (NaN when there is nothing to compare, e.g. no replies). */
    public static double value(JsonObject s, Assertion a) {
        JsonObject scope = s;
        if (a.metric() != null) {
            scope = s.getJsonObject("metrics").getJsonObject(a.metric());
            if (scope == null) {
                return Double.NaN;
            }
        }
        String key = switch (a.stat()) {
            case P50 -> "p50_ms";
            case P90 -> "p90_ms";
            case P99 -> "p99_ms";
            case P999 -> "p999_ms";
            case MAX -> "max_ms";
            case MEAN -> "mean_ms";
            default -> null;
        };
        if (key != null) {
            Double v = scope.getDouble(key);
            return v == null ? Double.NaN : v;
        }
        return switch (a.stat()) {
            case ERROR_PERCENT -> a.metric() == null ? s.getDouble("error_percent") : percent(scope);
            case ERRORS -> a.metric() == null ? s.getLong("errors") : scope.getLong("ko");
            case REQUESTS -> a.metric() == null ? s.getLong("requests") : scope.getLong("ok") + scope.getLong("ko");
            case THROUGHPUT -> a.metric() == null ? s.getDouble("throughput_per_s")
                    : scope.getLong("ok") / Math.max(1e-9, s.getDouble("duration_s"));
            case CONNECTIONS_PEAK -> s.getLong("connections_peak");
            default -> Double.NaN;
        };
    }

    private static double percent(JsonObject m) {
        long n = m.getLong("ok") + m.getLong("ko");
        return n == 0 ? 0 : 100.0 * m.getLong("ko") / n;
    }

    /** The machine and JVM the run was measured on. */
    public static JsonObject machine() {
        JsonObject m = new JsonObject()
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
                .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("loadgen_max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    m.put("cpu", line.substring(line.indexOf(':') + 1).strip());
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    m.put("memory_gib", round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0, 1));
                    break;
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // cpu and memory stay unknown
        }
        return m;
    }
}
