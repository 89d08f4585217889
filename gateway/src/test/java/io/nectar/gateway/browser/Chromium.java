package io.nectar.gateway.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol (a WebSocket per page), so page
 * tests need no browser-automation library or browser download: only the system's chromium. Blocking
 * methods: call them from the test thread.
 * <p>
 * What this depends on (docs/decisions.md, "Browser tests"): a Chromium that writes
 * {@code DevToolsActivePort} into its profile when started with {@code --remote-debugging-port=0}, and
 * that accepts a DevTools WebSocket without an {@code Origin} header. Chromium 111+ refuses one that
 * carries an {@code Origin} unless started with {@code --remote-allow-origins}; our client sends none.
 * <p>
 * Every way out stops the browser and all of its helper processes: {@link #close()}, a failed
 * {@link #launch}, and a JVM that exits with browsers still open (a shutdown hook).
 */
final class Chromium implements AutoCloseable {

    static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable");

    /** Browsers of this JVM not closed yet; the shutdown hook stops whatever is left. */
    private static final Set<Chromium> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(Chromium::kill), "chromium-reaper"));
    }

    private final Vertx vertx;
    private final Process process;
    private final Path profile;
    private final int port;
    /** Every process of the browser seen so far: helpers can outlive the browser process. */
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();
    private final List<CdpPage> pages = new ArrayList<>();
    private CdpPage page;
    /** The browser-wide DevTools session (for browser contexts), opened when first needed. */
    private CdpPage browserSession;

    private Chromium(Vertx vertx, Process process, Path profile, int port) {
        this.vertx = vertx;
        this.process = process;
        this.profile = profile;
        this.port = port;
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
                "--disable-sync", "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        Chromium c = null;
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.currentTimeMillis() + 30_000;
            while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                    throw new IOException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            c = new Chromium(vertx, p, profile, port);
            OPEN.add(c);
            c.remember();
            JsonObject target = null;
            for (Object o : new JsonArray(c.http(HttpMethod.GET, "/json/list"))) {
                if ("page".equals(((JsonObject) o).getString("type"))) {
                    target = (JsonObject) o; // the page opened with about:blank
                    break;
                }
            }
            if (target == null) {
                throw new IOException("Chromium has no page target");
            }
            c.page = c.attach(target);
            return c;
        } catch (Throwable t) {
            if (c != null) {
                c.close();
            } else {
                killTree(p, List.of());
                deleteQuietly(profile);
            }
            throw t;
        }
    }

    private String http(HttpMethod method, String path) throws Exception {
        return vertx.createHttpClient().request(method, port, "127.0.0.1", path)
                .compose(r -> r.send().compose(HttpClientResponse::body))
                .map(Object::toString).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private CdpPage attach(JsonObject target) throws Exception {
        CdpPage p = CdpPage.connect(vertx, target.getString("webSocketDebuggerUrl"), target.getString("id"));
        pages.add(p);
        return p;
    }

    /**
     * A browser context of its own (like a fresh profile: no cookies, storage or cache shared with other
     * contexts), so tests can share one browser and still start clean. Close it when done.
     */
    Context newContext() throws Exception {
        if (browserSession == null) {
            String url = new JsonObject(http(HttpMethod.GET, "/json/version")).getString("webSocketDebuggerUrl");
            browserSession = CdpPage.connect(vertx, url, "browser", false);
            pages.add(browserSession);
        }
        String id = browserSession.call("Target.createBrowserContext", new JsonObject().put("disposeOnDetach", true))
                .getString("browserContextId");
        return new Context(id);
    }

    /** Tabs that share storage with each other and nothing with other contexts. */
    final class Context implements AutoCloseable {
        private final String id;
        private final List<CdpPage> tabs = new ArrayList<>();

        private Context(String id) {
            this.id = id;
        }

        /** Opens a tab of this context at {@code url}. */
        CdpPage newPage(String url) throws Exception {
            String target = browserSession.call("Target.createTarget", new JsonObject().put("url", url)
                    .put("browserContextId", id)).getString("targetId");
            remember();
            CdpPage p = CdpPage.connect(vertx, "ws://127.0.0.1:" + port + "/devtools/page/" + target, target);
            pages.add(p);
            tabs.add(p);
            return p;
        }

        @Override
        public void close() throws Exception {
            for (CdpPage p : tabs) {
                p.close();
                pages.remove(p);
            }
            browserSession.call("Target.disposeBrowserContext", new JsonObject().put("browserContextId", id));
        }
    }

    /** Opens another tab (same profile: same localStorage and cookies), at {@code url}. */
    CdpPage newPage(String url) throws Exception {
        remember();
        JsonObject target = new JsonObject(http(HttpMethod.PUT, "/json/new?" + java.net.URLEncoder.encode(url,
                java.nio.charset.StandardCharsets.UTF_8)));
        remember();
        return attach(target);
    }

    /** The first tab. */
    CdpPage page() {
        return page;
    }

    private void remember() {
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
    }

    // the first tab's methods, for tests that use one tab

    JsonObject call(String method, JsonObject params) throws Exception {
        return page.call(method, params);
    }

    void navigate(String url) throws Exception {
        page.navigate(url);
    }

    void reload() throws Exception {
        page.reload();
    }

    Object eval(String expression) throws Exception {
        return page.eval(expression);
    }

    void waitFor(String expression, long timeoutMillis) throws Exception {
        page.waitFor(expression, timeoutMillis);
    }

    /** Stops the browser and every helper process it started, then deletes the profile. */
    @Override
    public void close() {
        try {
            for (CdpPage p : pages) {
                p.close();
            }
        } finally {
            kill();
            OPEN.remove(this);
            deleteQuietly(profile);
        }
    }

    private void kill() {
        remember();
        killTree(process, new ArrayList<>(tree));
    }

    /**
     * SIGTERM to the browser and every known helper, then SIGKILL to whatever is still there after a
     * grace period; waits until all are gone. Helpers are signalled too because they can outlive the
     * browser process (reparented to init) and keep writing into the profile.
     */
    private static void killTree(Process process, List<ProcessHandle> known) {
        Set<ProcessHandle> all = new LinkedHashSet<>(known);
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + 5_000;
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a process that ignores SIGKILL for 5 s is a kernel matter; nothing more to do
            }
        }
    }

    /** Deletes the temporary profile; a file that vanishes meanwhile (a lock, a temp file) is already gone. */
    private static void deleteQuietly(Path dir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                return;
            } catch (IOException | java.io.UncheckedIOException e) {
                // retry: something was deleted under the walk
            }
        }
    }
}
