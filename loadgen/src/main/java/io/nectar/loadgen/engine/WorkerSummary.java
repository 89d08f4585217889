package io.nectar.loadgen.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * This process's {@value Engine#WORKER_JSON} in the run's data directory: its share, its totals by metric
 * and error kind, connections, users and the generator's own lag, for the report to merge with the other
 * processes' summaries.
 */
final class WorkerSummary {

    private WorkerSummary() {
    }

    static void write(Engine.Options options, Stats stats, Histogram generatorLag, long startEpochMillis, long elapsedNanos,
                      boolean interrupted) {
        JsonObject metrics = new JsonObject();
        stats.metrics().forEach((name, m) -> metrics.put(name, new JsonObject().put("kind", m.kind.name())
                .put("ok", m.ok.sum()).put("ko", m.ko.sum())));
        JsonObject errors = new JsonObject();
        stats.errorTotals().forEach(errors::put);
        JsonObject json = new JsonObject()
                .put("worker", options.workerIndex()).put("workers", options.workerCount())
                .put("start_epoch_ms", startEpochMillis)
                .put("end_epoch_ms", startEpochMillis + TimeUnit.NANOSECONDS.toMillis(elapsedNanos))
                .put("duration_s", elapsedNanos / 1e9)
                .put("interrupted", interrupted)
                .put("event_loops", options.eventLoops())
                .put("local_addresses", new JsonArray(new ArrayList<>(options.localAddresses())))
                .put("metrics", metrics).put("errors", errors)
                .put("connections", new JsonObject().put("opened", stats.opened()).put("closed", stats.closed())
                        .put("peak", stats.peakConnections()))
                .put("users", new JsonObject().put("started", stats.usersStarted.sum()).put("finished", stats.usersFinished.sum()))
                .put("generator_lag_ms", new JsonObject()
                        .put("p50", generatorLag.getValueAtPercentile(50) / 1000.0)
                        .put("p99", generatorLag.getValueAtPercentile(99) / 1000.0)
                        .put("max", generatorLag.getMaxValue() / 1000.0));
        try {
            Files.writeString(options.dataDir().resolve(Engine.WORKER_JSON), json.encodePrettily(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
