package io.nectar.gateway.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The process's JSON codec writes what databind wrote, for every kind of value frames hold. */
class StreamingJsonFactoryTest {

    private static final DatabindCodec DATABIND = new DatabindCodec();

    enum Owner { BOT }

    /** A Java object the streaming writer does not know. */
    public record Card(String title, int price) {
    }

    static JsonObject frame() {
        return new JsonObject()
                .put("type", "reply").put("replyTo", "m-1").put("seq", 7L).put("confidence", 0.931)
                .put("text", "您好，七天无理由退货 — \"quoted\" \\ tab\t newline\n emoji 🐝 \u0001")
                .put("quickReplies", new JsonArray().add("退货运费").add(3).add(true).addNull())
                .put("flow", (Object) null).put("big", 12345678901234L).put("owner", Owner.BOT)
                .put("at", Instant.parse("2026-12-07T01:02:03.456Z")).put("bytes", new byte[]{1, 2, 3, (byte) 0xff})
                .put("nested", new JsonObject().put("list", List.of(1, "two", Map.of("k", "v"))).put("map", Map.of("a", 1)));
    }

    @Test
    void theProcessUsesIt() {
        assertInstanceOf(StreamingJsonFactory.Codec.class, Json.CODEC);
    }

    @Test
    void encodesLikeDatabind() {
        JsonObject f = frame();
        assertEquals(DATABIND.toString(f, false), f.encode());
        assertEquals(DATABIND.toString(f, true), f.encodePrettily());
        assertEquals(DATABIND.toBuffer(f, false), f.toBuffer());
        assertEquals(f, new JsonObject(f.encode()));
    }

    @Test
    void aJavaObjectFallsBackToDatabind() {
        JsonObject f = new JsonObject().put("type", "reply").put("card", new Card("Linen shirt", 199));
        String text = f.encode();
        assertEquals(DATABIND.toString(f, false), text);
        assertEquals("{\"type\":\"reply\",\"card\":{\"title\":\"Linen shirt\",\"price\":199}}", text);
        assertEquals(Buffer.buffer(text), f.toBuffer());
    }
}
