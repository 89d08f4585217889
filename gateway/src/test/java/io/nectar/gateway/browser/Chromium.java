package io.nectar.gateway.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket), so page tests need no
 * browser-automation library or browser download: only the system's chromium. Blocking methods: call
 * them from the test thread.
 */
final class Chromium implements AutoCloseable {

    static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

    private final Process process;
    private final Path profile;
    private final ClientWebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, ClientWebSocket page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    static String executable() {
        String env = System.getenv("NECTAR_CHROMIUM");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return env;
        }
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new IllegalStateException("no Chromium found (looked at NECTAR_CHROMIUM and " + CANDIDATES
                + "); ops/test installs it with apt-get, or install the 'chromium' package");
    }

    static Chromium launch(Vertx vertx) throws Exception {
        Path profile = Files.createTempDirectory("nectar-chromium");
        List<String> cmd = new ArrayList<>(List.of(executable(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IOException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        // the page target opened with about:blank
        String list = vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/json/list")
                .compose(r -> r.send().compose(io.vertx.core.http.HttpClientResponse::body))
                .map(Object::toString).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String wsUrl = null;
        for (Object o : new io.vertx.core.json.JsonArray(list)) {
            JsonObject t = (JsonObject) o;
            if ("page".equals(t.getString("type"))) {
                wsUrl = t.getString("webSocketDebuggerUrl");
                break;
            }
        }
        if (wsUrl == null) {
            throw new IOException("Chromium has no page target: " + list);
        }
        URI u = URI.create(wsUrl);
        ClientWebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20)
                .setMaxFrameSize(64 << 20)).webSocket();
        Chromium c = new Chromium(p, profile, ws);
        ws.textMessageHandler(c::onMessage);
        ws.connect(new WebSocketConnectOptions().setHost(u.getHost()).setPort(u.getPort()).setURI(u.getPath()))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return c;
    }

    private void onMessage(String text) {
        JsonObject m = new JsonObject(text);
        Integer id = m.getInteger("id");
        if (id != null) {
            CompletableFuture<JsonObject> f = pending.remove(id);
            if (f != null) {
                f.complete(m);
            }
        }
    }

    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        pending.put(id, f);
        page.writeTextMessage(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
        JsonObject r = f.get(15, TimeUnit.SECONDS);
        if (r.containsKey("error")) {
            throw new IllegalStateException(method + ": " + r.getJsonObject("error").encode());
        }
        return r.getJsonObject("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", new JsonObject().put("url", url));
    }

    void reload() throws Exception {
        call("Page.reload", new JsonObject());
    }

    /** Evaluates a JavaScript expression in the page and returns its JSON value. */
    Object eval(String expression) throws Exception {
        JsonObject r = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IllegalStateException("page threw: " + r.getJsonObject("exceptionDetails").encode());
        }
        return r.getJsonObject("result").getValue("value");
    }

    /** Waits until the expression is truthy in the page. */
    void waitFor(String expression, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Object v = null;
            try {
                v = eval("!!(" + expression + ")");
            } catch (IllegalStateException e) {
                // page not there yet (navigation in progress)
            }
            if (Boolean.TRUE.equals(v)) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + expression + "\npage log: "
                        + eval("document.getElementById('log') ? document.getElementById('log').innerText : document.body.innerText"));
            }
            Thread.sleep(100);
        }
    }

    /** Deletes the temporary profile; a file that vanishes meanwhile (a lock, a temp file) is already gone. */
    private void deleteProfile() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                return;
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException) || attempt == 2) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            page.close();
        } finally {
            // Chromium's helper processes (network service, renderers) outlive the browser process by a
            // moment and keep writing into the profile: stop and wait for all of them before deleting it
            List<ProcessHandle> helpers = process.descendants().toList();
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle h : helpers) {
                h.destroy();
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
            deleteProfile();
        }
    }
}
