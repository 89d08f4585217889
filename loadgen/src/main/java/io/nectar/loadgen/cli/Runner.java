package io.nectar.loadgen.cli;

import io.nectar.loadgen.dsl.Assertion;
import io.nectar.loadgen.dsl.LoadScenario;
import io.nectar.loadgen.dsl.ScenarioOptions;
import io.nectar.loadgen.dsl.Simulation;
import io.nectar.loadgen.engine.Engine;
import io.nectar.loadgen.report.HtmlReport;
import io.nectar.loadgen.report.RunData;
import io.nectar.loadgen.report.Summary;
import io.nectar.loadgen.scenarios.Builtins;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a scenario from the command line: in this process, as the coordinator of several worker
 * processes, or as one such worker. Then builds the summary and HTML report from the raw data and
 * checks the assertions. Exit codes: 0 passed, 1 an assertion failed, 2 bad usage, 3 the run failed.
 */
public final class Runner {

    public static final int OK = 0, ASSERTION_FAILED = 1, USAGE = 2, RUN_FAILED = 3;

    /** Options every scenario takes (the scenario's own come on top). */
    static final Map<String, String> COMMON = commonOptions();
    /** Options a coordinator handles itself and does not pass to its workers. */
    static final Set<String> COORDINATOR_ONLY = Set.of("processes", "summary", "local-address", "probe-pid", "probe-at",
            "probe-histogram", "quiet");
    /** Connections one process holds at most by default (the machine caps a process at 20,000 open files). */
    static final int DEFAULT_MAX_PER_PROCESS = io.nectar.loadgen.LoadgenDefaults.MAX_CONNECTIONS_PER_PROCESS;
    /** Connections one source address carries at most by default (the ephemeral port range holds ~28k). */
    static final int PER_SOURCE_ADDRESS = io.nectar.loadgen.LoadgenDefaults.CONNECTIONS_PER_SOURCE_ADDRESS;

    private final PrintStream out;
    private final PrintStream err;

    public Runner(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private static Map<String, String> commonOptions() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("target", "gateway WebSocket URL, repeatable or comma-separated (default " + Simulation.DEFAULT_TARGET + ")");
        m.put("merchant", "merchant id to chat with (default demo)");
        m.put("summary", "where to write the JSON summary; the HTML report goes next to it (.html), the raw data in .data/");
        m.put("assert", "pass/fail rule, repeatable: p99<500ms, ask.p99.9<2s, errors<0.1%, requests>=1000, throughput>100/s");
        m.put("processes", "worker processes: a number or auto (default auto: one per " + DEFAULT_MAX_PER_PROCESS + " connections)");
        m.put("max-connections-per-process", "connections a process may hold, for --processes auto (default " + DEFAULT_MAX_PER_PROCESS + ")");
        m.put("local-address", "source addresses to bind, comma-separated (default: one 127.0.0.x per worker for loopback targets)");
        m.put("event-loops", "event loops per process (default: cores)");
        m.put("transport", "WebSocket client: vertx (default) or netty, a lean one for hundreds of thousands of idle connections"
                + " (ws:// only)");
        m.put("timeout", "seconds to wait for a welcome or a reply (default 30)");
        m.put("max-duration", "stop every user after this many seconds");
        m.put("generator-warm-up", "seconds to play the scenario against an echo server inside the generator first, unrecorded and never"
                + " sent to the targets, so the generator is compiled before it measures (default "
                + GeneratorWarmUp.DEFAULT.toSeconds() + "; 0 turns it off)");
        m.put("seed", "random seed of arrivals, think times and feeders (default 42)");
        m.put("probe-pid", "a server process on this machine to measure (heap after GC, RSS) before and under load; repeatable");
        m.put("probe-at", "seconds from the start to measure the servers under load (default: the scenario's)");
        m.put("probe-histogram", "flag: also save the servers' class histograms (where the bytes go) with the data");
        m.put("classpath", "extra classpath for a scenario class or .java file");
        m.put("quiet", "flag: no live progress lines");
        m.put("worker", "(internal) run as worker I/N of a coordinated run");
        m.put("data", "(internal) a worker's data directory");
        return m;
    }

