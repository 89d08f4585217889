package io.nectar.loadgen.engine;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/** {@link UserSocket} over Vert.x's WebSocket client. */
final class VertxUserSocket implements UserSocket {

    private final ClientWebSocket socket;

    VertxUserSocket(ClientWebSocket socket) {
        this.socket = socket;
        socket.exceptionHandler(t -> { });
    }

    @Override
    public void textHandler(Handler<String> handler) {
        socket.textMessageHandler(handler);
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
        socket.closeHandler(handler);
    }

    @Override
    public Future<Void> connect(RunContext.Target target, String uri, long timeoutMillis) {
        return socket.connect(new WebSocketConnectOptions().setHost(target.host()).setPort(target.port()).setSsl(target.ssl())
                .setURI(uri).setConnectTimeout(timeoutMillis)).mapEmpty();
    }

    @Override
    public void writeText(String text) {
        socket.writeTextMessage(text);
    }

    @Override
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public Short closeStatusCode() {
        return socket.closeStatusCode();
    }

    @Override
    public void close() {
        socket.close();
    }
}
