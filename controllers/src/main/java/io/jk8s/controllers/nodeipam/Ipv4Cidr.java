package io.jk8s.controllers.nodeipam;

/** An IPv4 network in CIDR notation with its host bits clear, e.g. 10.244.3.0/24. */
record Ipv4Cidr(int network, int prefix) {

    static Ipv4Cidr parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) throw new IllegalArgumentException("not a CIDR (want ADDRESS/PREFIX): " + text);
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
        int address = 0;
        try {
            for (String octet : octets) {
                int v = Integer.parseInt(octet);
                if (v < 0 || v > 255) throw new IllegalArgumentException("bad octet in " + text);
                address = (address << 8) | v;
            }
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix out of range in " + text);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            if ((address & ~mask) != 0) throw new IllegalArgumentException("host bits set in " + text);
            return new Ipv4Cidr(address, prefix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + text, e);
        }
    }

    @Override
    public String toString() {
        return ((network >>> 24) & 0xff) + "." + ((network >>> 16) & 0xff) + "." + ((network >>> 8) & 0xff) + "."
                + (network & 0xff) + "/" + prefix;
    }
}
