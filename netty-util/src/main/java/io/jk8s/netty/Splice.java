package io.jk8s.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One direction of a raw byte tunnel after a protocol switch (HTTP 101): what this handler's channel
 * reads is written unchanged to {@code peer}. Install one on each channel, each pointing at the other.
 *
 * <ul>
 *   <li>Back-pressure: reading pauses while the peer's outbound buffer is above its high-water mark;
 *       the peer's Splice resumes it when that buffer drains.</li>
 *   <li>Close: when one side closes, the other is closed after its pending bytes are flushed; a
 *       failed write closes both.</li>
 * </ul>
 */
public final class Splice extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    public Splice(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            // Leftovers of the removed HTTP codecs, e.g. the empty last content decoded after a 101.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!peer.isActive()) {
            bytes.release();
            ctx.close();
            return;
        }
        peer.writeAndFlush(bytes).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
                peer.close();
            }
        });
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // The peer may have drained (and tried to resume us) between the check and the pause when
            // the two channels run on different event loops: look once more so reads never stall.
            if (peer.isWritable()) ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Our outbound buffer drained: the peer may read (and so write to us) again.
        if (ctx.channel().isWritable()) peer.config().setAutoRead(true);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
