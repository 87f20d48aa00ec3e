package io.jk8s.apiserver.proxy;

import io.jk8s.apiserver.http.Responder;
import io.jk8s.apiserver.http.ResponseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Relays a kubelet's log response to the client chunk by chunk (each flushed, so {@code -f} shows a
 * line as soon as the kubelet sends it). When the client reads slower than the kubelet writes, reading
 * from the kubelet pauses until the client's backlog drains, so nothing is buffered without bound.
 * Either side ending ends the other.
 */
final class LogRelay extends ChannelInboundHandlerAdapter {

    static final long PAUSE_ABOVE_BYTES = 1 << 20;
    static final long RESUME_BELOW_BYTES = 256 << 10;
    private static final long DRAIN_CHECK_MS = 10;

    private final Responder res;
    private final KubeletAddress address;
    /** Completes once the client's response has started (or failed: the caller reports the failure). */
    final CompletableFuture<Void> answered = new CompletableFuture<>();
    private ResponseStream stream;
    private int errorCode;
    private ByteArrayOutputStream errorBody;

    LogRelay(Responder res, KubeletAddress address) {
        this.res = res;
        this.address = address;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse head) {
                onHead(ctx, head);
            }
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse head) {
        int code = head.status().code();
        if (code / 100 == 2) {
            String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            stream = res.stream(200, type);
            stream.onClose(() -> ctx.channel().close()); // client gone (or stream ended): stop the kubelet
            answered.complete(null);
        } else {
            errorCode = code;
            errorBody = new ByteArrayOutputStream();
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        ByteBuf buf = content.content();
        if (stream != null) {
            if (buf.isReadable() && !stream.write(ByteBufUtil.getBytes(buf))) {
                ctx.close();
                return;
            }
            if (stream.backlogBytes() > PAUSE_ABOVE_BYTES && ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(false);
                resumeWhenDrained(ctx);
            }
            if (content instanceof LastHttpContent) {
                stream.close();
            }
        } else if (errorBody != null) {
            int room = KubeletErrors.MAX_ERROR_BODY - errorBody.size();
            if (room > 0) errorBody.writeBytes(ByteBufUtil.getBytes(buf, buf.readerIndex(), Math.min(room, buf.readableBytes())));
            if (content instanceof LastHttpContent) {
                KubeletErrors.relay(res, errorCode, errorBody.toByteArray());
                answered.complete(null);
                ctx.close();
            }
        }
    }

    private void resumeWhenDrained(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (!stream.isOpen() || !ctx.channel().isActive()) return;
            if (stream.backlogBytes() < RESUME_BELOW_BYTES) {
                ctx.channel().config().setAutoRead(true);
            } else {
                resumeWhenDrained(ctx);
            }
        }, DRAIN_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (stream != null) {
            stream.close();
        } else if (!answered.isDone()) {
            answered.completeExceptionally(KubeletErrors.dialFailed(address, null));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!answered.isDone()) answered.completeExceptionally(KubeletErrors.dialFailed(address, cause));
        ctx.close();
    }
}
