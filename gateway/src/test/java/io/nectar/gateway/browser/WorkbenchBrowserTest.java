package io.nectar.gateway.browser;

import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agents' workbench page (/agent) and the shopper's chat page together in a real headless Chromium
 * (each in a browser profile of its own): sign in, see the handoff appear, take it; a second agent sees
 * who has it; send a suggestion with one click, edit and send another, hand back; the bot answers the
 * next question. Hostile shopper and FAQ texts are shown as text, never run.
 */
class WorkbenchBrowserTest {

    static Gateway gateway;
    static Vertx vertx;
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path stores;

    @BeforeAll
    static void start() throws Exception {
        // the demo store with a hostile FAQ answer (a merchant's text is shown as text too)
        java.nio.file.Path demo = io.nectar.gateway.TestStores.copyDemo(stores);
        java.nio.file.Files.writeString(demo.resolve("faq.yaml"), """

                - id: hostile-answer
                  questions:
                    zh: [优惠码在哪里输入, 优惠码填在哪, 哪里填写优惠码]
                    en: ["Where do I enter a promo code?", "where to type the discount code"]
                  answer:
                    zh: "<img src=x onerror=\\"window.__pwned=3\\">在结算页输入优惠码<script>window.__pwned=4</script>"
                    en: "<img src=x onerror=\\"window.__pwned=3\\">Enter it at checkout<script>window.__pwned=4</script>"
                  tags: [coupons]
                """, java.nio.file.StandardOpenOption.APPEND);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withStores(List.of(demo))).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAgentTakesAnswersWithSuggestionsAndHandsBackInThePage() throws Exception {
        String base = "http://127.0.0.1:" + gateway.port();
        try (Chromium browser = Chromium.launch(vertx);
             Chromium.Context shopperContext = browser.newContext();
             Chromium.Context secondContext = browser.newContext()) {
            CdpPage page = browser.page();
            browser.navigate(base + "/agent");
            page.waitFor("document.body && document.body.dataset.workbench === 'ready'", 10_000);
            assertEquals(false, page.eval("document.getElementById('go').disabled"));
            signIn(page, "demo-agent", "wrong-password");
            page.waitFor("document.getElementById('error').textContent.includes('wrong store, login or password')", 20_000);
            signIn(page, "demo-agent", "demo-agent-password-change-me");
            page.waitFor("document.getElementById('app').classList.contains('on')", 20_000);

            // the shopper: the chat page, in a browser profile of its own
            CdpPage shopperTab = shopperContext.newPage("about:blank");
            shopperTab.languages("zh-CN,zh");
            shopperTab.navigate(base + "/?merchant=demo");
            WidgetPage shopper = new WidgetPage(shopperTab);
            shopper.waitFor("R.getElementById('status').dataset.state === 'online'", 15_000);
            String id = shopper.conversationId("demo");
            shopper.send("转人工");
            shopper.awaitReplies(2);

            String item = "document.querySelector('#queue .item[data-id=\"" + id + "\"]')";
            page.waitFor("!!" + item, 20_000);
            page.eval(item + ".click()");
            page.waitFor("!document.getElementById('take').hidden", 10_000);
            page.eval("document.getElementById('take').click()");
            page.waitFor("document.getElementById('owner').textContent === 'you have it'", 10_000);
            shopper.waitFor("[...R.querySelectorAll('.msg.sys')].some(e => e.textContent.includes('已接入'))", 10_000);

            // a second agent sees who has it, and cannot take it
            CdpPage second = secondContext.newPage("about:blank");
            second.navigate(base + "/agent");
            second.waitFor("document.body && document.body.dataset.workbench === 'ready'", 10_000);
            signIn(second, "demo-agent-2", "demo-agent-2-password-change-me");
            second.waitFor("document.getElementById('app').classList.contains('on')", 20_000);
            String seen = "document.querySelector('#live .item[data-id=\"" + id + "\"]')";
            second.waitFor("!!" + seen + " && " + seen + ".textContent.includes('with demo-agent')", 20_000);
            second.eval(seen + ".click()");
            second.waitFor("document.getElementById('owner').textContent === 'taken by demo-agent'", 10_000);

            String hostile = "<img src=x onerror=\"window.__pwned=1\">发什么快递<script>window.__pwned=2</script>";
            shopper.send(hostile);
            page.waitFor("[...document.querySelectorAll('#log .msg.shopper')].some(e => e.textContent.includes('<img src=x'))", 10_000);
            page.waitFor("document.querySelectorAll('#pane .sugg').length >= 1", 30_000);
            assertEquals(true, page.eval("window.__pwned === undefined && !document.querySelector('#log img, #log script, #pane img')"));
            assertEquals(2L, shopper.count(".msg.bot:not(.agent)"), "the greeting and the handoff reply only: the bot stays silent");

            String suggestion = (String) page.eval("document.querySelector('#pane .sugg .text').textContent");
            page.eval("document.querySelector('#pane .sugg .use').click()");
            shopper.waitFor("[...R.querySelectorAll('.msg.agent .text')].some(e => e.textContent === "
                    + io.vertx.core.json.Json.encode(suggestion) + ")", 10_000);

            shopper.send("包邮吗");
            page.waitFor("document.querySelector('#pane').textContent.includes('包邮吗')", 30_000);
            page.eval("document.querySelector('#pane .sugg .edit').click()");
            page.eval("document.getElementById('text').value += ' 有问题随时找我。'; document.getElementById('send').click()");
            shopper.waitFor("[...R.querySelectorAll('.msg.agent .text')].some(e => e.textContent.endsWith('有问题随时找我。')"
                    + " && e.textContent.length > '有问题随时找我。'.length + 2)", 10_000);

            shopper.send("优惠码填在哪里");
            page.waitFor("document.querySelector('#pane').textContent.includes('优惠码填在哪里')", 30_000);
            page.waitFor("[...document.querySelectorAll('#pane .sugg .text')].some(e => e.textContent.includes('<img src=x'))", 10_000);
            assertEquals(true, page.eval("window.__pwned === undefined && !document.querySelector('#pane img, #pane script')"));

            page.eval("document.getElementById('handback').click()");
            page.waitFor("document.getElementById('owner').textContent === 'the bot answers'", 10_000);
            shopper.waitFor("[...R.querySelectorAll('.msg.sys')].some(e => e.textContent.includes('智能助手回来'))", 10_000);
            long botBefore = shopper.count(".msg.bot:not(.agent)");
            shopper.send("几天能到");
            shopper.waitFor("R.querySelectorAll('.msg.bot:not(.agent)').length > " + botBefore + " && !R.querySelector('.pending')", 20_000);
            assertEquals(true, shopperTab.eval("window.__pwned === undefined"));
            assertEquals(List.of(), page.errors());
            assertEquals(List.of(), shopperTab.errors());
            assertEquals(List.of(), second.errors());
        }
    }

    private static void signIn(CdpPage page, String login, String password) throws Exception {
        page.eval("document.getElementById('merchant').value='demo';document.getElementById('login').value="
                + io.vertx.core.json.Json.encode(login) + ";document.getElementById('password').value="
                + io.vertx.core.json.Json.encode(password) + ";document.getElementById('go').click()");
    }
}
