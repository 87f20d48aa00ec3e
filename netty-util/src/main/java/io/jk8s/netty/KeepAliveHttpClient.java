package io.jk8s.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * POSTs ready-made bodies to one HTTP(S) server over pooled keep-alive HTTP/1.1 connections, one request in
 * flight per connection, and answers the status code; a response body is kept only for failures (status
 * >= 300), for the caller's error message. Meant for a component's hot, fire-and-check writes (the
 * scheduler's bindings and events), where a general client's request building, executor hand-offs and
 * response decoding cost more than the request itself.
 *
 * <p>Callers block (they are expected to be virtual threads); at most {@code maxConnections} requests run
 * at once and each gets its own connection, so a slow request never holds up another one (the server
 * handles one connection's requests in order). One event-loop thread does all I/O.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** The outcome of one request: the status and, when it is >= 300, the body (at most 64 KB, UTF-8). */
    public record Response(int status, String body) {
        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final String host;
    private final int port;
    private final String hostHeader;
    private final Map<String, String> fixedHeaders;
    private final Supplier<String> authorization;
    private final Duration requestTimeout;
    private final EventLoopGroup loop;
    private final Bootstrap bootstrap;
    private final Semaphore inFlight;
    /** Idle connections, most recently used first (so a few stay hot and the rest may be closed by the server). */
    private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * @param base           the server, {@code http://host:port} or {@code https://host:port}; request paths are absolute
     * @param ssl            the client TLS context for {@code https} (trust and client certificate); null for {@code http}
     * @param verifyHostname check the server certificate's names against the host (HTTPS endpoint identification)
     * @param fixedHeaders   sent with every request (e.g. User-Agent, Accept)
     * @param authorization  the {@code Authorization} header value per request, or null (asked every request: tokens rotate)
     * @param maxConnections requests (and connections) at most at once; more callers wait
     * @param connectTimeout TCP connect timeout
     * @param requestTimeout from writing the request to the end of the response; the connection is closed on expiry
     * @param threadName     name of the event-loop thread
     */
    public KeepAliveHttpClient(URI base, SslContext ssl, boolean verifyHostname, Map<String, String> fixedHeaders,
                               Supplier<String> authorization, int maxConnections, Duration connectTimeout,
                               Duration requestTimeout, String threadName) {
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        if (!https && !"http".equalsIgnoreCase(base.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL: " + base);
        }
        if (https && ssl == null) {
            throw new IllegalArgumentException("https needs a TLS context: " + base);
        }
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
        this.hostHeader = base.getPort() > 0 ? base.getRawAuthority() : host;
        this.fixedHeaders = Map.copyOf(fixedHeaders);
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        this.inFlight = new Semaphore(maxConnections);
        this.loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), NioIoHandler.newFactory());
        SslContext tls = https ? ssl : null;
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            SslHandler handler = tls.newHandler(ch.alloc(), host, port);
                            if (verifyHostname) {
                                SSLEngine engine = handler.engine();
                                SSLParameters params = engine.getSSLParameters();
                                params.setEndpointIdentificationAlgorithm("HTTPS");
                                engine.setSSLParameters(params);
                            }
                            ch.pipeline().addLast("tls", handler);
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("response", new ResponseHandler());
                    }
                });
    }

    /** Where request bodies are best allocated (pooled; {@link #post} releases them once written). */
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    /**
     * POSTs {@code body} (released by this call) to {@code path} and waits for the response.
     *
     * @throws IOException when the connection fails, closes before the response, or the request times out
     */
    public Response post(String path, String contentType, ByteBuf body) throws IOException {
        boolean permitted = false;
        Channel channel = null;
        boolean reusable = false;
        try {
            if (closed) {
                throw new IOException("client closed");
            }
            inFlight.acquire();
            permitted = true;
            channel = acquireChannel();
            ResponseHandler handler = channel.pipeline().get(ResponseHandler.class);
            CompletableFuture<Response> response = new CompletableFuture<>();
            handler.expect(response);
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, body);
            body = null; // owned by the request now
            try {
                HttpHeaders headers = request.headers();
                headers.set(HttpHeaderNames.HOST, hostHeader);
                fixedHeaders.forEach(headers::set);
                String auth = authorization == null ? null : authorization.get();
                if (auth != null) {
                    headers.set(HttpHeaderNames.AUTHORIZATION, auth);
                }
                headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
            } catch (RuntimeException e) {
                request.release(); // never written: nobody else frees the body
                throw e;
            }
            channel.writeAndFlush(request).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    response.completeExceptionally(f.cause());
                }
            });
            Response r = response.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            reusable = handler.reusable();
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: POST " + path);
        } catch (TimeoutException e) {
            throw new IOException("no response to POST " + path + " within " + requestTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        } finally {
            if (body != null) {
                body.release();
            }
            if (channel != null) {
                release(channel, reusable);
            }
            if (permitted) {
                inFlight.release();
            }
        }
    }

    private Channel acquireChannel() throws IOException, InterruptedException {
        for (Channel c; (c = idle.pollFirst()) != null; ) {
            if (c.isActive()) {
                return c;
            }
        }
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        bootstrap.connect(host, port).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                connected.complete(f.channel());
            } else {
                connected.completeExceptionally(f.cause());
            }
        });
        try {
            return connected.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
    }

    private void release(Channel channel, boolean reusable) {
        if (reusable && channel.isActive() && !closed) {
            idle.offerFirst(channel);
            if (closed && idle.remove(channel)) {
                channel.close();
            }
        } else {
            channel.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Channel c; (c = idle.pollFirst()) != null; ) {
            c.close();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }

    /** Completes the current request's future at the end of its response; keeps the body only for failures. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
        private volatile CompletableFuture<Response> current;
        private int status;
        private ByteBuf errorBody;
        private volatile boolean keepAlive;

        void expect(CompletableFuture<Response> response) {
            current = response;
        }

        /**
         * True when the last response said keep-alive and the connection is still usable; read by the caller right
         * after its response completed (and before the connection is handed to anyone else).
         */
        boolean reusable() {
            return keepAlive;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                keepAlive = HttpUtil.isKeepAlive(r);
                if (status >= 300) {
                    errorBody = ctx.alloc().heapBuffer();
                }
            }
            if (msg instanceof HttpContent c) {
                if (errorBody != null && errorBody.readableBytes() < MAX_ERROR_BODY) {
                    ByteBuf content = c.content();
                    errorBody.writeBytes(content, content.readerIndex(),
                            Math.min(content.readableBytes(), MAX_ERROR_BODY - errorBody.readableBytes()));
                }
                if (msg instanceof LastHttpContent) {
                    String body = "";
                    if (errorBody != null) {
                        body = errorBody.toString(StandardCharsets.UTF_8);
                        errorBody.release();
                        errorBody = null;
                    }
                    // Decided before completing: once completed, the connection may already serve the next request.
                    boolean close = !keepAlive;
                    CompletableFuture<Response> done = current;
                    current = null;
                    if (done != null) {
                        done.complete(new Response(status, body));
                    }
                    if (close) {
                        ctx.close();
                    }
                }
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            keepAlive = false;
            fail(new IOException("connection closed before the response"));
            if (errorBody != null) {
                errorBody.release();
                errorBody = null;
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            keepAlive = false;
            fail(cause);
            ctx.close();
        }

        private void fail(Throwable cause) {
            CompletableFuture<Response> pending = current;
            current = null;
            if (pending != null) {
                pending.completeExceptionally(cause);
            }
        }
    }
}
