package io.nectar.loadgen.cli;

import io.nectar.loadgen.probe.ServerProbe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Server memory measurements of a run: every {@code --probe-pid} once before the load starts and once
 * while it is held (at the simulation's probe time). Runs on its own thread; failures are reported, not fatal.
 */
final class ProbePlan {

    private final List<Long> pids;
    private final Double atSeconds;
    private final Path histogramDir;
    private final PrintStream log;
    private final List<ServerProbe.Reading> before = new ArrayList<>();
    private final List<ServerProbe.Reading> loaded = new ArrayList<>();
    private Thread thread;
    private volatile boolean measuring;

    ProbePlan(List<Long> pids, Double atSeconds, Path histogramDir, PrintStream log) {
        this.pids = List.copyOf(pids);
        this.atSeconds = atSeconds;
        this.histogramDir = histogramDir;
        this.log = log;
    }

    boolean active() {
        return !pids.isEmpty();
    }

    /** Measures every pid now ("before"); call before the load starts. */
    void before() {
        measure("before", 0, 0, before);
    }

    /**
     * Measures on a background thread at {@code startEpochMillis + at}, or later, once {@code connections}
     * reaches {@code wanted} (a slow ramp must not be measured half-way); gives up when the run ends.
     */
    void scheduleLoaded(long startEpochMillis, LongSupplier connections, long wanted) {
        if (!active() || atSeconds == null) {
            return;
        }
        thread = new Thread(() -> {
            long due = startEpochMillis + (long) (atSeconds * 1000);
            try {
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                while (connections.getAsLong() < wanted) {
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                log.printf("probe: the run ended before %,d connections were open; no loaded measurement%n", wanted);
                return;
            }
            measuring = true;
            measure("loaded", atSeconds, connections.getAsLong(), loaded);
        }, "loadgen-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void measure(String label, double at, long connections, List<ServerProbe.Reading> into) {
        for (long pid : pids) {
            try {
                Path hist = histogramDir == null ? null : histogramDir.resolve("class-histogram-" + pid + "-" + label + ".txt");
                ServerProbe.Reading r = ServerProbe.measure(pid, label, at, connections, hist);
                synchronized (into) {
                    into.add(r);
                }
                log.printf("probe %s pid %d: %,d connections, heap %,.1f MiB, RSS %,.1f MiB%n", label, pid, connections,
                        r.heapUsedBytes() / 1048576.0, r.rssBytes() / 1048576.0);
            } catch (Exception e) {
                log.println("probe " + label + " of pid " + pid + " failed: " + e.getMessage());
            }
        }
    }

    /** Waits for the loaded measurement if it is still running. */
    void finish() throws InterruptedException {
        if (thread != null) {
            if (!measuring) {
                thread.interrupt(); // the run ended before the probe time
            }
            thread.join(120_000);
        }
    }

    JsonArray readings() {
        JsonArray a = new JsonArray();
        before.forEach(r -> a.add(r.toJson()));
        synchronized (loaded) {
            loaded.forEach(r -> a.add(r.toJson()));
        }
        return a;
    }

    JsonObject perConnection() {
        synchronized (loaded) {
            if (loaded.size() != pids.size() || before.size() != pids.size()) {
                return null;
            }
            return ServerProbe.perConnection(before, loaded);
        }
    }
}
