package io.jk8s.kubelet.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A blocking {@link OutputStream} over a chunked HTTP response body, for writers on their own
 * (virtual) thread. Each {@link #flush()} sends one chunk and waits until the socket took it, so
 * a slow client slows the writer down instead of filling memory.
 */
final class ChunkedBodyStream extends OutputStream {

    private final Channel channel;
    private byte[] buffer = new byte[16 * 1024];
    private int count;

    ChunkedBodyStream(Channel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (count + length > buffer.length) {
            flush();
            if (length > buffer.length) {
                buffer = Arrays.copyOf(buffer, length);
            }
        }
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        if (count == 0) {
            return;
        }
        await(channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buffer, 0, count))));
        count = 0;
    }

    /** Sends what is buffered and ends the body. */
    @Override
    public void close() throws IOException {
        flush();
        await(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    private static void await(ChannelFuture future) throws IOException {
        try {
            future.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("client went away");
        }
        if (!future.isSuccess()) {
            throw new IOException("client went away", future.cause());
        }
    }
}
