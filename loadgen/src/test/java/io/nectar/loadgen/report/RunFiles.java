package io.nectar.loadgen.report;

import io.nectar.loadgen.engine.Engine;
import io.nectar.loadgen.engine.Stats;
import io.nectar.loadgen.engine.StatsWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a process's raw run files by hand, in the documented formats, for report tests. */
final class RunFiles {

    private RunFiles() {
    }

    /**
     * One process that answered {@code latencies[s]} (µs) in second s+1 for metric "ask", with
     * {@code active} connections open; one connect per answer; {@code errors} overloaded errors in the last second.
     */
    static void write(Path dir, long[][] latencies, long active, long errors) throws IOException {
        Files.createDirectories(dir);
        HistogramLogWriter hlog = new HistogramLogWriter(dir.resolve(StatsWriter.HLOG).toFile());
        hlog.outputLogFormatVersion();
        List<String> timeline = new ArrayList<>();
        long ok = 0;
        for (int s = 0; s < latencies.length; s++) {
            Histogram h = new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
            for (long v : latencies[s]) {
                h.recordValue(v);
            }
            h.setTag("ask");
            hlog.outputIntervalHistogram(s, s + 1, h, 1000.0);
            Histogram c = new Histogram(Stats.HIGHEST_MICROS, Stats.DIGITS);
            for (long v : latencies[s]) {
                c.recordValue(v / 10 + 1);
            }
            c.setTag("connect");
            hlog.outputIntervalHistogram(s, s + 1, c, 1000.0);
            ok += latencies[s].length;
            boolean last = s == latencies.length - 1;
            JsonObject errs = last && errors > 0 ? new JsonObject().put("server:overloaded", errors) : new JsonObject();
            timeline.add(new JsonObject().put("second", s + 1).put("start_s", s).put("end_s", s + 1)
                    .put("active", active).put("peak", active).put("opened", latencies[s].length).put("closed", 0)
                    .put("users_live", active).put("users_started", latencies[s].length)
                    .put("metrics", new JsonObject()
                            .put("ask", new JsonObject().put("kind", "REQUEST").put("ok", latencies[s].length).put("ko", last ? errors : 0))
                            .put("connect", new JsonObject().put("kind", "CONNECT").put("ok", latencies[s].length).put("ko", 0)))
                    .put("errors", errs).encode());
        }
        hlog.close();
        Files.write(dir.resolve(StatsWriter.TIMELINE), timeline, StandardCharsets.UTF_8);
        JsonObject worker = new JsonObject().put("worker", 0).put("workers", 1).put("start_epoch_ms", 1_800_000_000_000L)
                .put("end_epoch_ms", 1_800_000_000_000L + latencies.length * 1000L).put("duration_s", (double) latencies.length)
                .put("interrupted", false).put("event_loops", 1).put("local_addresses", new JsonArray())
                .put("metrics", new JsonObject()
                        .put("ask", new JsonObject().put("kind", "REQUEST").put("ok", ok).put("ko", errors))
                        .put("connect", new JsonObject().put("kind", "CONNECT").put("ok", ok).put("ko", 0)))
                .put("errors", errors > 0 ? new JsonObject().put("server:overloaded", errors) : new JsonObject())
                .put("connections", new JsonObject().put("opened", ok).put("closed", 0).put("peak", active))
                .put("users", new JsonObject().put("started", ok).put("finished", 0))
                .put("generator_lag_ms", new JsonObject().put("p50", 0.1).put("p99", 0.5).put("max", 1.0));
        Files.writeString(dir.resolve(Engine.WORKER_JSON), worker.encodePrettily());
    }
}
