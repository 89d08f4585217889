package io.nectar.gateway.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON codec for this process (registered in {@code META-INF/services/io.vertx.core.spi.JsonFactory},
 * ahead of Vert.x's own): {@code JsonObject.encode()} and {@code toBuffer()} write with Jackson's streaming
 * generator instead of going through databind's serializers. With jackson-databind on the class path Vert.x
 * encodes every {@code JsonObject} through {@code ObjectMapper} (serializer lookups for each map and value);
 * the streaming writer gives the same text for the JSON types (objects, arrays, strings, numbers, booleans,
 * null, {@code Instant}, {@code byte[]}, {@code Buffer}, enums) at about half the CPU, and frames are encoded
 * several times per answered message (the reply, the shopper's echo and the conversation's state for the
 * store, the reply again for the socket). A value the streaming writer does not know (a Java object put
 * into a {@code JsonObject}) falls back to databind, so nothing encodes differently. Decoding and
 * {@code mapTo}/{@code mapFrom} stay databind's. Decision 108.
 */
public final class StreamingJsonFactory implements JsonFactory {

    private static final JsonCodec CODEC = new Codec();

    /** Ahead of Vert.x's factory, which has the highest order (the lowest order wins). */
    @Override
    public int order() {
        return 0;
    }

    @Override
    public JsonCodec codec() {
        return CODEC;
    }

    /** Databind's codec with the streaming writer for encoding. */
    static final class Codec extends DatabindCodec {

        private static final JacksonCodec STREAMING = new JacksonCodec();

        @Override
        public String toString(Object object, boolean pretty) throws EncodeException {
            try {
                return STREAMING.toString(object, pretty);
            } catch (EncodeException notJson) {
                return super.toString(object, pretty);
            }
        }

        @Override
        public Buffer toBuffer(Object object, boolean pretty) throws EncodeException {
            try {
                return STREAMING.toBuffer(object, pretty);
            } catch (EncodeException notJson) {
                return super.toBuffer(object, pretty);
            }
        }
    }
}
