package io.jk8s.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DNS over TCP (RFC 7766): length-prefixed messages, several per connection, one virtual thread per
 * connection; idle connections are closed after {@link #IDLE_MILLIS}.
 */
final class TcpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListener.class);
    /** A TCP message carries a 16-bit length. */
    private static final int MAX_TCP_MESSAGE = 65535;
    static final int IDLE_MILLIS = 10_000;

    private final ServerSocket server;
    private final DnsResponder responder;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    TcpListener(InetSocketAddress bind, DnsResponder responder) throws IOException {
        this.responder = responder;
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(bind, 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.acceptor = Thread.ofVirtual().name("dns-tcp-accept").unstarted(this::acceptLoop);
    }

    void start() {
        acceptor.start();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                Thread.ofVirtual().name("dns-tcp").start(() -> serve(socket));
            } catch (IOException e) {
                if (!server.isClosed()) LOG.warn("TCP accept failed", e);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                byte[] packet = new byte[in.readUnsignedShort()];
                in.readFully(packet);
                byte[] reply = Wire.reply(packet, responder, query -> MAX_TCP_MESSAGE);
                if (reply == null) return;
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (EOFException | SocketTimeoutException e) {
            // client finished or went idle
        } catch (SocketException e) {
            if (!server.isClosed()) LOG.debug("TCP connection ended: {}", e.toString());
        } catch (IOException e) {
            LOG.debug("TCP connection failed", e);
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing TCP server", e);
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
