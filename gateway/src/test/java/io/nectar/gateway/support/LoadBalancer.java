package io.nectar.gateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy in front of gateway nodes, as ops/cluster runs it: WebSocket-aware, health-checked on
 * {@code /health/ready} every 200 ms, least-connections. Runs in the foreground as a child process.
 */
public final class LoadBalancer implements AutoCloseable {

    private final Process process;
    private final int port;

    private LoadBalancer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LoadBalancer start(Path dir, List<Integer> backends) throws Exception {
        int port = freePort();
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 8000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout tunnel 1h
                    # a busy node answers its check late, not never: only a node that does not answer within
                    # 2 s (or refuses, as a killed one does at once) is taken out with its sessions
                    timeout check 2s
                    option redispatch
                    retries 2
                frontend nectar
                    bind 127.0.0.1:%d
                    default_backend nodes
                backend nodes
                    balance leastconn
                    option httpchk GET /health/ready
                    default-server inter 200ms fall 2 rise 1 on-marked-down shutdown-sessions
                """.formatted(port));
        for (int i = 0; i < backends.size(); i++) {
            cfg.append("    server n").append(i + 1).append(" 127.0.0.1:").append(backends.get(i)).append(" check\n");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        String exe = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
        Process p = new ProcessBuilder(exe, "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IllegalStateException("HAProxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
                }
                Thread.sleep(50);
            }
        }
        return new LoadBalancer(p, port);
    }

    public int port() {
        return port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
