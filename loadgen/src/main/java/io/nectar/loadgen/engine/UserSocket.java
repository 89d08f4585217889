package io.nectar.loadgen.engine;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * The one WebSocket a virtual user talks over. Two transports: Vert.x's WebSocket client (the default:
 * what a Vert.x service would use) and {@link NettyUserSocket}, a lean Netty client for tests that hold
 * hundreds of thousands of idle connections, where Vert.x's ~14 KB per client connection is most of the
 * generator's memory (docs/loadgen.md). Every method and handler runs on the user's event loop.
 */
interface UserSocket {

    /** Which client a run's users connect with ({@code --transport}). */
    enum Transport {
        VERTX, NETTY;

        static Transport parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "vertx" -> VERTX;
                case "netty" -> NETTY;
                default -> throw new IllegalArgumentException("transport must be vertx or netty, was " + s);
            };
        }
    }

    /** Text frames from the server, whole. */
    void textHandler(Handler<String> handler);

    /** Called once when the connection closes, for whatever reason. */
    void closeHandler(Handler<Void> handler);

    /** Opens the connection and completes when the handshake did (then the server's first frame may follow at once). */
    Future<Void> connect(RunContext.Target target, String uri, long timeoutMillis);

    void writeText(String text);

    boolean isClosed();

    /** The status code of the server's close frame, or {@code null}. */
    Short closeStatusCode();

    /** Closes the connection (a close frame, then the socket). */
    void close();
}
