package io.nectar.loadgen.cli;

import io.nectar.loadgen.engine.Engine;
import io.nectar.loadgen.engine.Progress;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one load test as several worker JVMs on this machine (each holds its share of the users, binds
 * its own source addresses and stays under the per-process open-file cap), starts them at the same
 * instant, merges their per-second progress into one console line, and collects their data
 * directories for one report.
 *
 * <p>Protocol on a worker's stdout: {@value #READY} once set up; then, after the coordinator writes
 * {@code go <epoch ms>} on its stdin, one {@value #PROGRESS}{@code <json>} line a second and
 * {@value #DONE} at the end. Anything else a worker prints is passed through, prefixed.
 */
final class Coordinator {

    static final String READY = "@ready";
    static final String GO = "go ";
    static final String PROGRESS = "@progress ";
    static final String DONE = "@done";
    /** Time between the start signal and the common start: lets every worker read it. */
    static final long START_DELAY_MS = io.nectar.loadgen.LoadgenDefaults.WORKER_START_DELAY.toMillis();

    record Result(List<Path> dataDirs, boolean allSucceeded) {
    }

    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;

    Coordinator(PrintStream out, PrintStream err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    private static final class Worker {
        final int index;
        final Process process;
        final Path dataDir;
        /**
         * Seconds reported and not merged yet, as the worker sent them: the merge waits for the slowest
         * worker, and a decoded second holds two full histograms (~0.7 MB) against ~1 KB of compressed text,
         * so under a lagging worker decoded seconds filled the coordinator's heap (27 workers, 500,000 users).
         */
        final Map<Integer, String> progress = new ConcurrentHashMap<>();
        volatile boolean ready;
        volatile boolean done;
        volatile int lastSecond;
        Thread reader;

        Worker(int index, Process process, Path dataDir) {
            this.index = index;
            this.process = process;
            this.dataDir = dataDir;
        }

        boolean finished() {
            return done || !process.isAlive();
        }
    }

    Result run(List<String> args, int processes, List<List<String>> localAddresses, Path dataDir, ProbePlan probes, long probeConnections)
            throws IOException, InterruptedException {
        List<Worker> workers = new ArrayList<>();
        Thread killer = new Thread(() -> workers.forEach(w -> w.process.destroy()), "loadgen-stop-workers");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            for (int i = 0; i < processes; i++) {
                Path wdir = dataDir.resolve("worker-" + i);
                List<String> cmd = new ArrayList<>(javaCommand());
                cmd.addAll(args);
                cmd.addAll(List.of("--worker", i + "/" + processes, "--data", wdir.toString()));
                if (!localAddresses.get(i).isEmpty()) {
                    cmd.addAll(List.of("--local-address", String.join(",", localAddresses.get(i))));
                }
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Worker w = new Worker(i, p, wdir);
                w.reader = new Thread(() -> read(w), "loadgen-worker-" + i + "-reader");
                w.reader.setDaemon(true);
                w.reader.start();
                workers.add(w);
            }
            out.printf("loadgen: started %d worker processes (pids %s); source addresses %s%n", processes,
                    workers.stream().map(w -> w.process.pid()).toList(), localAddresses);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (workers.stream().anyMatch(w -> !w.ready)) {
                if (workers.stream().anyMatch(w -> !w.process.isAlive()) || System.nanoTime() > deadline) {
                    err.println("loadgen: a worker did not start; stopping");
                    workers.forEach(w -> w.process.destroy());
                    return new Result(List.of(), false);
                }
                Thread.sleep(20);
            }
            long start = System.currentTimeMillis() + START_DELAY_MS;
            for (Worker w : workers) {
                Writer in = new OutputStreamWriter(w.process.getOutputStream(), StandardCharsets.UTF_8);
                in.write(GO + start + "\n");
                in.flush();
            }
            long[] active = {0};
            probes.scheduleLoaded(start, () -> active[0], probeConnections);
            int next = 1;
            while (true) {
                boolean allFinished = workers.stream().allMatch(Worker::finished);
                int second = next;
                boolean complete = workers.stream().allMatch(w -> w.progress.containsKey(second) || w.finished() || w.lastSecond > second);
                if (complete && workers.stream().anyMatch(w -> w.progress.containsKey(second))) {
                    List<Progress> parts = new ArrayList<>();
                    for (Worker w : workers) {
                        String p = w.progress.remove(second);
                        if (p != null) {
                            parts.add(Progress.fromJson(new JsonObject(p)));
                        }
                    }
                    Progress merged = Progress.merge(second, parts);
                    active[0] = merged.active();
                    if (!quiet) {
                        out.println(merged.format());
                    }
                    next++;
                    continue;
                }
                if (allFinished && workers.stream().allMatch(w -> w.progress.keySet().stream().allMatch(k -> k < second))) {
                    break;
                }
                if (complete) {
                    next++; // a second no worker reported (all finished before it)
                    continue;
                }
                Thread.sleep(50);
            }
            boolean ok = true;
            List<Path> dirs = new ArrayList<>();
            for (Worker w : workers) {
                w.process.waitFor(60, TimeUnit.SECONDS);
                w.reader.join(5000);
                int rc = w.process.isAlive() ? -1 : w.process.exitValue();
                if (rc != 0) {
                    err.println("loadgen: worker " + w.index + " exited with " + rc);
                    ok = false;
                }
                if (Files.exists(w.dataDir.resolve(Engine.WORKER_JSON))) {
                    dirs.add(w.dataDir);
                }
            }
            return new Result(dirs, ok);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    private void read(Worker w) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(w.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals(READY)) {
                    w.ready = true;
                } else if (line.startsWith(PROGRESS)) {
                    String json = line.substring(PROGRESS.length());
                    int second = new JsonObject(json).getInteger("second");
                    w.progress.put(second, json);
                    w.lastSecond = second;
                } else if (line.equals(DONE)) {
                    w.done = true;
                } else {
                    out.println("[worker " + w.index + "] " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            err.println("loadgen: lost worker " + w.index + "'s output: " + e.getMessage());
        } finally {
            w.done = true;
        }
    }

    /** {@code java [heap and -XX options of this JVM] -cp [this classpath] io.nectar.loadgen.LoadgenMain}. */
    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java));
        String opts = System.getenv("LOADGEN_WORKER_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.strip().split("\\s+")));
        } else {
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("-Xm") || a.startsWith("-Xss") || a.startsWith("-XX:") || a.startsWith("-Dai.djl")) {
                    cmd.add(a);
                }
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.nectar.loadgen.LoadgenMain"));
        return cmd;
    }
}
