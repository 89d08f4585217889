package io.nectar.gateway.browser;

import io.nectar.gateway.ChatTestClient;
import io.nectar.gateway.Gateway;
import io.nectar.gateway.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agents' workbench page (/agent) in a real headless Chromium, with a shopper on a real socket: sign in,
 * see the handoff appear, take it, send a suggestion with one click, edit and send another, hand back; the
 * bot answers the next question. A hostile shopper message is shown as text, never run.
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
        try (Chromium browser = Chromium.launch(vertx);
             ChatTestClient shopper = ChatTestClient.open(vertx, gateway.port(), "merchant=demo")) {
            CdpPage page = browser.page();
            browser.navigate("http://127.0.0.1:" + gateway.port() + "/agent");
            page.waitFor("document.body && document.body.dataset.workbench === 'ready'", 10_000);
            assertEquals(false, page.eval("document.getElementById('go').disabled"));
            page.eval("document.getElementById('merchant').value='demo';document.getElementById('login').value='demo-agent';"
                    + "document.getElementById('password').value='wrong-password';document.getElementById('go').click()");
            page.waitFor("document.getElementById('error').textContent.includes('wrong store, login or password')", 20_000);
            page.eval("document.getElementById('password').value='demo-agent-password-change-me';document.getElementById('go').click()");
            page.waitFor("document.getElementById('app').classList.contains('on')", 20_000);

            String id = shopper.welcome.getString("conversationId");
            shopper.ask("h1", "转人工");
            String item = "document.querySelector('#queue .item[data-id=\"" + id + "\"]')";
            page.waitFor("!!" + item, 20_000);
            page.eval(item + ".click()");
            page.waitFor("!document.getElementById('take').hidden", 10_000);
            page.eval("document.getElementById('take').click()");
            page.waitFor("document.getElementById('owner').textContent === 'you have it'", 10_000);
            assertEquals("agent", shopper.await(f -> "system".equals(f.getString("type"))).getString("owner"));

            String hostile = "<img src=x onerror=\"window.__pwned=1\">发什么快递<script>window.__pwned=2</script>";
            assertEquals("received", shopper.ask("q1", hostile).getString("type"));
            page.waitFor("[...document.querySelectorAll('#log .msg.shopper')].some(e => e.textContent.includes('<img src=x'))", 10_000);
            page.waitFor("document.querySelectorAll('#pane .sugg').length >= 1", 30_000);
            assertEquals(true, page.eval("window.__pwned === undefined && !document.querySelector('#log img, #log script, #pane img')"));

            String suggestion = (String) page.eval("document.querySelector('#pane .sugg .text').textContent");
            page.eval("document.querySelector('#pane .sugg .use').click()");
            JsonObject one = shopper.await(f -> "agent".equals(f.getString("type")));
            assertEquals(suggestion, one.getString("text"));

            shopper.ask("q2", "包邮吗");
            page.waitFor("document.querySelector('#pane').textContent.includes('包邮吗')", 30_000);
            page.eval("document.querySelector('#pane .sugg .edit').click()");
            page.eval("document.getElementById('text').value += ' 有问题随时找我。'; document.getElementById('send').click()");
            JsonObject two = shopper.await(f -> "agent".equals(f.getString("type")) && f.getString("text").endsWith("有问题随时找我。"));
            assertTrue(two.getString("text").length() > "有问题随时找我。".length() + 2, two.encode());

            shopper.ask("q4", "优惠码填在哪里");
            page.waitFor("document.querySelector('#pane').textContent.includes('优惠码填在哪里')", 30_000);
            page.waitFor("[...document.querySelectorAll('#pane .sugg .text')].some(e => e.textContent.includes('<img src=x'))", 10_000);
            assertEquals(true, page.eval("window.__pwned === undefined && !document.querySelector('#pane img, #pane script')"));

            page.eval("document.getElementById('handback').click()");
            page.waitFor("document.getElementById('owner').textContent === 'the bot answers'", 10_000);
            shopper.await(f -> "system".equals(f.getString("type")) && "bot".equals(f.getString("owner")));
            assertEquals("reply", shopper.ask("q3", "几天能到").getString("type"));
            assertEquals(List.of(), page.errors());
        }
    }
}
