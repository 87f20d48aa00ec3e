package io.jk8s.kubelet.server;

import io.jk8s.netty.Splice;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Upstream's upgrade-aware proxy, for one client connection: sends the client's upgrade request
 * (method and headers: Connection, Upgrade, Sec-WebSocket-*, X-Stream-Protocol-Version …) to the
 * runtime's streaming URL, relays a 101 and then splices raw bytes both ways.
 *
 * <p>Any other answer is relayed as a complete response that ends the connection. That matters:
 * containerd 1.6 refuses a WebSocket subprotocol it does not know (kubectl 1.32 asks for
 * {@code v5.channel.k8s.io} and {@code SPDY/3.1+portforward.k8s.io}) with a bare
 * {@code 403} that has no length and never closes, which would leave the client reading its
 * body forever; a closed, length-delimited 403 is an upgrade failure, on which kubectl falls
 * back to SPDY.
 *
 * <p>Runs on the client channel's event loop; the backend channel shares it.
 */
final class UpgradeProxy {

    private static final Logger log = LoggerFactory.getLogger(UpgradeProxy.class);

    private UpgradeProxy() {
    }

    /** Starts proxying; the client channel must have auto-read off and an {@link HttpServerCodec}. */
    static void start(Channel client, HttpRequest request, URI target) {
        int port = target.getPort() > 0 ? target.getPort() : 80;
        new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel backend) {
                        backend.pipeline().addLast("http", new HttpClientCodec());
                        backend.pipeline().addLast("handshake", new Handshake(client, request, target));
                    }
                })
                .connect(target.getHost(), port).addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        log.warn("streaming server {} unreachable: {}", target.getAuthority(), f.cause().toString());
                        Responses.text(client, 502, "cannot reach the container runtime's streaming server: "
                                + f.cause().getMessage(), false);
                    }
                });
    }

    /** Headers that describe the client's hop to us, not the request itself. */
    private static boolean forwarded(String name) {
        return !(name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Authorization")
                || name.equalsIgnoreCase("Transfer-Encoding") || name.toLowerCase().startsWith("proxy-"));
    }

    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private final HttpRequest request;
        private final URI target;
        private HttpResponse refusal;
        private ByteBuf refusalBody;
        private boolean answered;

        Handshake(Channel client, HttpRequest request, URI target) {
            this.client = client;
            this.request = request;
            this.target = target;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            String uri = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            DefaultFullHttpRequest upstream = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri,
                    Unpooled.EMPTY_BUFFER);
            for (var header : request.headers()) {
                if (forwarded(header.getKey())) {
                    upstream.headers().add(header.getKey(), header.getValue());
                }
            }
            upstream.headers().set(HttpHeaderNames.HOST, target.getAuthority());
            ctx.writeAndFlush(upstream);
            // Close the client with us once streaming ends or the handshake failed.
            client.closeFuture().addListener(f -> ctx.channel().close());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpResponse response) {
                    if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                        switchToSplice(ctx, response);
                        return;
                    }
                    refusal = response;
                    refusalBody = Unpooled.buffer();
                    if (!HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
                        // Body delimited by close (containerd's bare 403): do not wait for it.
                        answerRefusal(ctx);
                    }
                } else if (msg instanceof HttpContent content && refusal != null && !answered) {
                    refusalBody.writeBytes(content.content());
                    if (content instanceof LastHttpContent) {
                        answerRefusal(ctx);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void switchToSplice(ChannelHandlerContext ctx, HttpResponse response) {
            answered = true;
            DefaultHttpResponse switching = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
            switching.headers().set(response.headers());
            client.writeAndFlush(switching);
            Channel backend = ctx.channel();
            client.pipeline().addLast("splice", new Splice(backend));
            client.pipeline().remove(KubeletHttpHandler.class);
            client.pipeline().remove(HttpServerCodec.class);
            backend.pipeline().addLast("splice", new Splice(client));
            backend.pipeline().remove(this);
            backend.pipeline().remove(HttpClientCodec.class);
            client.config().setAutoRead(true);
        }

        private void answerRefusal(ChannelHandlerContext ctx) {
            answered = true;
            ByteBuf body = refusalBody.readableBytes() > 0 ? refusalBody : Unpooled.copiedBuffer(
                    "the container runtime refused the upgrade: " + refusal.status() + "\n", StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, refusal.status(), body);
            HttpHeaders headers = response.headers();
            headers.set(refusal.headers());
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (!headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
                headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            }
            log.debug("streaming server refused {} {}: {}", request.method(), target.getPath(), refusal.status());
            client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!answered) {
                answered = true;
                if (refusal != null) {
                    answerRefusal(ctx);
                } else {
                    Responses.text(client, 502, "the container runtime's streaming server closed the connection", false);
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("streaming server connection failed: {}", cause.toString());
            ctx.close();
        }
    }
}
