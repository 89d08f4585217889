package io.nectar.gateway.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A chat WebSocket as the last handler of its Netty pipeline, after Netty's WebSocket frame codec
 * ({@link ChatUpgrade} puts it there). It answers pings and the closing handshake itself and hands
 * data frames to its {@link ChatSocket.Listener} inside the connection's Vert.x context, so the
 * conversation code sees the same event loop and context it would under Vert.x's own WebSocket.
 * Per connection it holds this object and Netty's channel, nothing more (docs/architecture.md).
 */
final class NettyChatSocket extends ChannelInboundHandlerAdapter implements ChatSocket {

    private static final Logger log = LoggerFactory.getLogger(NettyChatSocket.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** How long a close we started waits for the client's close frame before the TCP connection is closed anyway. */
    static final long CLOSE_WAIT_MILLIS = 2_000;
    static final short CLOSE_GOING_AWAY = 1001;

    private final ContextInternal context;
    private ChannelHandlerContext ctx;
    private Listener listener;
    private boolean closeSent;
    private boolean inactive;
    private boolean paused;
    private ScheduledFuture<?> closeTimer;

    NettyChatSocket(ContextInternal context) {
        this.context = context;
    }

    @Override
    public void listener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg); // the upgrade request's end, read just before the codec changed
            return;
        }
        try {
            if (frame instanceof CloseWebSocketFrame close) {
                if (!closeSent) {
                    closeSent = true; // echo the client's close, then close the connection (RFC 6455 5.5.1)
                    ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), null))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close(); // the client answered our close
                }
            } else if (frame instanceof PingWebSocketFrame) {
                if (!closeSent) {
                    ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
                }
            } else if (!(frame instanceof PongWebSocketFrame) && !closeSent && listener != null) {
                context.dispatch(frame, listener::frame);
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        inactive = true;
        if (closeTimer != null) {
            closeTimer.cancel(false);
            closeTimer = null;
        }
        if (listener != null) {
            context.dispatch(null, v -> listener.closed());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            close(CLOSE_GOING_AWAY, "idle");
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a protocol violation (unmasked or oversize frame...) was already answered by the codec with a close frame
        log.debug("websocket {}: {}", remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(ctx.channel().remoteAddress());
    }

    @Override
    public boolean isClosed() {
        return closeSent || inactive;
    }

    @Override
    public void writeText(String text) {
        if (!isClosed()) {
            ctx.writeAndFlush(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ctx.alloc(), text)));
        }
    }

    /**
     * Writes the frame's JSON as UTF-8 straight into the outgoing buffer, with no string in between. A
     * value only databind can write (a Java object in the frame) goes through {@link JsonObject#encode}.
     */
    @Override
    public void writeJson(JsonObject frame) {
        if (isClosed()) {
            return;
        }
        ByteBuf buf = ctx.alloc().buffer();
        try (JsonGenerator g = JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(buf))) {
            JacksonCodec.encodeJson(frame, g);
        } catch (EncodeException | IOException notStreamable) {
            buf.release();
            writeText(frame.encode());
            return;
        }
        ctx.writeAndFlush(new TextWebSocketFrame(buf));
    }

    @Override
    public boolean writeQueueFull() {
        return !ctx.channel().isWritable();
    }

    @Override
    public void pauseUntilDrained() {
        if (!ctx.channel().isWritable()) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void close(short code, String reason) {
        if (isClosed()) {
            return;
        }
        closeSent = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason));
        closeTimer = ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
