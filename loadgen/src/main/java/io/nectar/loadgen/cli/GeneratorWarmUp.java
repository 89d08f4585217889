package io.nectar.loadgen.cli;

import io.nectar.loadgen.dsl.Simulation;
import io.nectar.loadgen.echo.EchoServer;
import io.nectar.loadgen.engine.Engine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays the start of the scenario against an echo server inside this process before the measured run, so
 * the generator's own code (its WebSocket client, frames, feeders, histograms) is compiled and its heap
 * sized before it measures anything. A cold generator spent the first 1.5 s of a 15,000-shopper burst
 * compiling and collecting (0.5 s of CPU in its compiler threads, 0.35 s in GC), and every shopper who
 * arrived then waited for the generator, not for the server: the whole connect p99 came from that second.
 * The warm-up never touches the real targets, so the servers and their caches see only the measured run;
 * nothing it records is kept.
 */
final class GeneratorWarmUp {

    /**
     * The warm-up plays one arrival in this many. At the full rate the in-process echo server, which shares
     * the generator's core, fell behind: in a 15,000-shopper burst (1,500 arrivals/s) the warm-up completed
     * 0-900 requests with up to 1,869 connections waiting, so the reply path (frames read, histograms
     * recorded, users finished) reached the measured run cold. A quarter of the arrivals is answered.
     */
    static final int THINNING = 4;

    /** What {@code --generator-warm-up} defaults to: enough for the compiler, short beside any run. */
    static final Duration DEFAULT = Duration.ofSeconds(3);

    private GeneratorWarmUp() {
    }

    /**
     * Runs this process's share of {@code sim} (worker {@code workerIndex} of {@code workerCount}) against an
     * in-process echo server for {@code length} (users still running then are stopped) and returns once
     * everything it opened is closed. A warm-up that fails is reported on {@code out} and the measured run
     * goes on cold. Blocks: called on the command line's own thread before the run, never on an event loop.
     */
    static void run(Simulation sim, Duration length, int eventLoops, int workerIndex, int workerCount, String transport, PrintStream out)
            throws InterruptedException {
        if (length.isZero() || length.isNegative()) {
            return;
        }
        long t0 = System.nanoTime();
        EchoServer echo;
        try {
            echo = EchoServer.start("127.0.0.1", 0, 1).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            out.println("loadgen: generator warm-up skipped, no echo server: " + e.getMessage());
            return;
        }
        Path data = null;
        try {
            data = Files.createTempDirectory("loadgen-warm-up");
            Simulation warm = new Simulation(sim.populations(), List.of("ws://127.0.0.1:" + echo.port() + "/ws/chat"),
                    List.of(), length, null, 0, sim.seed());
            // a quarter of this process's arrivals: the echo server shares the generator's core here
            Engine.Outcome o = Engine.run(warm, new Engine.Options(eventLoops, List.of(), workerIndex * THINNING,
                    workerCount * THINNING, data, 0, null, transport));
            out.printf("loadgen: generator warmed up in %.1f s (%,d requests, %,d errors, peak %,d connections, to an echo server in this process, not recorded)%n",
                    (System.nanoTime() - t0) / 1e9, o.requests(), o.errors(), o.peakConnections());
        } catch (IOException | RuntimeException e) {
            out.println("loadgen: generator warm-up failed, measuring cold: " + e);
        } finally {
            try {
                echo.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                out.println("loadgen: the warm-up's echo server did not stop cleanly: " + e.getMessage());
            }
            if (data != null) {
                try {
                    Runner.deleteRecursively(data);
                } catch (IOException ignored) {
                    // a temporary directory left behind
                }
            }
            collectGarbage();
        }
    }

    /**
     * Collects what the warm-up left before the run starts. The warm-up plays the start of a burst on one
     * process and leaves tens of megabytes of survivors; without this, the measured run's first
     * collections copied them: back-to-back pauses of 80 and 37 ms in its first second on one core,
     * counted as generator lag (108-117 ms in three runs of a 15,000-shopper burst) and as the connect
     * time of every shopper arriving then. Here, before the clock starts, the pause costs nothing.
     */
    @SuppressWarnings("java:S1215") // an explicit collection is the point: between warm-up and measurement
    static void collectGarbage() {
        System.gc();
    }
}
