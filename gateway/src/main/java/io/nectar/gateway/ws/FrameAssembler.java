package io.nectar.gateway.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * Reassembles fragmented WebSocket messages under a byte limit. The transport reads frames up to a
 * larger hard cap, so a message over our limit is still read whole and the connection can be closed
 * cleanly with 1009 (message too big) instead of being cut mid-frame. Used by one connection on its
 * event loop; not thread-safe.
 */
final class FrameAssembler {

    interface Sink {
        void text(String message);

        void binary(int bytes);

        void tooBig(long bytes);
    }

    private final int maxBytes;
    private final Sink sink;
    private Buffer partial;
    private boolean partialIsText;
    private boolean discarding;

    FrameAssembler(int maxBytes, Sink sink) {
        this.maxBytes = maxBytes;
        this.sink = sink;
    }

    void frame(WebSocketFrame f) {
        if (f.isClose() || f.isPing() || f.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
            return; // control frames are handled by the transport
        }
        if (discarding) {
            return;
        }
        Buffer data = f.binaryData();
        if (f.isText() || f.isBinary()) {
            partial = null;
            partialIsText = f.isText();
            if (data.length() > maxBytes) {
                tooBig(data.length());
                return;
            }
            if (f.isFinal()) {
                emit(data);
            } else {
                partial = Buffer.buffer(Math.min(maxBytes, data.length() * 2)).appendBuffer(data);
            }
            return;
        }
        if (f.isContinuation()) {
            if (partial == null) {
                return; // a continuation without a start: nothing to continue
            }
            if ((long) partial.length() + data.length() > maxBytes) {
                tooBig((long) partial.length() + data.length());
                return;
            }
            partial.appendBuffer(data);
            if (f.isFinal()) {
                Buffer whole = partial;
                partial = null;
                emit(whole);
            }
        }
    }

    private void emit(Buffer data) {
        if (partialIsText) {
            sink.text(data.toString(StandardCharsets.UTF_8));
        } else {
            sink.binary(data.length());
        }
    }

    private void tooBig(long bytes) {
        partial = null;
        discarding = true;
        sink.tooBig(bytes);
    }
}
