package io.jk8s.dns;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** Helpers for packets that could not be parsed. */
final class Wire {

    private static final int HEADER_LENGTH = 12;

    private Wire() {
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
