package io.jk8s.apiserver.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns each aggregated HTTP request into an {@link ApiRequest} and runs the handler on a virtual
 * thread. Requests of one connection are served in order (HTTP/1.1 has no multiplexing), so the
 * next one starts when the previous response is complete.
 */
public final class HttpChannelHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpChannelHandler.class);

    private final RequestHandler handler;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private final List<NettyResponder> open = new CopyOnWriteArrayList<>();

    public HttpChannelHandler(RequestHandler handler, Executor executor) {
        this.handler = handler;
        this.executor = executor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        QueryStringDecoder qs = new QueryStringDecoder(msg.uri());
        byte[] body = ByteBufUtil.getBytes(msg.content());
        HttpHeaders headers = new DefaultHttpHeaders().set(msg.headers());
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        ApiRequest req = new ApiRequest(msg.method().name(), qs.path(), qs.parameters(), headers, body,
                peerCertificates(ssl), ssl != null, null);
        NettyResponder responder = new NettyResponder(ctx, keepAlive, msg.protocolVersion());
        if ("websocket".equalsIgnoreCase(headers.get(HttpHeaderNames.UPGRADE))) {
            responder.upgradeRequest = new DefaultFullHttpRequest(msg.protocolVersion(), msg.method(), msg.uri(),
                    Unpooled.EMPTY_BUFFER, headers, new DefaultHttpHeaders());
        }
        open.add(responder);
        tail = tail.thenCompose(ignored -> {
            executor.execute(() -> run(req, responder));
            return responder.done;
        });
    }

    private void run(ApiRequest req, NettyResponder responder) {
        try {
            handler.handle(req, responder);
        } catch (Throwable t) {
            log.error("unhandled failure serving {} {}", req.method(), req.path(), t);
        } finally {
            if (!responder.started()) {
                responder.send(500, "application/json",
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"internal error\",\"reason\":\"InternalError\",\"code\":500}"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static List<X509Certificate> peerCertificates(SslHandler ssl) {
        if (ssl == null) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : ssl.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) out.add(x);
            }
            return out;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (NettyResponder r : open) {
            r.closed();
        }
        open.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** After an upgrade: answers pings, closes on the client's close frame, ignores the rest. */
    private static final class WebSocketInbound extends SimpleChannelInboundHandler<WebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.close();
            }
        }
    }

    /** The responder of one request. */
    private final class NettyResponder implements Responder, ResponseStream {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final HttpVersion version;
        private final HttpHeaders extra = new DefaultHttpHeaders();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicBoolean started = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
        /** Set when the client asked for a WebSocket: streams are then sent as WebSocket frames (fabric8 watches). */
        private FullHttpRequest upgradeRequest;
        private volatile boolean websocket;

        NettyResponder(ChannelHandlerContext ctx, boolean keepAlive, HttpVersion version) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.version = version;
        }

        @Override
        public void header(String name, String value) {
            extra.add(name, value);
        }

        @Override
        public void send(int status, String contentType, byte[] body) {
            if (!started.compareAndSet(false, true)) {
                throw new IllegalStateException("response already started");
            }
            FullHttpResponse res = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(status),
                    Unpooled.wrappedBuffer(body));
            res.headers().set(extra);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            finish(ctx.writeAndFlush(res));
        }

        private void finish(io.netty.channel.ChannelFuture f) {
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
            ended.set(true);
            open.remove(this);
            runOnClose();
            done.complete(null);
        }

        @Override
        public ResponseStream stream(int status, String contentType) {
            if (!started.compareAndSet(false, true)) {
                throw new IllegalStateException("response already started");
            }
            if (upgradeRequest != null && status == 200) {
                upgradeToWebSocket();
                return this;
            }
            HttpResponse res = new DefaultHttpResponse(version, HttpResponseStatus.valueOf(status));
            res.headers().set(extra);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            ctx.writeAndFlush(res);
            return this;
        }

        private void upgradeToWebSocket() {
            String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                    scheme + upgradeRequest.headers().get(HttpHeaderNames.HOST) + upgradeRequest.uri(), "*", true, 1 << 20)
                    .newHandshaker(upgradeRequest);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                closed();
                return;
            }
            try {
                // The handshake rewires the pipeline: do it on the event loop, and wait so that frames follow it.
                ctx.executor().submit(() -> hs.handshake(ctx.channel(), upgradeRequest)).get().syncUninterruptibly();
                websocket = true;
                ctx.pipeline().addLast("ws-inbound", new WebSocketInbound());
            } catch (Exception e) {
                log.debug("websocket handshake failed", e);
                ctx.close();
                closed();
            }
        }

        @Override
        public boolean started() {
            return started.get();
        }

        @Override
        public java.util.Optional<RawConnection> rawConnection() {
            return java.util.Optional.of(new RawConnection() {
                @Override
                public io.netty.channel.EventLoop eventLoop() {
                    return ctx.channel().eventLoop();
                }

                @Override
                public io.netty.channel.Channel channel() {
                    return ctx.channel();
                }

                @Override
                public void switchProtocols(HttpResponse head, io.netty.channel.ChannelHandler raw) {
                    switchTo(head, raw);
                }
            });
        }

        /** Sends the 101 through the codec, then hands the connection's bytes to {@code raw}. */
        private void switchTo(HttpResponse head, io.netty.channel.ChannelHandler raw) {
            if (!ctx.executor().inEventLoop()) {
                throw new IllegalStateException("switchProtocols must run on the connection's event loop");
            }
            if (!started.compareAndSet(false, true)) {
                throw new IllegalStateException("response already started");
            }
            ctx.writeAndFlush(head);
            // Same event-loop task: no client byte can be read between the 101 and the new handler.
            io.netty.channel.ChannelPipeline p = ctx.pipeline();
            p.addLast("raw", raw);
            for (Class<? extends io.netty.channel.ChannelHandler> http : List.of(io.netty.handler.codec.http.HttpObjectAggregator.class,
                    io.netty.handler.codec.http.HttpServerKeepAliveHandler.class, io.netty.handler.codec.http.HttpServerCodec.class)) {
                if (p.get(http) != null) p.remove(http);
            }
            p.remove(HttpChannelHandler.this);
            ended.set(true);
            open.remove(this);
            runOnClose();
            done.complete(null);
        }

        @Override
        public boolean write(byte[] chunk) {
            if (ended.get() || !ctx.channel().isActive()) {
                return false;
            }
            if (websocket) {
                int len = chunk.length > 0 && chunk[chunk.length - 1] == '\n' ? chunk.length - 1 : chunk.length;
                ctx.channel().writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(chunk, 0, len)));
            } else {
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
            }
            return true;
        }

        @Override
        public void close() {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            if (websocket) {
                ctx.channel().writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                open.remove(this);
                runOnClose();
                done.complete(null);
            } else {
                io.netty.channel.ChannelFuture f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                if (!keepAlive) {
                    f.addListener(ChannelFutureListener.CLOSE);
                }
                open.remove(this);
                runOnClose();
                done.complete(null);
            }
        }

        /** The connection went away. */
        void closed() {
            if (ended.compareAndSet(false, true)) {
                runOnClose();
                done.complete(null);
            }
        }

        private void runOnClose() {
            for (Runnable r : onClose) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("stream close action failed", e);
                }
            }
            onClose.clear();
        }

        @Override
        public boolean isOpen() {
            return !ended.get() && ctx.channel().isActive();
        }

        @Override
        public void onClose(Runnable action) {
            if (ended.get()) {
                action.run();
            } else {
                onClose.add(action);
                if (ended.get() && onClose.remove(action)) {
                    action.run();
                }
            }
        }

        @Override
        public long backlogBytes() {
            return ctx.channel().unsafe().outboundBuffer() == null ? 0
                    : ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes();
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            return ctx.executor().schedule(task, delay, unit);
        }
    }
}
