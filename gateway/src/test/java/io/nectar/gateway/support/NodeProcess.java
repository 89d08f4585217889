package io.nectar.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway node in a process of its own (the test's class path, {@code GatewayMain}), so a test can
 * kill it with SIGKILL, stop it with SIGTERM, or freeze it with SIGSTOP like a real failure. Blocking;
 * test thread only. Every node started is stopped by {@link #close()}.
 */
public final class NodeProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final List<String> args;
    private final Map<String, String> env;
    private Process process;

    private NodeProcess(String name, int port, Path log, List<String> args, Map<String, String> env) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.args = args;
        this.env = env;
    }

    /** Starts {@code GatewayMain} on 127.0.0.1:{@code port} with {@code args}; does not wait for readiness. */
    public static NodeProcess start(String name, int port, Path dir, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(dir);
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--node-id", name));
        all.addAll(List.of(args));
        NodeProcess n = new NodeProcess(name, port, dir.resolve(name + ".log"), all, env);
        n.launch();
        return n;
    }

    private void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "io.nectar.gateway.GatewayMain"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("DJL_OFFLINE", "true");
        process = pb.start();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code /health/ready} answers 200. */
    public void awaitReady(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ": " + tail());
    }

    /** kill -9: no shutdown hook, no drain, sockets reset by the kernel. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the node drains its shoppers to the others and exits; waits for the exit. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM: " + tail());
        }
        return process.exitValue();
    }

    /** SIGSTOP / SIGCONT: a node frozen (a long GC pause, a stalled VM) and woken again. */
    public void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts the same node again (after a kill or a stop). */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        launch();
    }

    /** Whether any line the node has logged so far contains {@code text}. */
    public boolean logged(String text) {
        try {
            return Files.readAllLines(log).stream().anyMatch(l -> l.contains(text));
        } catch (IOException e) {
            return false;
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
