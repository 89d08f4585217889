package io.nectar.gateway.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One browser tab over the DevTools Protocol. The WebSocket is opened without an {@code Origin} header
 * (Chromium 111+ refuses DevTools connections whose origin it was not told to allow). Blocking methods:
 * call them from the test thread.
 */
final class CdpPage implements AutoCloseable {

    private final ClientWebSocket ws;
    private final String targetId;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    /** Uncaught exceptions and console errors of the page, in order. */
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private CdpPage(ClientWebSocket ws, String targetId) {
        this.ws = ws;
        this.targetId = targetId;
    }

    static CdpPage connect(Vertx vertx, String webSocketUrl, String targetId) throws Exception {
        return connect(vertx, webSocketUrl, targetId, true);
    }

    /** @param page whether the target is a page (its Runtime and Page domains are enabled), not the browser */
    static CdpPage connect(Vertx vertx, String webSocketUrl, String targetId, boolean page) throws Exception {
        URI u = URI.create(webSocketUrl);
        ClientWebSocket ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(64 << 20)
                .setMaxFrameSize(64 << 20)).webSocket();
        CdpPage p = new CdpPage(ws, targetId);
        ws.textMessageHandler(p::onMessage);
        ws.connect(new WebSocketConnectOptions().setHost(u.getHost()).setPort(u.getPort()).setURI(u.getPath())
                        .setAllowOriginHeader(false))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        if (page) {
            p.call("Runtime.enable", new JsonObject());
            p.call("Page.enable", new JsonObject());
        }
        return p;
    }

    String targetId() {
        return targetId;
    }

    private void onMessage(String text) {
        JsonObject m = new JsonObject(text);
        Integer id = m.getInteger("id");
        if (id != null) {
            CompletableFuture<JsonObject> f = pending.remove(id);
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.getString("method", "");
        JsonObject params = m.getJsonObject("params", new JsonObject());
        if ("Runtime.exceptionThrown".equals(method)) {
            JsonObject d = params.getJsonObject("exceptionDetails", new JsonObject());
            JsonObject ex = d.getJsonObject("exception");
            errors.add(ex != null && ex.getString("description") != null ? ex.getString("description") : d.getString("text"));
        } else if ("Runtime.consoleAPICalled".equals(method) && "error".equals(params.getString("type"))) {
            errors.add("console.error: " + params.getJsonArray("args", new JsonArray()).encode());
        }
    }

    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        pending.put(id, f);
        ws.writeTextMessage(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
        JsonObject r;
        try {
            r = f.get(15, TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
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

    /** A phone-sized viewport with touch and a mobile user agent's layout rules. */
    void phone() throws Exception {
        call("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", 390).put("height", 844)
                .put("deviceScaleFactor", 3).put("mobile", true));
        call("Emulation.setTouchEmulationEnabled", new JsonObject().put("enabled", true));
    }

    /** The browser's preferred languages, as {@code navigator.languages} reports them (from the next navigation). */
    void languages(String acceptLanguage) throws Exception {
        call("Emulation.setLocaleOverride", new JsonObject().put("locale", acceptLanguage.split(",")[0]));
        call("Network.setUserAgentOverride", new JsonObject().put("userAgent", (String) eval("navigator.userAgent"))
                .put("acceptLanguage", acceptLanguage));
    }

    /** A real key press (keydown, char, keyup) sent to the focused element: Tab, Enter, Escape, Space. */
    void press(String key) throws Exception {
        record K(String code, int keyCode, String text) {
        }
        K k = switch (key) {
            case "Tab" -> new K("Tab", 9, null);
            case "Enter" -> new K("Enter", 13, "\r");
            case "Escape" -> new K("Escape", 27, null);
            case " " -> new K("Space", 32, " ");
            default -> throw new IllegalArgumentException(key);
        };
        JsonObject down = new JsonObject().put("type", k.text() == null ? "rawKeyDown" : "keyDown").put("key", key)
                .put("code", k.code()).put("windowsVirtualKeyCode", k.keyCode());
        if (k.text() != null) {
            down.put("text", k.text());
        }
        call("Input.dispatchKeyEvent", down);
        call("Input.dispatchKeyEvent", new JsonObject().put("type", "keyUp").put("key", key).put("code", k.code())
                .put("windowsVirtualKeyCode", k.keyCode()));
    }

    /** Types text into the focused element as a keyboard would (input events, no key codes). */
    void type(String text) throws Exception {
        call("Input.insertText", new JsonObject().put("text", text));
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

    /** Evaluates {@code expression} with {@code value} bound to {@code arg} (a JSON-encoded literal). */
    Object evalWith(String arg, Object value, String expression) throws Exception {
        return eval("((" + arg + ") => (" + expression + "))(" + Json.encode(value) + ")");
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
                Object text;
                try {
                    text = eval("document.body ? document.body.innerText : ''");
                } catch (Exception e) {
                    text = e.toString();
                }
                throw new AssertionError("timed out waiting for: " + expression + "\npage text: " + text
                        + "\npage errors: " + errors);
            }
            Thread.sleep(100);
        }
    }

    /** Uncaught exceptions and console errors seen so far. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Writes a PNG screenshot of the viewport (for looking at a page while writing a test). */
    void screenshot(java.nio.file.Path file) throws Exception {
        String data = call("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
        java.nio.file.Files.write(file, java.util.Base64.getDecoder().decode(data));
    }

    @Override
    public void close() {
        pending.values().forEach(f -> f.cancel(true));
        ws.close();
    }
}
