package io.nectar.gateway.ws;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * What a {@link ChatConnection} needs of its WebSocket: the transport seam. The one implementation,
 * {@link NettyChatSocket}, is a Netty handler on the connection's event loop (docs/architecture.md,
 * "The chat socket"); every method here is called on that event loop.
 */
interface ChatSocket {

    /** What the connection learns once, at the upgrade: the request URI and the two headers it checks. */
    record Opening(String uri, String origin, String host) {
    }

    /** Events from the transport, delivered on the connection's event loop with its Vert.x context current. */
    interface Listener {
        /** A data frame (text, binary or continuation); the transport releases it when this returns. */
        void frame(WebSocketFrame frame);

        /** The socket closed, whoever closed it; called once. */
        void closed();
    }

    void listener(Listener listener);

    String remoteAddress();

    /** Whether a close was started (by either side) or the socket is gone: nothing more is sent. */
    boolean isClosed();

    void writeText(String text);

    /** Writes a frame as one text message of its JSON. */
    void writeJson(io.vertx.core.json.JsonObject frame);

    /** Whether more written data waits than the socket's high-water mark allows. */
    boolean writeQueueFull();

    /** Stops reading from the client until what was written has drained below the low-water mark. */
    void pauseUntilDrained();

    /** Sends a close frame with this code and reason, then closes the connection (RFC 6455 section 7). */
    void close(short code, String reason);
}
