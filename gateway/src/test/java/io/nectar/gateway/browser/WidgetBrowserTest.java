package io.nectar.gateway.browser;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.nectar.gateway.TestStores;
import io.nectar.gateway.conversations.InMemoryConversationStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embeddable chat widget in a real headless Chromium, on a shop page served from another origin
 * than the gateway's: launcher and panel, unread badge, phone layout, languages, quick replies, product
 * cards, keyboard-only use, hostile texts, long pastes, the conversation across pages and tabs, debug
 * switch, unknown merchants and the per-store origin fence. One gateway serves the class.
 */
class WidgetBrowserTest {

    /** A store whose every text tries to run script in the page. */
    static final String XSS = "<img src=x onerror=\"window.__pwned=1\">";

    @TempDir
    static Path stores;
    static Gateway gateway;
    static Vertx vertx;
    static ShopServer shop;
    /** One browser for the class; every test gets a browser context of its own (fresh storage). */
    static Chromium browser;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        shop = new ShopServer(vertx);
        Path demo = TestStores.copyDemo(stores);
        Path hostile = TestStores.write(stores, "hostile", Map.of(
                "store.yaml", "languages: [en]\nname: {en: '" + XSS + "Shop'}\ngreeting: {en: 'Hello " + XSS + "'}\n"
                        + "brand: {color: \"#1d4ed8\"}\n",
                "faq.jsonl", String.join("\n",
                        "{\"id\":\"gift\",\"question\":\"Do you sell gift cards?\",\"paraphrases\":[\"gift card\",\"can I buy a voucher\"],"
                                + "\"answer\":\"Yes " + XSS.replace("\"", "\\\"") + "<script>window.__pwned=3</script> we do.\",\"lang\":\"en\"}",
                        "{\"id\":\"hours\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\"],"
                                + "\"answer\":\"Nine to five.\",\"lang\":\"en\"}"),
                "products.yaml", "- sku: X-1\n  title: {en: '<b onmouseover=alert(1)>Boot</b>'}\n  price: 10\n"
                        + "  variants: [{color: black, size: '40', stock: 1}]\n"));
        Path fenced = TestStores.write(stores, "fenced", Map.of(
                "store.yaml", "languages: [en]\nallowedOrigins: [\"http://localhost:" + shop.port() + "\"]\n",
                "faq.jsonl", "{\"id\":\"hours\",\"question\":\"When are you open?\",\"paraphrases\":[\"opening hours\"],"
                        + "\"answer\":\"Nine to five.\",\"lang\":\"en\"}\n"));
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(demo, hostile, fenced)))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        int g = gateway.port();
        shop.page("/", ShopServer.withSnippet("Stride", g, "demo", ""));
        shop.page("/other.html", ShopServer.withSnippet("Stride: other page", g, "demo", ""));
        shop.page("/debug.html", ShopServer.withSnippet("Stride", g, "demo", "data-debug"));
        shop.page("/hostile.html", ShopServer.withSnippet("Hostile", g, "hostile", ""));
        shop.page("/unknown.html", ShopServer.withSnippet("Nobody", g, "no-such-shop", ""));
        shop.page("/fenced.html", ShopServer.withSnippet("Fenced", g, "fenced", ""));
        browser = Chromium.launch(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        shop.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static WidgetPage openShop(CdpPage page, String url) throws Exception {
        page.navigate(url);
        WidgetPage w = new WidgetPage(page);
        w.waitFor("R.querySelector('.launcher')", 10_000);
        return w;
    }

    /** The conversation's messages as the node holds them (empty when it never saw one). */
    private static io.vertx.core.json.JsonArray transcript(String id) {
        return ((InMemoryConversationStore) gateway.services().conversations()).transcript(id);
    }

    @Test
    void theSnippetOnAnotherOriginOpensAChatFromItsLauncher() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("zh-CN,zh");
            WidgetPage w = openShop(page, shop.url("/"));
            assertNotEquals(shop.port(), gateway.port());
            // branded launcher, panel closed, and nothing of the shop's CSS inside
            w.waitFor("getComputedStyle(R.querySelector('.launcher')).backgroundColor === 'rgb(232, 89, 12)'", 10_000);
            assertTrue(w.visible(".launcher"));
            assertFalse(w.visible(".panel"));
            assertEquals("false", w.text("R.querySelector('.launcher').getAttribute('aria-expanded')"));
            assertEquals("normal", w.text("getComputedStyle(R.querySelector('.launcher')).letterSpacing"));
            assertFalse(w.text("getComputedStyle(R.querySelector('.root')).fontFamily").contains("Comic"));
            // and nothing of the widget's CSS on the shop's page
            assertEquals("rgb(0, 255, 0)", page.eval("getComputedStyle(document.getElementById('shop-text')).color"));
            assertEquals("3px", page.eval("getComputedStyle(document.getElementById('shop-text')).letterSpacing"));
            assertNull(w.conversationId("demo"), "no conversation before the shopper opens the chat");

            w.click(".launcher");
            assertTrue(w.visible(".panel"));
            assertEquals("true", w.text("R.querySelector('.launcher').getAttribute('aria-expanded')"));
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.waitFor("R.querySelector('.logo').complete && R.querySelector('.logo').naturalWidth > 0", 10_000);
            assertEquals("步履鞋服旗舰店", w.text("R.querySelector('h2').textContent"));
            assertTrue(w.lastBotText().startsWith("您好，欢迎光临"), w.lastBotText());
            assertNotNull(w.conversationId("demo"));

            // a product card: picture, price, stock by colour and size, link; a typing indicator meanwhile
            w.eval("(() => { window.__typing = false; const t = R.querySelector('.typing'); new MutationObserver(() => {"
                    + " if (!t.hidden) window.__typing = true; }).observe(t, {attributes: true}); return true; })()");
            assertFalse(w.visible(".typing"));
            w.send("经典系带真皮皮鞋有什么颜色");
            w.awaitReplies(2);
            assertEquals(true, page.eval("window.__typing"), "the typing indicator showed while the bot worked");
            assertFalse(w.visible(".typing"), "and went away with the reply");
            w.waitFor("R.querySelector('.card.product img').complete", 10_000);
            assertTrue(((Number) w.eval("R.querySelector('.card.product img').naturalWidth")).intValue() > 0, "the picture loads");
            assertEquals("经典系带真皮皮鞋", w.text("R.querySelector('.card.product h3').textContent"));
            assertEquals("¥459.00", w.text("R.querySelector('.card.product .price').textContent"));
            assertEquals(List.of("红色", "棕色", "黑色"), w.list("[...R.querySelectorAll('.msg > .card.product li .color')].map(e => e.textContent)"));
            assertEquals(List.of("39", "40", "41", "42", "43", "44"),
                    w.list("[...R.querySelectorAll('.msg > .card.product li')][0].querySelectorAll('.size.out').length === 6"
                            + " ? [...R.querySelectorAll('.msg > .card.product li')][2].querySelectorAll('.size:not(.out)').length === 6"
                            + " && [...[...R.querySelectorAll('.msg > .card.product li')][2].querySelectorAll('.size')].map(e => e.textContent) : null"));
            assertEquals("https://stride-demo.example/products/sh-ls-001", w.text("R.querySelector('.card.product a').href"));
            assertEquals("_blank", w.text("R.querySelector('.card.product a').target"));
            // the store's offer rule for these shoes: a tin of polish, under the answer (offers.yaml)
            assertEquals("鞋油（黑色/棕色/无色）", w.text("R.querySelector('.offer .card.product h3').textContent"));
            assertTrue(w.text("R.querySelector('.offer .offer-text').textContent").contains("鞋油"));
            assertEquals("查看商品", w.text("R.querySelector('.card.product a').textContent"));

            // a promotion card
            w.send("满300减40的活动是怎么回事");
            w.awaitReplies(3);
            assertEquals("满300减40", w.text("R.querySelector('.card.promotion h3').textContent"));
            assertTrue(w.text("R.querySelector('.card.promotion .validity').textContent").contains("2026-11-30"));

            // closed, a reply arrives: an unread badge on the launcher
            assertFalse(w.visible(".badge"));
            w.eval("(R.getElementById('text').value = '包邮吗', R.querySelector('form').requestSubmit(), R.querySelector('.close').click(), true)");
            assertFalse(w.visible(".panel"));
            w.waitFor("R.querySelector('.badge') && !R.querySelector('.badge').hidden", 10_000);
            assertEquals("1", w.text("R.querySelector('.badge').textContent"));
            assertTrue(w.text("R.querySelector('.launcher').getAttribute('aria-label')").contains("1 条未读消息"));
            w.click(".launcher");
            assertFalse(w.visible(".badge"), "seen once opened");
            assertTrue(w.lastBotText().contains("包邮"), w.lastBotText());
            assertEquals(List.of(), page.errors());
        }
    }

    @Test
    void aPhoneGetsTheChatFullScreen() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.phone();
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals(List.of(0, 0, 390, 844), w.list("(() => { const r = R.querySelector('.panel').getBoundingClientRect();"
                    + " return [r.left, r.top, r.width, r.height].map(Math.round); })()"));
            assertFalse(w.visible(".launcher"), "the panel covers the screen; its close button closes it");
            assertTrue(w.visible(".close"));
            w.click(".close");
            assertFalse(w.visible(".panel"));
            assertTrue(w.visible(".launcher"));
        }
    }

    @Test
    void theInterfaceSpeaksTheShoppersLanguage() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            // before any reply: the browser's language, which the store serves
            assertEquals("Send", w.text("R.getElementById('send').textContent"));
            assertEquals("Type your message…", w.text("R.getElementById('text').placeholder"));
            assertEquals("Online", w.text("R.getElementById('status').textContent"));
            assertEquals("Close chat", w.text("R.querySelector('.close').getAttribute('aria-label')"));
            assertEquals("Stride Shoes & Apparel", w.text("R.querySelector('h2').textContent"));
            assertTrue(w.lastBotText().startsWith("Hi, welcome"), w.lastBotText());
            // the shopper writes Chinese: the interface follows the latest reply's language
            w.send("包邮吗");
            w.awaitReplies(2);
            assertEquals("发送", w.text("R.getElementById('send').textContent"));
            assertEquals("输入您的问题…", w.text("R.getElementById('text').placeholder"));
            assertEquals("在线", w.text("R.getElementById('status').textContent"));
            assertEquals("步履鞋服旗舰店", w.text("R.querySelector('h2').textContent"));
            w.send("Do you ship abroad?");
            w.awaitReplies(3);
            assertEquals("Send", w.text("R.getElementById('send').textContent"));
            assertFalse(w.text("R.querySelector('.root').textContent").contains("发送 Send"));
            // timestamps on every message
            assertTrue(Boolean.TRUE.equals(w.eval("[...R.querySelectorAll('.msg.me, .msg.bot')].every(m => "
                    + "/\\d{1,2}:\\d{2}/.test(m.querySelector('time').textContent) && m.querySelector('time').dateTime)")));
        }
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("fr-FR,fr");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals("发送", w.text("R.getElementById('send').textContent"), "a language the store does not serve: its default");
        }
    }

    @Test
    void onlyTheNewestQuickRepliesCanBeClicked() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("zh-CN,zh");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("我的订单DX1001到哪了");
            w.awaitReplies(2);
            assertEquals(List.of("好的", "不用"), w.list("[...R.querySelectorAll('.chip:not(:disabled)')].map(b => b.textContent)"));
            assertEquals("button", w.text("R.querySelector('.chip').tagName.toLowerCase()"));
            w.send("给我换个棕色的……不，黑色的吧");
            w.awaitReplies(3);
            assertEquals(List.of("确认", "取消"), w.list("[...R.querySelectorAll('.chip:not(:disabled)')].map(b => b.textContent)"),
                    "the earlier yes/no buttons are disabled");
            assertEquals(2L, w.count(".chip:disabled"));
            w.eval("([...R.querySelectorAll('.chip')].find(b => b.textContent === '确认').click(), true)");
            w.awaitReplies(4);
            assertTrue(w.lastBotText().contains("EX-"), w.lastBotText());
            assertEquals(0L, w.count(".chip:not(:disabled)"), "after the exchange nothing earlier is clickable");
            long mine = w.count(".msg.me");
            w.eval("([...R.querySelectorAll('.chip')].find(b => b.textContent === '确认').click(), true)"); // a stale click
            Thread.sleep(500);
            assertEquals(mine, w.count(".msg.me"), "a stale 确认 sends nothing");
        }
    }

    @Test
    void hostileTextsAreShownAsTextAndNeverRun() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            WidgetPage w = openShop(page, shop.url("/hostile.html"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals(XSS + "Shop", w.text("R.querySelector('h2').textContent"));
            assertEquals("Hello " + XSS, w.lastBotText());
            w.send("Do you sell gift cards?");
            w.awaitReplies(2);
            assertEquals("Yes " + XSS + "<script>window.__pwned=3</script> we do.", w.lastBotText());
            w.send("<img src=x onerror=\"window.__pwned=5\"><script>window.__pwned=6</script>");
            w.waitFor("!R.querySelector('.pending')", 20_000);
            assertEquals("<img src=x onerror=\"window.__pwned=5\"><script>window.__pwned=6</script>",
                    w.text("[...R.querySelectorAll('.msg.me')].pop().querySelector('.text').textContent"));
            w.send("X-1");
            w.awaitReplies(4);
            Thread.sleep(300); // give any injected handler its chance
            assertNull(page.eval("window.__pwned === undefined ? null : window.__pwned"));
            assertEquals(0L, w.count("script"));
            assertEquals(0L, ((Number) w.eval("R.querySelectorAll('img:not(.logo):not(.card img)').length")).longValue());
            assertEquals(0L, ((Number) page.eval("document.querySelectorAll('img').length")).longValue());
            if (w.count(".card.product") > 0) {
                assertEquals("<b onmouseover=alert(1)>Boot</b>", w.text("R.querySelector('.card.product h3').textContent"));
                assertEquals(0L, w.count(".card.product b"));
            }
            assertEquals(List.of(), page.errors());
        }
    }

    @Test
    void atTheEndOfAConversationTheShopperRatesItWithAnOptionalComment() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("Do you ship abroad?");
            w.awaitReplies(2);
            assertEquals(0L, w.count(".rating"), "no rating in the middle of a conversation");
            double badBefore = metric("nectar_ratings_bad_total");
            w.send("thanks");
            w.awaitReplies(3);
            w.waitFor("!!R.querySelector('.rating')", 5_000);
            assertEquals("How was this chat?", w.text("R.querySelector('.rating').getAttribute('aria-label')"));
            assertEquals("This chat was bad", w.text("R.querySelector('.rate-bad').getAttribute('aria-label')"));
            assertFalse(w.visible(".rating textarea"), "the comment box comes after a choice");
            w.click(".rate-bad");
            assertEquals("true", w.text("R.querySelector('.rate-bad').getAttribute('aria-pressed')"));
            assertEquals("false", w.text("R.querySelector('.rate-good').getAttribute('aria-pressed')"));
            assertTrue(w.visible(".rating textarea"));
            w.eval("(R.querySelector('.rating textarea').value = " + io.vertx.core.json.Json.encode(XSS + " the size chart was wrong")
                    + ", true)");
            w.click(".rate-send");
            w.waitFor("!!R.querySelector('.rate-thanks')", 5_000);
            assertEquals("Thank you for your feedback.", w.text("R.querySelector('.rate-thanks').textContent"));
            assertEquals(badBefore + 2, metric("nectar_ratings_bad_total"), "the choice and then its comment, each recorded");
            assertNull(page.eval("window.__pwned"));
            w.send("bye");
            w.awaitReplies(4);
            assertEquals(1L, w.count(".rating"), "asked once per conversation");
        }
    }

    /** A counter of the gateway's /metrics. */
    private static double metric(String name) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        String body = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    @Test
    void keyboardOnly() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("/"));
            CdpPage p = page;
            String launcherFocused = "document.activeElement === document.querySelector('nectar-chat')"
                    + " && document.querySelector('nectar-chat').shadowRoot.activeElement === document.querySelector('nectar-chat').shadowRoot.querySelector('.launcher')";
            for (int i = 0; i < 10 && !Boolean.TRUE.equals(p.eval(launcherFocused)); i++) {
                p.press("Tab");
            }
            assertEquals(true, p.eval(launcherFocused), "Tab reaches the launcher");
            assertEquals("Chat with Stride Shoes & Apparel", w.text("R.querySelector('.launcher').getAttribute('aria-label')"));
            p.press("Enter");
            assertTrue(w.visible(".panel"), "Enter opens the chat");
            assertEquals("text", w.text("R.activeElement && R.activeElement.id"), "focus moves into the panel");
            assertEquals("dialog", w.text("R.querySelector('.panel').getAttribute('role')"));
            assertEquals("log", w.text("R.getElementById('log').getAttribute('role')"));
            assertEquals("polite", w.text("R.getElementById('log').getAttribute('aria-live')"));
            assertEquals("Message", w.text("R.getElementById('text').getAttribute('aria-label')"));
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            p.type("Do you ship abroad?");
            p.press("Enter");
            w.awaitReplies(2);
            assertEquals("Do you ship abroad?", w.text("[...R.querySelectorAll('.msg.me')].pop().querySelector('.text').textContent"));
            assertEquals("", w.text("R.getElementById('text').value"));
            p.press("Escape");
            assertFalse(w.visible(".panel"), "Escape closes the chat");
            assertEquals(true, p.eval(launcherFocused), "focus goes back to the launcher");
            assertEquals("false", w.text("R.querySelector('.launcher').getAttribute('aria-expanded')"));
        }
    }

    @Test
    void theConversationGoesOnAcrossPagesAndTabsWithinItsTimeToLive() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("什么时候发货");
            w.awaitReplies(2);
            String id = w.conversationId("demo");
            assertNotNull(id);

            // another page of the shop: same conversation, history shown, the panel still open
            page.navigate(shop.url("/other.html"));
            w.waitFor("R.getElementById('status') && R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals(id, w.conversationId("demo"));
            assertTrue(w.visible(".panel"), "the panel stays open across pages of one tab");
            assertEquals(1L, w.count(".msg.me"));
            assertEquals("什么时候发货", w.text("R.querySelector('.msg.me .text').textContent"));

            // a new tab of the shop: the same conversation, with its history, behind a closed launcher
            CdpPage tab = context.newPage(shop.url("/"));
            WidgetPage w2 = new WidgetPage(tab);
            w2.waitFor("R.getElementById('status') && R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals(id, w2.conversationId("demo"));
            assertFalse(w2.visible(".panel"));
            assertEquals(1L, w2.count(".msg.me"));
            w2.click(".launcher");
            w2.send("包邮吗");
            w2.awaitReplies(2);
            assertEquals(4, transcript(id).size(), "both tabs wrote into one conversation");
            // one connection holds a conversation: the first tab stepped aside, says so, and takes it back
            // only when the shopper asks (two tabs taking it from each other by themselves would never settle)
            w.waitFor("R.querySelector('.notice .continue')", 10_000);
            assertEquals("closed", w.text("R.getElementById('status').dataset.state"));
            w.click(".notice .continue");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            assertEquals(2L, w.count(".msg.me"), "the message written in the other tab arrives with the resume");
            w2.waitFor("R.querySelector('.notice .continue')", 10_000);
            w2.click(".close");

            // after the time to live without activity the stored id is dropped and a new conversation starts
            tab.eval("(() => { const k = 'nectar.conversation.demo'; const c = JSON.parse(localStorage.getItem(k));"
                    + " c.at = Date.now() - c.ttl * 1000 - 1000; localStorage.setItem(k, JSON.stringify(c)); return true; })()");
            tab.reload();
            w2.waitFor("R.querySelector('.launcher')", 10_000);
            Thread.sleep(500);
            assertNull(w2.conversationId("demo"), "expired: forgotten, and no connection until the shopper opens the chat");
            w2.click(".launcher");
            w2.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            assertNotEquals(id, w2.conversationId("demo"));
            assertEquals(0L, w2.count(".msg.me"));
        }
    }

    @Test
    void aLongPasteIsNeitherCutNorSentAndErrorsReadAsSentences() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            String id = w.conversationId("demo");
            String paste = "a".repeat(4995) + " end.";
            page.type(paste);
            page.press("Enter");
            assertEquals(5000L, ((Number) w.eval("R.getElementById('text').value.length")).longValue(), "nothing cut");
            assertTrue(w.visible(".notice"));
            assertEquals("Your message has 5,000 characters; the limit is 2,000. Please shorten it, then send it again.",
                    w.text("R.querySelector('.notice').textContent"));
            assertTrue(w.visible(".counter"));
            assertEquals("5,000 / 2,000", w.text("R.querySelector('.counter').textContent"));
            assertEquals(0L, w.count(".msg.me"), "not sent");
            Thread.sleep(300);
            assertTrue(transcript(id).isEmpty(), "the server never saw it");

            // the limit passed another way (a client with an older limit): the server refuses it with a code,
            // and the shopper reads a sentence, not the developer's text
            w.eval("(() => { const send = WebSocket.prototype.send; WebSocket.prototype.send = function (d) {"
                    + " const f = JSON.parse(d); if (f.text === 'LONG') { f.text = 'b'.repeat(5000); d = JSON.stringify(f); }"
                    + " return send.call(this, d); }; R.getElementById('text').value = ''; return true; })()");
            w.send("LONG");
            w.waitFor("R.querySelector('.msg.err')", 10_000);
            String err = w.text("R.querySelector('.msg.err').textContent");
            assertEquals("Not sent: That message is too long.", err);
            assertEquals(1L, w.count(".msg.me.failed"));
            assertFalse(w.text("R.querySelector('.root').textContent").contains("text_too_long"));
        }
    }

    @Test
    void debugDetailsOnlyWithTheSwitch() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            WidgetPage w = openShop(page, shop.url("/"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("什么时候发货");
            w.awaitReplies(2);
            assertEquals(0L, w.count(".meta"), "shoppers see no debug details");

            for (String url : List.of(shop.url("/debug.html"), shop.url("/?debug=1"))) {
                page.navigate(url);
                w.waitFor("R.getElementById('status') && R.getElementById('status').dataset.state === 'online'", 10_000);
                w.send("什么时候发货");
                w.waitFor("R.querySelectorAll('.meta').length === 1", 10_000);
                assertTrue(w.text("R.querySelector('.meta').textContent").startsWith("faq · "), url);
            }
        }
    }

    @Test
    void anUnknownMerchantSaysSoAndTakesNoInput() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("/unknown.html"));
            w.waitFor("R.getElementById('status').dataset.state === 'closed'", 10_000);
            w.click(".launcher");
            assertEquals("This chat is not available. Please contact the shop another way.",
                    w.text("R.querySelector('.notice').textContent"));
            assertEquals(true, w.eval("R.getElementById('text').disabled && R.getElementById('send').disabled"));
            assertEquals("Unavailable", w.text("R.getElementById('status').textContent"));

            // the gateway's own page, in Chinese
            page.languages("zh-CN,zh");
            page.navigate("http://127.0.0.1:" + gateway.port() + "/?merchant=no-such-shop");
            w.waitFor("R.getElementById('status').dataset.state === 'closed'", 10_000);
            assertEquals("这个聊天窗口暂不可用，请通过其他方式联系店铺。", w.text("R.querySelector('.notice').textContent"));
            assertEquals(true, w.eval("R.getElementById('text').disabled"));
            assertFalse(w.text("R.querySelector('.root').textContent").contains("unknown_merchant"));
        }
    }

    @Test
    void aStoreThatListsItsOriginsOpensOnlyThere() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.languages("en-US,en");
            WidgetPage w = openShop(page, shop.url("127.0.0.1", "/fenced.html"));
            w.waitFor("R.getElementById('status').dataset.state === 'closed'", 10_000);
            w.click(".launcher");
            assertEquals("This chat is not available on this website.", w.text("R.querySelector('.notice').textContent"));
            assertEquals(true, w.eval("R.getElementById('text').disabled"));

            openShop(page, shop.url("localhost", "/fenced.html"));
            w.click(".launcher");
            w.waitFor("R.getElementById('status').dataset.state === 'online'", 10_000);
            w.send("opening hours");
            w.awaitReplies(1);
            assertEquals("Nine to five.", w.lastBotText());
        }
    }

    @Test
    void theGatewayServesAFavicon() throws Exception {
        try (Chromium.Context context = browser.newContext()) {
            CdpPage page = context.newPage("about:blank");
            page.navigate("http://127.0.0.1:" + gateway.port() + "/");
            WidgetPage w = new WidgetPage(page);
            w.waitFor("R.getElementById('status') && R.getElementById('status').dataset.state === 'online'", 20_000);
            Object status = page.eval("fetch('/favicon.ico').then(r => r.status + ' ' + r.headers.get('content-type'))");
            assertTrue(String.valueOf(status).startsWith("200 image/"), String.valueOf(status));
            assertEquals("main", w.text("R.querySelector('.panel').getAttribute('role')"));
            assertFalse(w.visible(".launcher"), "the demo page is the chat itself");
            JsonObject size = (JsonObject) page.eval(
                    "(() => { const r = document.querySelector('nectar-chat').shadowRoot.querySelector('.panel').getBoundingClientRect();"
                            + " return {h: Math.round(r.height), wh: innerHeight}; })()");
            assertEquals(size.getInteger("wh"), size.getInteger("h"), "the page mode fills the window's height");
        }
    }
}
