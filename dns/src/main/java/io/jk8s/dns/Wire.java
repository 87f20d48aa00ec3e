package io.jk8s.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

import java.io.IOException;
import java.util.function.ToIntFunction;

/** Raw packets to raw replies, the part the UDP and TCP listeners share. */
final class Wire {

    private static final Logger LOG = LoggerFactory.getLogger(Wire.class);
    private static final int HEADER_LENGTH = 12;

    private Wire() {
    }

    /**
     * The encoded reply to a query packet, at most {@code maxSize(query)} bytes: FORMERR for a packet
     * that does not parse (null when it must not be answered at all), SERVFAIL when answering fails.
     */
    static byte[] reply(byte[] packet, DnsResponder responder, ToIntFunction<Message> maxSize) {
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException e) {
            return formatError(packet);
        }
        try {
            return responder.respond(query).toWire(maxSize.applyAsInt(query));
        } catch (RuntimeException e) {
            LOG.warn("failed to answer {}", query.getQuestion(), e);
            return DnsResponder.error(query, Rcode.SERVFAIL).toWire();
        }
    }

    /** A FORMERR reply carrying the packet's ID, or null when the packet is too short to have one. */
    static byte[] formatError(byte[] packet) {
        if (packet.length < HEADER_LENGTH) return null;
        int id = ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
        boolean isResponse = (packet[2] & 0x80) != 0;
        if (isResponse) return null; // never answer answers: that is how reflection loops start
        Message reply = new Message(id);
        Header header = reply.getHeader();
        header.setFlag(Flags.QR);
        header.setRcode(Rcode.FORMERR);
        return reply.toWire();
    }
}