    public String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ops/loadgen SCENARIO [options]\n");
        sb.append("       ops/loadgen report --summary FILE DATA_DIR...   rebuild a summary and report from raw data\n");
        sb.append("       ops/loadgen markdown SUMMARY.json...   markdown table of summaries (for BENCHMARKS.md)\n");
        sb.append("       ops/loadgen echo-server [--port N] [--event-loops N]   bare Vert.x WebSocket server (the ceiling)\n\n");
        sb.append("Runs a WebSocket load test against Nectar gateways, prints live progress, writes a JSON summary and an\n");
        sb.append("HTML report, and exits 1 if an --assert fails. SCENARIO is a built-in name, a class implementing\n");
        sb.append("io.nectar.loadgen.dsl.LoadScenario, or a .java file with one.\n\nScenarios:\n");
        for (LoadScenario s : Builtins.all()) {
            sb.append(String.format("  %-13s %s%n", s.name(), s.description()));
            s.options().forEach((k, v) -> sb.append(String.format("      --%-16s %s%n", k, v)));
        }
        sb.append("\nOptions for every scenario:\n");
        COMMON.forEach((k, v) -> {
            if (!v.startsWith("(internal)")) {
                sb.append(String.format("  --%-28s %s%n", k, v));
            }
        });
        sb.append("\nExit codes: 0 passed, 1 an assertion failed, 2 bad usage, 3 the run failed.\n");
        sb.append("Example: ops/loadgen faq-burst --users 15000 --within 10 --target ws://127.0.0.1:8080/ws/chat \\\n");
        sb.append("           --summary results/burst.json --assert 'p99<2s' --assert 'errors<0.1%'\n");
        return sb.toString();
    }

    /** Runs the command line; returns the exit code. */
    public int run(String[] args) {
        if (args.length > 0 && args[0].equals("report")) {
            return report(args);
        }
        if (args.length > 0 && args[0].equals("markdown")) {
            try {
                out.print(io.nectar.loadgen.report.BenchMarkdown.table(Arrays.stream(args).skip(1).map(Path::of).toList()));
                return OK;
            } catch (IOException | RuntimeException e) {
                err.println("loadgen: markdown: " + e.getMessage());
                return USAGE;
            }
        }
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("loadgen: " + e.getMessage());
            return USAGE;
        }
        if (cl.flag("help") || cl.scenario() == null) {
            out.print(usage());
            return cl.scenario() == null && !cl.flag("help") ? USAGE : OK;
        }
        Simulation sim;
        LoadScenario scenario;
        ScenarioOptions so = new ScenarioOptions(cl.options());
        try {
            scenario = ScenarioLoader.load(cl.scenario(), split(so.strings("classpath")));
            sim = configure(scenario.simulation(so), so);
            Set<String> unknown = new java.util.TreeSet<>(so.unread());
            unknown.removeAll(COMMON.keySet());
            cl.pairs().stream().filter(p -> p[1] == null && !CommandLine.FLAGS.contains(p[0])).forEach(p -> unknown.add(p[0]));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("unknown option(s) for " + scenario.name() + ": --" + String.join(", --", unknown) + " (try --help)");
            }
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            err.println("loadgen: " + e.getMessage());
            return USAGE;
        }
        try {
            String worker = so.string("worker", null);
            if (worker != null) {
                return runWorker(sim, so, worker);
            }
            return runAndReport(scenario, sim, so, cl);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("loadgen: interrupted");
            return RUN_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("loadgen: the run failed: " + e);
            e.printStackTrace(err);
            return RUN_FAILED;
        }
    }

    /** Applies the common options to a scenario's simulation. */
    static Simulation configure(Simulation sim, ScenarioOptions so) {
        List<String> targets = split(so.strings("target"));
        if (!targets.isEmpty()) {
            sim = sim.targets(targets);
        }
        for (String a : so.strings("assert")) {
            sim = sim.assertions(Assertion.parse(a));
        }
        sim = sim.seed(so.integer("seed", (int) sim.seed()));
        if (so.has("max-duration")) {
            sim = sim.maxDuration(so.duration("max-duration", null));
        }
        if (so.has("probe-at")) {
            sim = sim.probeAt(so.duration("probe-at", null), sim.probeConnections());
        }
        so.has("event-loops");
        so.has("transport");
        so.has("timeout");
        generatorWarmUp(so);
        return sim;
    }

    /** {@code --generator-warm-up}: 0 to 60 seconds. */
    static java.time.Duration generatorWarmUp(ScenarioOptions so) {
        java.time.Duration d = so.duration("generator-warm-up", GeneratorWarmUp.DEFAULT);
        if (d.compareTo(java.time.Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("--generator-warm-up is at most 60 seconds, was " + d.toSeconds());
        }
        return d;
    }

    static List<String> split(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private int runAndReport(LoadScenario scenario, Simulation sim, ScenarioOptions so, CommandLine cl)
            throws IOException, InterruptedException {
        int perProcess = so.integer("max-connections-per-process", DEFAULT_MAX_PER_PROCESS);
        String p = so.string("processes", "auto");
        int processes;
        if (p.equals("auto")) {
            processes = (int) Math.max(1, (sim.peakUsers() + perProcess - 1) / perProcess);
        } else {
            processes = so.integer("processes", 1);
            if (processes < 1) {
                throw new IllegalArgumentException("--processes must be >= 1 or auto");
            }
        }
        Path summaryFile = Path.of(so.string("summary", "loadgen-results/" + scenario.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json"));
        String base = summaryFile.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = summaryFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path dataDir = dir.resolve(base + ".data");
        Path htmlFile = dir.resolve(base + ".html");
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);

        List<List<String>> perWorker = sourceAddresses(split(so.strings("local-address")), sim.targets(), sim.peakUsers(),
                processes, transport(so));
        List<Long> pids = new ArrayList<>();
        for (String pid : split(so.strings("probe-pid"))) {
            pids.add(Long.parseLong(pid));
        }
        Double probeAt = sim.probeAt() == null ? null : sim.probeAt().toMillis() / 1000.0;
        if (!pids.isEmpty() && probeAt == null) {
            probeAt = sim.populations().stream().mapToDouble(pop -> pop.injectionDuration().toMillis() / 1000.0).max().orElse(0) + 2;
        }
        ProbePlan probes = new ProbePlan(pids, probeAt, cl.flag("probe-histogram") ? dataDir : null, out);
        boolean quiet = cl.flag("quiet");
        int eventLoops = so.integer("event-loops", Runtime.getRuntime().availableProcessors());

        out.printf("loadgen: %s, %,d users at most, %d process(es), targets %s%n", scenario.name(), sim.peakUsers(), processes, sim.targets());
        List<Path> dirs;
        boolean failed = false;
        if (processes == 1) {
            Path wdir = dataDir.resolve("worker-0");
            AtomicLong active = new AtomicLong();
            Engine.Options opts = new Engine.Options(eventLoops, perWorker.get(0), 0, 1, wdir, 0, pr -> {
                active.set(pr.active());
                if (!quiet) {
                    out.println(pr.format());
                }
            }, transport(so));
            GeneratorWarmUp.run(sim, generatorWarmUp(so), eventLoops, 0, 1, opts.transport(), out);
            Engine.Prepared prepared = Engine.prepare(sim, opts);
            probes.before();
            long start = System.currentTimeMillis() + io.nectar.loadgen.LoadgenDefaults.START_DELAY.toMillis();
            probes.scheduleLoaded(start, active::get, sim.probeConnections());
            prepared.start(start);
            dirs = List.of(wdir);
        } else {
            probes.before();
            Coordinator.Result r = new Coordinator(out, err, quiet).run(cl.argsWithout(COORDINATOR_ONLY), processes, perWorker, dataDir, probes,
                    sim.probeConnections());
            dirs = r.dataDirs();
            failed = !r.allSucceeded();
        }
        probes.finish();
        if (dirs.isEmpty()) {
            err.println("loadgen: no process left data; nothing to report");
            return RUN_FAILED;
        }
        JsonObject options = new JsonObject();
        so.all().forEach((k, v) -> {
            if (!k.equals("worker") && !k.equals("data")) {
                options.put(k, v.size() == 1 ? v.get(0) : String.join(" ", v));
            }
        });
        options.put("processes", processes).put("event_loops_per_process", eventLoops);
        options.put("local_addresses", new JsonArray(perWorker.stream().map(l -> String.join(",", l)).toList()));
        JsonObject summary = Summary.build(RunData.read(dirs),
                new Summary.RunInfo(scenario.name(), scenario.description(), options, sim.targets(), processes, probes.readings()),
                sim.assertions());
        JsonObject per = probes.perConnection();
        if (per != null) {
            summary.put("per_connection", per);
        }
        summary.put("report", htmlFile.getFileName().toString()).put("data", dataDir.getFileName().toString());
        Files.writeString(summaryFile, summary.encodePrettily(), StandardCharsets.UTF_8);
        HtmlReport.write(summary, RunData.read(dirs), htmlFile);
        printResult(summary, summaryFile, htmlFile);
        if (failed) {
            err.println("loadgen: a worker process failed (see above); the report covers the data that was written");
            return RUN_FAILED;
        }
        return summary.getBoolean("passed") ? OK : ASSERTION_FAILED;
    }

    private void printResult(JsonObject s, Path summaryFile, Path htmlFile) {
        out.printf("%nrequests %,d  errors %,d (%.3f%%)  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s ms  throughput %.1f/s  peak connections %,d%n",
                s.getLong("requests"), s.getLong("errors"), s.getDouble("error_percent"), s.getValue("p50_ms"), s.getValue("p90_ms"),
                s.getValue("p99_ms"), s.getValue("p999_ms"), s.getValue("max_ms"), s.getDouble("throughput_per_s"), s.getLong("connections_peak"));
        JsonObject c = s.getJsonObject("connects");
        if (c.getLong("ok") + c.getLong("ko") > 0) {
            out.printf("connects ok %,d ko %,d  p50 %s  p99 %s  max %s ms%n", c.getLong("ok"), c.getLong("ko"), c.getValue("p50_ms"),
                    c.getValue("p99_ms"), c.getValue("max_ms"));
        }
        if (!s.getJsonObject("errors_by_kind").isEmpty()) {
            out.println("errors by kind: " + s.getJsonObject("errors_by_kind").encode());
        }
        if (s.containsKey("per_connection")) {
            out.println("server memory per connection: " + s.getJsonObject("per_connection").encode());
        }
        for (Object o : s.getJsonArray("assertions")) {
            JsonObject a = (JsonObject) o;
            out.printf("assert %-22s actual %-10s %s%n", a.getString("assertion"), a.getValue("actual"), a.getBoolean("passed") ? "pass" : "FAIL");
        }
        out.println("summary: " + summaryFile);
        out.println("report:  " + htmlFile);
    }

    /**
     * The source addresses each worker binds: the given ones dealt out in turn, or else, for loopback targets, one
     * 127.0.0.x per worker (more if a worker holds more than one address's ports) once a target gets more
     * connections than the kernel hands out cheaply. Vert.x's client binds (address, 0), and the kernel searches
     * for a free port each time (measured here: 45 s more kernel CPU for 19,000 connections, heartbeat p99 9.3 s
     * against 46 ms), so it binds only when one address's ports do not suffice; the netty transport chooses its
     * ports itself (SourcePorts) and binds as soon as an unbound connect would scan the ports already taken
     * (decision 110). Empty lists: the kernel chooses address and port.
     */
    static List<List<String>> sourceAddresses(List<String> given, List<String> targets, long peakUsers, int processes, String transport) {
        List<List<String>> perWorker = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            perWorker.add(new ArrayList<>());
        }
        boolean loopback = targets.stream().allMatch(t -> {
            String host = java.net.URI.create(t).getHost();
            return host != null && (host.equals("localhost") || host.startsWith("127."));
        });
        int bindAbove = transport.equals("netty") ? io.nectar.loadgen.LoadgenDefaults.UNBOUND_CONNECTS_PER_TARGET : PER_SOURCE_ADDRESS;
        if (!given.isEmpty()) {
            for (int i = 0; i < given.size(); i++) {
                perWorker.get(i % processes).add(given.get(i));
            }
        } else if (loopback && peakUsers / targets.size() > bindAbove) {
            long perWorkerUsers = (peakUsers + processes - 1) / processes;
            int each = (int) Math.max(1, (perWorkerUsers + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS);
            int next = 2;
            for (int i = 0; i < processes; i++) {
                for (int k = 0; k < each; k++) {
                    perWorker.get(i).add("127.0.0." + next++);
                }
            }
        }
        return perWorker;
    }

    private static String transport(ScenarioOptions so) {
        return so.string("transport", "vertx");
    }

    /** Worker mode: announce readiness, wait for the coordinator's start time, run, stream progress. */
    private int runWorker(Simulation sim, ScenarioOptions so, String worker) throws IOException, InterruptedException {
        String[] iw = worker.split("/");
        int index = Integer.parseInt(iw[0]), count = Integer.parseInt(iw[1]);
        Path data = Path.of(so.string("data", "loadgen-worker-" + index));
        int eventLoops = so.integer("event-loops", Runtime.getRuntime().availableProcessors());
        Engine.Options opts = new Engine.Options(eventLoops, split(so.strings("local-address")), index, count, data, 0,
                pr -> {
                    synchronized (out) {
                        out.println(Coordinator.PROGRESS + pr.toJson().encode());
                        out.flush();
                    }
                }, transport(so));
        GeneratorWarmUp.run(sim, generatorWarmUp(so), eventLoops, index, count, opts.transport(), out);
        Engine.Prepared prepared = Engine.prepare(sim, opts);
        out.println(Coordinator.READY);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String go = in.readLine();
        if (go == null || !go.startsWith(Coordinator.GO)) {
            err.println("loadgen worker " + worker + ": no start signal; exiting");
            prepared.close();
            return RUN_FAILED;
        }
        prepared.start(Long.parseLong(go.substring(Coordinator.GO.length()).strip()));
        out.println(Coordinator.DONE);
        out.flush();
        return OK;
    }

    /** {@code report --summary FILE DIR...}: rebuilds the summary and HTML from raw data directories. */
    private int report(String[] args) {
        List<Path> dirs = new ArrayList<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        String summary = null;
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--summary") && i + 1 < rest.size()) {
                summary = rest.get(++i);
            } else {
                dirs.add(Path.of(rest.get(i)));
            }
        }
        if (summary == null || dirs.isEmpty()) {
            err.println("loadgen: report needs --summary FILE and at least one data directory (with worker.json)");
            return USAGE;
        }
        try {
            List<Path> workerDirs = new ArrayList<>();
            for (Path d : dirs) {
                if (Files.exists(d.resolve(Engine.WORKER_JSON))) {
                    workerDirs.add(d);
                } else {
                    try (var s = Files.list(d)) {
                        s.filter(x -> Files.exists(x.resolve(Engine.WORKER_JSON))).sorted().forEach(workerDirs::add);
                    }
                }
            }
            RunData data = RunData.read(workerDirs);
            JsonObject s = Summary.build(data, new Summary.RunInfo("report", "rebuilt from " + dirs, new JsonObject(),
                    List.of(), workerDirs.size(), new JsonArray()), List.of());
            Path file = Path.of(summary);
            Path html = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.json$", "") + ".html");
            Files.writeString(file, s.encodePrettily(), StandardCharsets.UTF_8);
            HtmlReport.write(s, data, html);
            printResult(s, file, html);
            return OK;
        } catch (IOException | RuntimeException e) {
            err.println("loadgen: cannot build the report: " + e.getMessage());
            return RUN_FAILED;
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
