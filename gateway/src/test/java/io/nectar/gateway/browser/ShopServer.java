package io.nectar.gateway.browser;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A merchant's shop on an origin of its own (another port than the gateway's): serves the pages it is
 * given, each of which embeds the chat with the one-line snippet. Its pages carry rude CSS of their own
 * (global selectors with {@code !important}) to show that the widget and the page do not style each other.
 */
final class ShopServer implements AutoCloseable {

    /** CSS a careless shop theme might have; none of it may reach the widget. */
    static final String RUDE_CSS = """
            * { font-family: "Comic Sans MS", cursive !important; color: #00ff00 !important; letter-spacing: 3px !important; }
            button { display: none !important; background: #ff00ff !important; }
            div, section, header, form, textarea { border: 7px dashed red !important; padding: 40px !important; }
            img { width: 500px !important; height: 500px !important; }
            [hidden] { display: block !important; }
            """;

    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final HttpServer server;

    ShopServer(Vertx vertx) throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> {
            String html = pages.get(req.path());
            if (html == null) {
                req.response().setStatusCode(404).end();
            } else {
                req.response().putHeader("content-type", "text/html; charset=utf-8").end(html);
            }
        });
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    int port() {
        return server.actualPort();
    }

    /** The page's address on this shop's origin ({@code host}: 127.0.0.1 or localhost, two origins). */
    String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    String url(String path) {
        return url("127.0.0.1", path);
    }

    void page(String path, String html) {
        pages.put(path, html);
    }

    /** A shop page with the chat snippet: {@code <script src=".../widget.js" data-merchant="..." async>}. */
    static String withSnippet(String title, int gatewayPort, String merchant, String extraAttributes) {
        return "<!doctype html><html><head><meta charset=utf-8>"
                + "<meta name=viewport content='width=device-width, initial-scale=1'><title>" + title + "</title>"
                + "<style>" + RUDE_CSS + "</style></head><body>"
                + "<h1 id=shop-title>" + title + "</h1><p><a id=home href=/>Home</a> <a id=other href=/other.html>Other page</a></p>"
                + "<p id=shop-text>Our finest shoes.</p>"
                + "<script src=\"http://127.0.0.1:" + gatewayPort + "/widget.js\" data-merchant=\"" + merchant + "\" "
                + extraAttributes + " async></script>"
                + "</body></html>";
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
