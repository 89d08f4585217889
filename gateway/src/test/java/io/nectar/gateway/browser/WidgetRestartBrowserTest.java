package io.nectar.gateway.browser;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The widget across a real gateway restart: the gateway stops, a new one starts on the same port and
 * loads for a while (answering {@code not_ready}), then serves again. The shopper sees one calm
 * "reconnecting" state the whole time (no error bubbles, stacked or not), what they typed meanwhile is
 * answered, and one quiet line says the conversation is a new one (the in-memory session store forgot it).
 */
class WidgetRestartBrowserTest {

    static Gateway gateway;
    static Vertx vertx;
    static ShopServer shop;

    @BeforeAll
    static void start() throws Exception {
        gateway = startGateway(0);
        vertx = Vertx.vertx();
        shop = new ShopServer(vertx);
        shop.page("/", ShopServer.withSnippet("Stride", gateway.port(), "demo", ""));
    }

    static Gateway startGateway(int port) throws Exception {
        Gateway g = Gateway.start(GatewayConfig.defaults().withPort(port)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        g.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        return g;
    }

    @AfterAll
    static void stop() throws Exception {
        shop.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static long notReadyErrors(Gateway g) {
        Matcher m = Pattern.compile("nectar_errors_total\\{code=\"not_ready\"[^}]*} ([0-9.]+)").matcher(g.services().metrics().scrape());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aRestartShowsOneCalmReconnectingStateAndNoErrors() throws Exception {
        try (Chromium browser = Chromium.launch(vertx)) {
            browser.page().languages("en-US,en");
            browser.navigate(shop.url("/"));
            WidgetPage w = new WidgetPage(browser.page());
            w.waitFor("R.querySelector('.launcher')", 10_000);
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("Do you ship abroad?");
            w.awaitReplies(2);
            String before = w.conversationId("demo");
            int port = gateway.port();

            gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            w.waitFor("R.getElementById('status').dataset.state === 'reconnecting'", 10_000);
            assertEquals("Reconnecting…", w.text("R.getElementById('status').textContent"));
            assertTrue(w.visible(".banner"));
            assertEquals("Connection lost. Reconnecting…", w.text("R.querySelector('.banner').textContent"));
            Thread.sleep(3_000); // several attempts against a closed port
            w.send("When do you ship?"); // typed while the gateway is away
            assertEquals(0L, w.count(".msg.err"), "no error bubbles while the gateway is away");
            assertEquals(1L, w.count(".banner"));
            assertEquals(1L, w.count(".pending"));

            // a new gateway on the same port: it listens at once and answers not_ready while it loads
            gateway = Gateway.start(GatewayConfig.defaults().withPort(port)).toCompletionStage().toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            browser.eval("(window.dispatchEvent(new Event('online')), true)"); // try now, as when the network comes back
            long deadline = System.currentTimeMillis() + 10_000;
            while (notReadyErrors(gateway) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(notReadyErrors(gateway) >= 1, "the widget reached the gateway while it was loading");
            assertEquals("reconnecting", w.text("R.getElementById('status').dataset.state"));
            assertEquals(0L, w.count(".msg.err"), "not_ready is no error bubble");
            gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);

            w.waitFor("R.getElementById('status').dataset.state === 'online'", 20_000);
            w.awaitReplies(3);
            assertTrue(w.lastBotText().contains("48"), w.lastBotText());
            assertEquals(0L, w.count(".msg.err"));
            assertEquals(List.of("We were briefly away and could not pick up the earlier conversation, so this is a new one."
                    + " Your earlier messages are still shown above."), w.list("[...R.querySelectorAll('.msg.sys')].map(e => e.textContent)"));
            assertTrue(!w.visible(".banner"));
            assertEquals(2L, w.count(".msg.me"), "what was typed before and during the restart is all there, once");
            assertNotEquals(before, w.conversationId("demo"), "the new gateway's conversation");
            assertEquals(List.of(), browser.page().errors());
        }
    }
}
