package io.jk8s.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the host's resolver on a loopback UDP port: answers A queries from a fixed table,
 * NXDOMAIN otherwise, and can be told to stay silent (to exercise timeouts).
 */
final class FakeUpstream implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, InetAddress> table = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean silent;

    FakeUpstream() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("fake-upstream").start(this::serve);
    }

    FakeUpstream with(String name, String ip) {
        try {
            table.put(ServiceRecords.absolute(name), InetAddress.getByName(ip));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    void silent(boolean value) {
        silent = value;
    }

    int queries() {
        return queries.get();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void serve() {
        byte[] buffer = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                queries.incrementAndGet();
                if (silent) continue;
                byte[] reply = answer(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()))).toWire();
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!socket.isClosed()) throw new UncheckedIOException(e);
            }
        }
    }

    private Message answer(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        Record question = query.getQuestion();
        reply.addRecord(question, Section.QUESTION);
        InetAddress address = table.get(question.getName());
        if (address == null) reply.getHeader().setRcode(Rcode.NXDOMAIN);
        else if (question.getType() == Type.A) reply.addRecord(new ARecord(question.getName(), DClass.IN, 300, address), Section.ANSWER);
        return reply;
    }

    @Override
    public void close() {
        socket.close();
    }
}
