package io.jk8s.apiserver.proxy;

import io.jk8s.apiserver.http.RawConnection;
import io.jk8s.apiserver.http.Responder;
import io.jk8s.netty.Splice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Waits for the kubelet's answer to a forwarded upgrade request (exec, attach, port-forward). A 101
 * goes to the client with the kubelet's headers (Upgrade, Sec-WebSocket-Accept/-Protocol,
 * X-Stream-Protocol-Version), then both connections drop their HTTP codecs and are spliced byte for
 * byte. Any other answer reaches the client as that status — which is what makes kubectl fall back
 * from WebSocket to SPDY when the kubelet refuses the WebSocket upgrade.
 *
 * <p>Runs on the client connection's event loop (the kubelet connection is dialed on it), so the
 * switch of both pipelines happens in one task with no byte in between.
 */
final class UpgradeRelay extends ChannelInboundHandlerAdapter {

    private final Responder res;
    private final RawConnection client;
    private final KubeletAddress address;
    final CompletableFuture<Void> answered = new CompletableFuture<>();
    private int errorCode;
    private ByteArrayOutputStream errorBody;

    UpgradeRelay(Responder res, RawConnection client, KubeletAddress address) {
        this.res = res;
        this.client = client;
        this.address = address;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse head) {
                if (head.status().code() == 101) {
                    switchBoth(ctx, head);
                    return;
                }
                errorCode = head.status().code();
                errorBody = new ByteArrayOutputStream();
            }
            if (msg instanceof HttpContent content && errorBody != null) {
                ByteBuf buf = content.content();
                int room = KubeletErrors.MAX_ERROR_BODY - errorBody.size();
                if (room > 0) errorBody.writeBytes(ByteBufUtil.getBytes(buf, buf.readerIndex(), Math.min(room, buf.readableBytes())));
                if (content instanceof LastHttpContent) {
                    KubeletErrors.relay(res, errorCode, errorBody.toByteArray());
                    answered.complete(null);
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void switchBoth(ChannelHandlerContext ctx, HttpResponse head) {
        if (!client.channel().isActive()) {
            ctx.close();
            answered.complete(null);
            return;
        }
        HttpResponse toClient = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        toClient.headers().set(head.headers());
        client.switchProtocols(toClient, new Splice(ctx.channel()));
        // Bytes the kubelet sent right after its 101 are still in the codec: removing it hands them on.
        ctx.pipeline().replace(this, "splice", new Splice(client.channel()));
        ctx.pipeline().remove(HttpClientCodec.class);
        answered.complete(null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!answered.isDone()) answered.completeExceptionally(KubeletErrors.dialFailed(address, null));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!answered.isDone()) answered.completeExceptionally(KubeletErrors.dialFailed(address, cause));
        ctx.close();
    }
}
