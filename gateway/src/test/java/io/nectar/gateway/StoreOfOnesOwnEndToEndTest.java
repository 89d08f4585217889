package io.nectar.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A merchant's first store: five lines of faq.jsonl and nothing else, served by a real gateway with the
 * real models. The built-in small talk answers greetings and thanks but takes none of the store's
 * questions, the shopper is greeted in the store's name, and real answers offer no small talk.
 */
class StoreOfOnesOwnEndToEndTest {

    @TempDir
    static Path tmp;
    static Path dir;
    static Gateway gateway;
    static Vertx client;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createDirectory(tmp.resolve("tea-leaf"));
        Files.writeString(dir.resolve("faq.jsonl"), String.join("\n",
                "{\"id\":\"shipping\",\"lang\":\"en\",\"question\":\"How long does delivery take?\",\"paraphrases\":[\"when will my order arrive\",\"shipping time\",\"how fast do you ship\"],\"answer\":\"We ship within 2 days; delivery takes 3-5 days.\"}",
                "{\"id\":\"returns\",\"lang\":\"en\",\"question\":\"Can I return an item?\",\"paraphrases\":[\"return policy\",\"how do I send something back\",\"can I get a refund\"],\"answer\":\"Unopened items can be returned within 14 days.\"}",
                "{\"id\":\"shipping\",\"lang\":\"zh\",\"question\":\"多久发货\",\"paraphrases\":[\"什么时候能到\",\"几天能到\",\"发货时间\"],\"answer\":\"下单后 2 天内发货，3-5 天送达。\"}",
                "{\"id\":\"tea\",\"lang\":\"zh\",\"question\":\"你们卖什么茶\",\"paraphrases\":[\"有哪些茶叶\",\"有没有绿茶\",\"红茶有吗\"],\"answer\":\"我们有龙井、碧螺春、正山小种和普洱。\"}",
                "{\"id\":\"payment\",\"lang\":\"zh\",\"question\":\"怎么付款\",\"paraphrases\":[\"可以用微信支付吗\",\"支持支付宝吗\",\"付款方式\"],\"answer\":\"支持微信支付和支付宝。\"}"));
        log.start();
        ((Logger) LoggerFactory.getLogger(Gateway.class)).addAppender(log);
        gateway = Gateway.start(GatewayConfig.defaults().withPort(0).withHost("127.0.0.1").withStores(List.of(dir))
                        .withDataDir(tmp.resolve("data")))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        gateway.ready().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        client = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(Gateway.class)).detachAppender(log);
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        gateway.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** One question in a conversation of its own. */
    static JsonObject ask(String text) throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=tea-leaf")) {
            return c.ask("1", text);
        }
    }

    @Test
    void theShopperIsGreetedInTheStoresName() throws Exception {
        try (ChatTestClient c = ChatTestClient.open(client, gateway.port(), "merchant=tea-leaf")) {
            String greeting = c.welcome.getString("greeting");
            assertEquals("en", c.welcome.getString("language"), "the first language of the FAQ");
            assertEquals("Hi, welcome to tea-leaf! How can I help you?", greeting);
        }
    }

    @Test
    void builtInSmallTalkTakesNoneOfTheStoresQuestions() throws Exception {
        for (String q : List.of("do you have gift boxes?", "你们卖咖啡吗", "blah blah blah", "what's the weather like today")) {
            JsonObject r = ask(q);
            assertFalse(r.getString("intent").startsWith("smalltalk-"), q + ": " + r.encode());
            assertEquals("fallback", r.getString("source"), q + ": " + r.encode());
        }
    }

    @Test
    void realSmallTalkIsStillAnswered() throws Exception {
        assertEquals("smalltalk-greeting", ask("hi there!").getString("intent"));
        assertEquals("smalltalk-greeting", ask("你好呀").getString("intent"));
        assertEquals("smalltalk-thanks", ask("thank you so much").getString("intent"));
        assertEquals("smalltalk-thanks", ask("谢谢啦").getString("intent"));
        assertEquals("smalltalk-goodbye", ask("bye").getString("intent"));
        assertEquals("smalltalk-are-you-a-bot", ask("are you a bot?").getString("intent"));
        assertEquals("smalltalk-are-you-a-bot", ask("你是机器人吗").getString("intent"));
    }

    @Test
    void answersAndFallbacksOfferNoSmallTalk() throws Exception {
        for (String q : List.of("how long will delivery take", "有绿茶吗", "do you have gift boxes?", "你们卖咖啡吗")) {
            JsonObject r = ask(q);
            JsonArray suggestions = r.getJsonArray("suggestions", new JsonArray());
            for (Object s : suggestions) {
                assertFalse(List.of("hello", "thanks", "bye", "are you a bot?", "你好", "谢谢", "再见", "你是机器人吗").contains(s),
                        q + " suggests small talk: " + r.encode());
            }
        }
        assertNotEquals("fallback", ask("how long will delivery take").getString("source"));
    }

    @Test
    void withoutAgentTokenTheStartUpWarnsAndNoPersonIsPromised() throws Exception {
        assertTrue(log.list.stream().anyMatch(e -> e.getLevel().toString().equals("WARN")
                && e.getFormattedMessage().contains("'tea-leaf'") && e.getFormattedMessage().contains("agentToken")
                && e.getFormattedMessage().contains(dir.toString())), "a warning naming the store and the fix: " + log.list);
        JsonObject r = ask("转人工");
        assertEquals("unavailable", r.getJsonObject("handoff").getString("status"), r.encode());
        assertTrue(r.getString("text").contains("没有人工客服在线"), r.encode());
        r = ask("I want to talk to a human agent");
        assertTrue(r.getString("text").contains("no human agent is available"), r.encode());
        r = ask("what is the meaning of life");
        assertEquals("fallback", r.getString("source"), r.encode());
        assertFalse(r.getBoolean("handoffOffered", false), r.encode());
        assertFalse(r.getString("text").contains("human"), r.encode());
    }
}
