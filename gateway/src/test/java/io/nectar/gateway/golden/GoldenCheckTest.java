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
    void malformedScriptsAreRefusedWithTheStep() {
        String bad = "steps:\n  - shopper: hi\n    expect: {sayz: [x]}\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoldenScript.read("bad.yaml", new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("sayz"), e.getMessage());
    }
}
