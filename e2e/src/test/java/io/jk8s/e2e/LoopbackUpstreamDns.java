package io.jk8s.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The "host resolver" for a test: a tiny UDP DNS server on a loopback address that knows a few names and says
 * NXDOMAIN to the rest, so forwarded queries never leave the machine. Remembers every name asked.
 */
final class LoopbackUpstreamDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<String, String> names;
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Thread thread;

    /** Listens on {@code address}:53 (needs root) and answers A queries for {@code names} (name → IPv4). */
    LoopbackUpstreamDns(String address, Map<String, String> names) throws IOException {
        this.names = Map.copyOf(names);
        this.socket = new DatagramSocket(new InetSocketAddress(address, 53));
        this.thread = Thread.ofPlatform().daemon().name("test-upstream-dns").start(this::serve);
    }

    List<String> asked() {
        return List.copyOf(asked);
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                Record question = query.getQuestion();
                String name = question.getName().toString(true).toLowerCase();
                asked.add(name);
                Message reply = new Message(query.getHeader().getID());
                reply.getHeader().setFlag(Flags.QR);
                reply.getHeader().setFlag(Flags.RA);
                if (query.getHeader().getFlag(Flags.RD)) reply.getHeader().setFlag(Flags.RD);
                reply.addRecord(question, Section.QUESTION);
                String ip = names.get(name);
                if (ip == null) {
                    reply.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if (question.getType() == Type.A) {
                    reply.addRecord(new ARecord(Name.fromString(name + "."), DClass.IN, 30, InetAddress.getByName(ip)), Section.ANSWER);
                }
                byte[] out = reply.toWire();
                socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
