package io.jk8s.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * DNS over UDP: one thread receives datagrams and answers cluster names itself (no blocking there);
 * queries that need an upstream get their own virtual thread so that a slow upstream never holds up
 * cluster names. Answers larger than the client's limit are truncated
 * (TC set) and the client retries over TCP.
 */
final class UdpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
    private static final int MAX_DATAGRAM = 65535;
    /** Room for bursts from many pods while the receiving thread is busy (the kernel caps it at rmem_max). */
    private static final int RECEIVE_BUFFER = 4 << 20;

    private final DatagramChannel channel;
    private final DnsResponder responder;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread receiver;

    UdpListener(InetSocketAddress bind, DnsResponder responder) throws IOException {
        this.responder = responder;
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.receiver = Thread.ofPlatform().name("dns-udp").daemon().unstarted(this::receiveLoop);
    }

    int port() {
        return ((InetSocketAddress) channel.socket().getLocalSocketAddress()).getPort();
    }

    void start() {
        receiver.start();
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                byte[] packet = Arrays.copyOf(buffer.array(), buffer.position());
                byte[] local = localReply(packet);
                if (local != null) send(local, client);
                else workers.execute(() -> answer(packet, client));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (channel.isOpen()) LOG.warn("UDP receive failed", e);
            }
        }
    }

    /** Cluster names are answered right here: no thread hand-off for the common case. */
    private byte[] localReply(byte[] packet) {
        try {
            Message query = new Message(packet);
            Message response = responder.respondLocally(query);
            return response == null ? null : response.toWire(DnsResponder.maxUdpSize(query));
        } catch (IOException | RuntimeException e) {
            return null; // the worker path reports it
        }
    }

    private void answer(byte[] packet, SocketAddress client) {
        byte[] reply = Wire.reply(packet, responder, DnsResponder::maxUdpSize);
        if (reply != null) send(reply, client);
    }

    private void send(byte[] reply, SocketAddress client) {
        try {
            channel.send(ByteBuffer.wrap(reply), client);
        } catch (IOException e) {
            if (channel.isOpen()) LOG.debug("UDP send to {} failed: {}", client, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing UDP channel", e);
        }
        workers.shutdownNow();
    }
}
