package io.nectar.loadgen.engine;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * A WebSocket client of a Netty channel, its HTTP codec for the handshake and then the frame codec, on the
 * user's own event loop: what an idle connection keeps is the channel, the codec and this object, about a
 * tenth of Vert.x's client connection (which also keeps two 1,024-slot queues). Text frames only (no
 * TLS, no extensions), which is what the chat protocol needs; the server's pings are answered.
 */
final class NettyUserSocket implements UserSocket {

    /** Largest frame read, as Vert.x's client is configured in {@link Engine}. */
    private static final int MAX_FRAME = 1 << 20;

    private final ContextInternal context;
    private final ChannelFactory<? extends Channel> channels;
    private final String localAddress;
    private final SourcePorts ports;
    private Handler<String> textHandler = t -> { };
    private Handler<Void> closeHandler = v -> { };
    private Channel channel;
    private boolean open;
    private boolean closed;
    private Short closeStatus;
    private StringBuilder fragments;

    /**
     * @param localAddress source address to bind, or {@code null} to let the kernel choose address and port
     * @param ports        the source ports of a bound connection ({@link SourcePorts}); unused without an address
     */
    NettyUserSocket(ContextInternal context, ChannelFactory<? extends Channel> channels, String localAddress, SourcePorts ports) {
        this.context = context;
        this.channels = channels;
        this.localAddress = localAddress;
        this.ports = ports;
    }

    @Override
    public void textHandler(Handler<String> handler) {
        this.textHandler = handler;
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
        this.closeHandler = handler;
    }

    @Override
    public Future<Void> connect(RunContext.Target target, String uri, long timeoutMillis) {
        PromiseInternal<Void> connected = context.promise();
        if (target.ssl()) {
            return context.failedFuture("the netty transport speaks ws:// only, not " + target);
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                URI.create("ws://" + target.host() + ":" + target.port() + uri), WebSocketVersion.V13, null, false,
                EmptyHttpHeaders.INSTANCE, MAX_FRAME, true, false, 10_000, false, false);
        Bootstrap b = new Bootstrap().group(context.nettyEventLoop()).channelFactory(channels)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, localAddress != null)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("http", new HttpClientCodec())
                                .addLast("aggregator", new HttpObjectAggregator(8192))
                                .addLast("user", new Frames(handshaker, connected));
                    }
                });
        attempt(b, new InetSocketAddress(target.host(), target.port()), connected, SourcePorts.ATTEMPTS);
        return connected.future();
    }

    /** Connects, from the next chosen source port when bound; a port found taken moves on to the next one. */
    private void attempt(Bootstrap b, InetSocketAddress remote, PromiseInternal<Void> connected, int attemptsLeft) {
        var future = localAddress == null ? b.connect(remote)
                : b.connect(remote, ports.next(localAddress, remote.getHostString() + ':' + remote.getPort()));
        channel = future.channel();
        future.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                return;
            }
            if (localAddress != null && !closed && attemptsLeft > 1 && SourcePorts.taken(f.cause())) {
                attempt(b, remote, connected, attemptsLeft - 1);
            } else {
                closed = true;
                context.dispatch(v -> connected.tryFail(f.cause()));
            }
        });
    }

    @Override
    public void writeText(String text) {
        if (open && !closed) {
            channel.writeAndFlush(new TextWebSocketFrame(text), channel.voidPromise());
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Short closeStatusCode() {
        return closeStatus;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        if (open) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, null)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** The channel's last handler: the handshake's response, then frames. On the user's event loop. */
    private final class Frames extends ChannelInboundHandlerAdapter {
        private WebSocketClientHandshaker handshaker;
        private final PromiseInternal<Void> connected;

        Frames(WebSocketClientHandshaker handshaker, PromiseInternal<Void> connected) {
            this.handshaker = handshaker;
            this.connected = connected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (closed) {
                ctx.close();   // closed by its user while connecting
                return;
            }
            handshaker.handshake(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (handshaker != null) {
                    if (msg instanceof FullHttpResponse response) {
                        handshake(ctx, response);
                    }
                } else if (msg instanceof TextWebSocketFrame text) {
                    if (text.isFinalFragment()) {
                        deliver(text.text());
                    } else {
                        fragments = new StringBuilder(text.text());
                    }
                } else if (msg instanceof ContinuationWebSocketFrame more && fragments != null) {
                    fragments.append(more.text());
                    if (more.isFinalFragment()) {
                        String whole = fragments.toString();
                        fragments = null;
                        deliver(whole);
                    }
                } else if (msg instanceof PingWebSocketFrame ping) {
                    ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()), ctx.voidPromise());
                } else if (msg instanceof CloseWebSocketFrame close) {
                    int code = close.statusCode();
                    closeStatus = code < 0 ? null : (short) code;
                    if (closed) {
                        ctx.close();   // the answer to our own close frame
                    } else {
                        closed = true;
                        ctx.writeAndFlush(code < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, null))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void handshake(ChannelHandlerContext ctx, FullHttpResponse response) {
            WebSocketClientHandshaker h = handshaker;
            handshaker = null;
            try {
                h.finishHandshake(ctx.channel(), response);
            } catch (WebSocketHandshakeException e) {
                MultiMap headers = MultiMap.caseInsensitiveMultiMap();
                response.headers().forEach(en -> headers.add(en.getKey(), en.getValue()));
                closed = true;
                ctx.close();
                context.dispatch(v -> connected.tryFail(new UpgradeRejectedException(e.getMessage(),
                        response.status().code(), headers, null)));
                return;
            }
            open = true;
            context.dispatch(v -> connected.tryComplete());
        }

        private void deliver(String text) {
            if (!closed) {
                context.dispatch(text, textHandler);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            boolean wasOpen = open;
            closed = true;
            open = false;
            if (wasOpen) {
                context.dispatch(closeHandler);
            } else {
                context.dispatch(v -> connected.tryFail("connection closed before the handshake completed"));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
