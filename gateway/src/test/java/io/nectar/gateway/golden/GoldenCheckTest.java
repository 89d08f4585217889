package io.nectar.gateway.golden;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golden checker must fail on a reply that does not match: otherwise every script passes. */
class GoldenCheckTest {

    static final JsonObject REPLY = new JsonObject("""
            {"type":"reply","text":"好的，给您换成黑色42码","intent":"exchange-out-of-stock","source":"flow",
             "flow":{"id":"exchange-out-of-stock","step":"confirm","status":"active","slots":{"color":"black","size":"42"}},
             "entities":[{"type":"color","value":"brown","flags":["superseded"]},{"type":"color","value":"black"}]}""");

    @Test
    void aMatchingReplyPasses() {
        JsonObject expect = new JsonObject("""
                {"source":"flow","flow":"exchange-out-of-stock","step":"confirm","status":"active",
                 "slots":{"color":"black","size":42},"says":["黑色","42"],"notSays":["棕色"],"entities":{"color":"black"},"handoff":false}""");
        assertEquals(List.of(), GoldenCheck.failures(expect, REPLY));
    }

    @Test
    void everyKindOfMismatchIsReported() {
        JsonObject expect = new JsonObject("""
                {"source":"faq","flow":"order-status","step":"color","slots":{"color":"brown"},"says":["鞋油"],
                 "notSays":["黑色"],"entities":{"color":"brown"},"handoff":"complaint","saysAny":["x","y"]}""");
        List<String> f = GoldenCheck.failures(expect, REPLY);
        assertEquals(9, f.size(), f.toString());
        assertEquals(1, GoldenCheck.failures(new JsonObject().put("type", "reply"), new JsonObject().put("type", "error")).size());
    }

    @Test
    void writtenInFindsWordsOfTheOtherLanguage() {
        JsonObject mixed = new JsonObject().put("type", "reply")
                .put("text", "好的，给您换成黑色42码的Classic Lace-up Leather Shoes，另外送您一支black shoe polish。订单 DX1001，换货单 EX-1002。");
        List<String> f = GoldenCheck.failures(new JsonObject().put("writtenIn", "zh"), mixed);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).contains("Classic") && f.get(0).contains("polish") && !f.get(0).contains("DX1001"), f.get(0));
        JsonObject clean = new JsonObject().put("type", "reply").put("text", "订单 DX1001 已发货，邮件发到 wei@example.com。");
        assertEquals(List.of(), GoldenCheck.failures(new JsonObject().put("writtenIn", "zh"), clean));
        JsonObject english = new JsonObject().put("type", "reply").put("text", "we'll add a free 黑色鞋油 to make up for the wait");
        assertEquals(List.of("writtenIn: a en reply has [黑色鞋油]"),
                GoldenCheck.failures(new JsonObject().put("writtenIn", "en"), english));
    }

    @Test
    void suggestionsAndTheHandoffOfferAreChecked() {
        JsonObject reply = new JsonObject().put("type", "reply").put("text", "…")
                .put("suggestions", new io.vertx.core.json.JsonArray(List.of("你好", "几天能到"))).put("handoffOffered", true);
        assertEquals(List.of(), GoldenCheck.failures(new JsonObject("{\"suggests\":[\"几天能到\"],\"notSuggests\":[\"再见\"],\"handoffOffered\":true}"), reply));
        List<String> f = GoldenCheck.failures(new JsonObject("{\"suggests\":[\"再见\"],\"notSuggests\":[\"你好\"],\"handoffOffered\":false}"), reply);
        assertEquals(3, f.size(), f.toString());
        assertEquals(1, GoldenCheck.failures(new JsonObject("{\"handoffOffered\":true}"), new JsonObject().put("type", "reply")).size());
    }

    @Test
    void malformedScriptsAreRefusedWithTheStep() {
        String bad = "steps:\n  - shopper: hi\n    expect: {sayz: [x]}\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldenScript.read("bad.yaml", new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("sayz"), e.getMessage());
    }
}
