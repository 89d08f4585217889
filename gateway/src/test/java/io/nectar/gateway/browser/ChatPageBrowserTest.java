package io.nectar.gateway.browser;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.conversations.InMemoryConversationStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web chat page in a real headless Chromium: chat, lose the connection, reconnect, resume the same
 * conversation, deliver what was typed while offline, and show the history after a reload.
 */
class ChatPageBrowserTest {

    static Gateway gateway;
    static Vertx vertx;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0)).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void chatsReconnectsAndResumesAfterADroppedConnection() throws Exception {
        try (DroppingProxy proxy = new DroppingProxy(vertx, gateway.port());
             Chromium browser = Chromium.launch(vertx)) {
            browser.navigate("http://127.0.0.1:" + proxy.port() + "/");
            // no ?merchant: the page asks the node for its default store
            browser.waitFor("document.querySelectorAll('#log .msg.bot').length >= 1", 20_000);
            browser.waitFor("document.getElementById('status').textContent === 'online'", 10_000);
            String conversation = (String) browser.eval("sessionStorage.getItem('nectar.conversation.demo')");
            assertNotNull(conversation, "the page keeps the conversation id");

            type(browser, "包邮吗");
            browser.waitFor("document.querySelectorAll('#log .msg.bot').length >= 2 && !document.querySelector('.pending')", 10_000);
            String first = (String) browser.eval("[...document.querySelectorAll('#log .msg.bot')].pop().textContent");
            assertTrue(first.contains("包邮"), first);

            proxy.dropAll();
            browser.waitFor("document.getElementById('status').textContent !== 'online'", 10_000);
            type(browser, "Do you ship abroad?"); // typed while the connection is down
            browser.waitFor("document.getElementById('status').textContent === 'online'", 20_000);
            browser.waitFor("document.querySelectorAll('#log .msg.bot').length >= 3 && !document.querySelector('.pending')", 20_000);
            String second = (String) browser.eval("[...document.querySelectorAll('#log .msg.bot')].pop().textContent");
            assertTrue(second.toLowerCase().contains("ship"), second);
            assertEquals(conversation, browser.eval("sessionStorage.getItem('nectar.conversation.demo')"),
                    "the same conversation was resumed");

            var transcript = ((InMemoryConversationStore) gateway.services().conversations()).transcript(conversation);
            assertEquals(4, transcript.size(), "both questions and both replies, each once: " + transcript.encode());
            assertEquals("Do you ship abroad?", transcript.getJsonObject(2).getString("text"));

            browser.reload();
            browser.waitFor("document.querySelectorAll('#log .msg.me').length === 2 && document.querySelectorAll('#log .msg.bot').length === 2", 20_000);
        }
    }

    private static void type(Chromium browser, String text) throws Exception {
        browser.eval("(() => { const i = document.getElementById('text'); i.value = " + io.vertx.core.json.Json.encode(text)
                + "; document.getElementById('form').requestSubmit(); return true; })()");
    }
}
