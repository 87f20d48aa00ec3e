package io.jk8s.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Two embedded channels spliced to each other, as the API server and the kubelet do after a 101. */
class SpliceTest {

    private EmbeddedChannel client;
    private EmbeddedChannel backend;

    @BeforeEach
    void spliceTwoChannels() {
        client = new EmbeddedChannel();
        backend = new EmbeddedChannel();
        client.pipeline().addLast(new Splice(backend));
        backend.pipeline().addLast(new Splice(client));
    }

    @AfterEach
    void closeBoth() {
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
    }

    @Test
    void bytesReadOnOneSideAreWrittenUnchangedToTheOther() {
        client.writeInbound(bytes("stdin"));
        backend.writeInbound(bytes("stdout"));

        assertThat(text(backend.readOutbound())).isEqualTo("stdin");
        assertThat(text(client.readOutbound())).isEqualTo("stdout");
    }

    @Test
    void leftoverHttpObjectsAreReleasedNotForwarded() {
        // Stands for the empty LastHttpContent an HTTP decoder emits right after a 101.
        DefaultByteBufHolder last = new DefaultByteBufHolder(bytes("x"));

        client.writeInbound(last);

        assertThat(last.refCnt()).isZero();
        assertThat((Object) backend.readOutbound()).isNull();
    }

    @Test
    void readsPauseWhileThePeerCannotTakeMoreAndResumeWhenItDrains() {
        makeWritable(backend, false);

        client.writeInbound(bytes("a lot"));
        assertThat(client.config().isAutoRead()).isFalse();

        makeWritable(backend, true);
        assertThat(client.config().isAutoRead()).isTrue();
    }

    @Test
    void readsGoOnWhileThePeerIsWritable() {
        client.writeInbound(bytes("a little"));

        assertThat(client.config().isAutoRead()).isTrue();
    }

    @Test
    void closingOneSideClosesTheOther() {
        client.close();

        assertThat(backend.isActive()).isFalse();
    }

    @Test
    void closingTheBackendClosesTheClient() {
        backend.close();

        assertThat(client.isActive()).isFalse();
    }

    @Test
    void bytesForAClosedPeerAreReleasedAndCloseTheReader() {
        // Close the peer without its Splice noticing, as when both close in the same instant.
        backend.pipeline().removeFirst();
        backend.close();
        ByteBuf late = bytes("late");

        client.writeInbound(late);

        assertThat(late.refCnt()).isZero();
        assertThat(client.isActive()).isFalse();
    }

    @Test
    void anExceptionClosesBothSides() {
        client.pipeline().fireExceptionCaught(new IllegalStateException("boom"));

        assertThat(client.isActive()).isFalse();
        assertThat(backend.isActive()).isFalse();
    }

    /** Flips the channel's writability as a full outbound buffer would, firing the same event. */
    private static void makeWritable(EmbeddedChannel channel, boolean writable) {
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        channel.runPendingTasks();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
