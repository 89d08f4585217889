package io.nectar.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Reassembles fragmented WebSocket messages under a byte limit. The transport reads frames up to a
 * larger hard cap, so a message over our limit is still read whole and the connection can be closed
 * cleanly with 1009 (message too big) instead of being cut mid-frame. Used by one connection on its
 * event loop; not thread-safe. Frames belong to the caller: what is kept of a fragmented message is
 * copied to the heap.
 */
final class FrameAssembler {

    interface Sink {
        void text(String message);

        void binary(int bytes);

        void tooBig(long bytes);
    }

    private final int maxBytes;
    private final Sink sink;
    private ByteBuf partial;
    private boolean partialIsText;
    private boolean discarding;

    FrameAssembler(int maxBytes, Sink sink) {
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    /** A data frame (control frames are answered by the transport and never come here). */
    void frame(WebSocketFrame f) {
        if (discarding) {
            return;
        }
        ByteBuf data = f.content();
        if (f instanceof TextWebSocketFrame || f instanceof BinaryWebSocketFrame) {
            partial = null;
            partialIsText = f instanceof TextWebSocketFrame;
            if (data.readableBytes() > maxBytes) {
                tooBig(data.readableBytes());
                return;
            }
            if (f.isFinalFragment()) {
                emit(data);
            } else {
                partial = Unpooled.buffer(Math.min(maxBytes, data.readableBytes() * 2), maxBytes).writeBytes(data);
            }
            return;
        }
        if (f instanceof ContinuationWebSocketFrame) {
            if (partial == null) {
                return; // a continuation without a start: nothing to continue
            }
            if ((long) partial.readableBytes() + data.readableBytes() > maxBytes) {
                tooBig((long) partial.readableBytes() + data.readableBytes());
                return;
            }
            partial.writeBytes(data);
            if (f.isFinalFragment()) {
                ByteBuf whole = partial;
                partial = null;
                emit(whole);
            }
        }
    }

    private void emit(ByteBuf data) {
        if (partialIsText) {
            sink.text(data.toString(StandardCharsets.UTF_8));
        } else {
            sink.binary(data.readableBytes());
        }
    }

    private void tooBig(long bytes) {
        partial = null;
        discarding = true;
        sink.tooBig(bytes);
    }
}
