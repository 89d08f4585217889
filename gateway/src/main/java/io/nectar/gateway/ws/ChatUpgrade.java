package io.nectar.gateway.ws;

import io.nectar.gateway.GatewayServices;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Turns an HTTP request for the chat endpoint into a chat WebSocket on the same connection, without
 * Vert.x's WebSocket: Netty's handshaker swaps the HTTP codec for the WebSocket frame codec, and a
 * {@link NettyChatSocket} replaces Vert.x's connection handler. Vert.x's HTTP connection, the upgrade
 * request and their buffers become garbage; what an idle conversation keeps is Netty's channel, the
 * frame codec and the conversation's own objects (decision 103 in docs/decisions.md: Vert.x 5 keeps
 * two 1,024-slot queues, ~9.5 KB, per WebSocket). Runs on the connection's event loop.
 */
public final class ChatUpgrade {

    private static final Logger log = LoggerFactory.getLogger(ChatUpgrade.class);

    private final GatewayServices services;
    private final WebSocketServerHandshakerFactory handshakers;

    public ChatUpgrade(GatewayServices services, String path) {
        this.services = services;
        // the transport reads up to 4x our limit so an oversize message is read whole and refused with a
        // clean 1009 close; FrameAssembler enforces the real limit. No extensions: permessage-deflate
        // would keep a zlib window per idle conversation for replies of a few hundred bytes
        WebSocketDecoderConfig frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(services.config().maxFrameBytes() * 4)
                .allowExtensions(false)
                .build();
        this.handshakers = new WebSocketServerHandshakerFactory(path, null, frames);
    }

    /** Whether the request asks for a WebSocket (as Vert.x decides it). */
    public static boolean isUpgrade(HttpServerRequest req) {
        return req.headers().contains(HttpHeaderNames.UPGRADE, "websocket", true);
    }

    /** Answers the upgrade once the request has been read whole (its end is the last thing Vert.x reads). */
    public void upgrade(HttpServerRequest req) {
        ContextInternal context = (ContextInternal) io.vertx.core.Vertx.currentContext();
        ChatSocket.Opening opening = new ChatSocket.Opening(req.uri(), req.getHeader("Origin"), req.getHeader("Host"));
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, req.uri(),
                Unpooled.EMPTY_BUFFER, copy(req), EmptyHttpHeaders.INSTANCE);
        WebSocketServerHandshaker handshaker = handshakers.newHandshaker(request);
        if (handshaker == null || req.method() != io.vertx.core.http.HttpMethod.GET) {
            req.response().setStatusCode(handshaker == null ? 426 : 405).putHeader("Sec-WebSocket-Version", "13").end();
            return;
        }
        ChannelHandlerContext http = ((ConnectionBase) req.connection()).channelHandlerContext();
        req.endHandler(v -> {
            Channel channel = http.channel();
            NettyChatSocket socket = new NettyChatSocket(context);
            try {
                handshaker.handshake(channel, request);
                channel.pipeline().replace("handler", "chat", socket);
            } catch (RuntimeException e) {
                log.debug("chat upgrade from {} failed: {}", channel.remoteAddress(), e.toString());
                channel.close();
                return;
            }
            channel.config().setAutoRead(true);
            new ChatConnection(socket, services).start(opening);
        });
    }

    private static HttpHeaders copy(HttpServerRequest req) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
        return headers;
    }
}
