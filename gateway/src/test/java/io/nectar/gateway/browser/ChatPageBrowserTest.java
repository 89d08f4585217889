package io.nectar.gateway.browser;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.conversations.InMemoryConversationStore;
import io.nectar.gateway.support.DroppingProxy;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web chat page (the widget filling the gateway's own page at {@code /}) in a real headless Chromium:
 * chat, lose the connection, reconnect, resume the same conversation, deliver what was typed while
 * offline, and show the history after a reload.
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
            WidgetPage page = new WidgetPage(browser.page());
            // no ?merchant: the page asks the node for its default store
            page.waitFor("R.querySelectorAll('#log .msg.bot').length >= 1", 20_000);
            page.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            String conversation = page.conversationId("demo");
            assertNotNull(conversation, "the page keeps the conversation id");

            page.send("包邮吗");
            page.waitFor("R.querySelectorAll('#log .msg.bot').length >= 2 && !R.querySelector('.pending')", 10_000);
            String first = page.lastBotText();
            assertTrue(first.contains("包邮"), first);

            proxy.dropAll();
            page.waitFor("R.getElementById('status').dataset.state !== 'online'", 10_000);
            page.send("Do you ship abroad?"); // typed while the connection is down
            page.waitFor("R.getElementById('status').dataset.state === 'online'", 20_000);
            page.waitFor("R.querySelectorAll('#log .msg.bot').length >= 3 && !R.querySelector('.pending')", 20_000);
            String second = page.lastBotText();
            assertTrue(second.toLowerCase().contains("ship"), second);
            assertEquals(conversation, page.conversationId("demo"), "the same conversation was resumed");
            assertEquals(0L, page.count(".msg.err, .msg.sys"), "a dropped connection is no error and no new conversation");

            var transcript = ((InMemoryConversationStore) gateway.services().conversations()).transcript(conversation);
            assertEquals(4, transcript.size(), "both questions and both replies, each once: " + transcript.encode());
            assertEquals("Do you ship abroad?", transcript.getJsonObject(2).getString("text"));

            browser.reload();
            page.waitFor("R.querySelectorAll('#log .msg.me').length === 2 && R.querySelectorAll('#log .msg.bot').length === 2", 20_000);
            assertEquals(List.of(), browser.page().errors());
        }
    }
}
