package io.jk8s.apiserver.proxy;

import io.jk8s.apiserver.http.TlsContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in kubelet for unit tests: HTTPS requiring a client certificate from the test CA.
 * {@code /containerLogs/...} answers "one\n" and keeps the stream open for {@link #sendLogLine} /
 * {@link #endLogs}; {@code /exec/...} refuses WebSocket upgrades (400) and accepts SPDY with a 101,
 * then echoes every byte.
 */
final class FakeKubelet implements AutoCloseable {

    record Seen(String method, String uri, String clientSubject, io.netty.handler.codec.http.HttpHeaders headers) {}

    final List<Seen> requests = new CopyOnWriteArrayList<>();
    final List<Channel> logStreams = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    FakeKubelet(Path cert, Path key, Path clientCa) throws Exception {
        SslContext ssl = SslContextBuilder.forServer(TlsContexts.readPrivateKey(key),
                        TlsContexts.readCertificates(cert).toArray(X509Certificate[]::new))
                .trustManager(TlsContexts.readCertificates(clientCa).toArray(X509Certificate[]::new))
                .clientAuth(ClientAuth.REQUIRE).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("app", new Handler());
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void sendLogLine(String line) {
        for (Channel c : logStreams) c.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(line, StandardCharsets.UTF_8)));
    }

    void endLogs() {
        for (Channel c : logStreams) c.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            try {
                if (!(msg instanceof HttpRequest req)) return;
                String subject = ((X509Certificate) ctx.pipeline().get(SslHandler.class).engine().getSession()
                        .getPeerCertificates()[0]).getSubjectX500Principal().getName();
                requests.add(new Seen(req.method().name(), req.uri(), subject, req.headers().copy()));
                if (req.uri().startsWith("/containerLogs/default/gone/")) {
                    text(ctx, HttpResponseStatus.NOT_FOUND, "container \"c\" in pod \"gone\" is not available");
                } else if (req.uri().startsWith("/containerLogs/")) {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain")
                            .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                    // Known before "one" leaves: a test that reads "one" then sends the next line must find this stream.
                    logStreams.add(ctx.channel());
                    ctx.write(head);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("one\n", StandardCharsets.UTF_8)));
                } else if ("websocket".equalsIgnoreCase(req.headers().get(HttpHeaderNames.UPGRADE))) {
                    text(ctx, HttpResponseStatus.BAD_REQUEST, "websocket upgrades are not supported here");
                } else if (req.headers().contains(HttpHeaderNames.UPGRADE)) {
                    HttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
                    ok.headers().set(HttpHeaderNames.CONNECTION, "Upgrade").set(HttpHeaderNames.UPGRADE, "SPDY/3.1")
                            .set("X-Stream-Protocol-Version", req.headers().get("X-Stream-Protocol-Version", "v4.channel.k8s.io"));
                    ctx.writeAndFlush(ok);
                    ctx.pipeline().remove("http");
                    ctx.pipeline().replace(this, "echo", new Echo());
                } else {
                    text(ctx, HttpResponseStatus.BAD_REQUEST, "Upgrade request required");
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void text(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
            ctx.writeAndFlush(r);
        }
    }

    /** After the 101: every byte comes back. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) ctx.writeAndFlush(b);
            else ReferenceCountUtil.release(msg);
        }
    }
}
