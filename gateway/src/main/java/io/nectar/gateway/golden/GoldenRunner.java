package io.nectar.gateway.golden;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Plays golden transcripts against a running gateway over its real WebSocket endpoint, one fresh
 * conversation per script, and checks every reply. Blocking: call it from a test or main thread, never
 * from an event loop.
 */
public final class GoldenRunner {

    /** How one step went. */
    public record StepResult(int index, String shopper, JsonObject reply, List<String> failures) {
        public boolean passed() {
            return failures.isEmpty();
        }
    }

    /** How one script went; {@code error} is set when it could not be played at all. */
    public record ScriptResult(GoldenScript script, List<StepResult> steps, String error) {
        public boolean passed() {
            return error == null && steps.stream().allMatch(StepResult::passed);
        }

        /** A readable account of the failures, for test messages. */
        public String report() {
            StringBuilder b = new StringBuilder(script.name()).append(" (").append(script.source()).append(")");
            if (error != null) {
                b.append(": ").append(error);
            }
            for (StepResult s : steps) {
                if (!s.passed()) {
                    b.append("\n  step ").append(s.index()).append(" \"").append(s.shopper()).append("\": ")
                            .append(String.join("; ", s.failures()))
                            .append("\n    reply: ").append(s.reply() == null ? "(none)" : s.reply().encode());
                }
            }
            return b.toString();
        }
    }

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final String defaultMerchant;
    private final long replyTimeoutMillis;

    public GoldenRunner(Vertx vertx, String host, int port, String defaultMerchant, long replyTimeoutMillis) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.defaultMerchant = defaultMerchant;
        this.replyTimeoutMillis = replyTimeoutMillis;
    }

    /** Script files: the given files, and every {@code *.yaml}/{@code *.yml} under the given directories, sorted. */
    public static List<Path> files(List<Path> paths) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    public static GoldenScript read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return GoldenScript.read(file.toString(), in);
        }
    }

    public ScriptResult run(GoldenScript script) {
        String merchant = script.merchant() != null ? script.merchant() : defaultMerchant;
        List<StepResult> results = new ArrayList<>();
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
        ClientWebSocket ws = client.webSocket();
        ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
        ws.exceptionHandler(t -> { });
        try {
            ws.connect(new WebSocketConnectOptions().setHost(host).setPort(port)
                            .setURI("/ws/chat?merchant=" + URLEncoder.encode(merchant, StandardCharsets.UTF_8)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            JsonObject welcome = frames.poll(10, TimeUnit.SECONDS);
            if (welcome == null || !"welcome".equals(welcome.getString("type"))) {
                return new ScriptResult(script, results, "no welcome frame: " + (welcome == null ? "(none)" : welcome.encode()));
            }
            int i = 0;
            for (GoldenScript.Step step : script.steps()) {
                i++;
                String id = "golden-" + i;
                ws.writeTextMessage(new JsonObject().put("type", "message").put("id", id).put("text", step.shopper()).encode());
                JsonObject reply = null;
                long deadline = System.currentTimeMillis() + replyTimeoutMillis;
                while (reply == null && System.currentTimeMillis() < deadline) {
                    JsonObject f = frames.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                    if (f != null && id.equals(f.getString("replyTo"))) {
                        reply = f;
                    }
                }
                List<String> failures = reply == null ? List.of("no reply within " + replyTimeoutMillis + " ms")
                        : GoldenCheck.failures(step.expect(), reply);
                results.add(new StepResult(i, step.shopper(), reply, failures));
            }
            return new ScriptResult(script, results, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ScriptResult(script, results, "interrupted");
        } catch (Exception e) {
            return new ScriptResult(script, results, "cannot connect to ws://" + host + ":" + port + ": " + e);
        } finally {
            ws.close();
            client.close();
        }
    }
}
