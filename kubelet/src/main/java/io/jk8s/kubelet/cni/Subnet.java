package io.jk8s.kubelet.cni;

/** An IPv4 subnet in CIDR notation; just enough arithmetic for pod networks. */
record Subnet(int network, int prefix) {

    static Subnet parse(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > 30) {
            throw new IllegalArgumentException("prefix must be 0..30 for a pod subnet: " + cidr);
        }
        String[] octets = parts[0].split("\\.");
        if (octets.length != 4) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        int address = 0;
        for (String octet : octets) {
            int value = Integer.parseInt(octet);
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("bad octet in " + cidr);
            }
            address = (address << 8) | value;
        }
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        if ((address & ~mask) != 0) {
            throw new IllegalArgumentException("host bits set in " + cidr);
        }
        return new Subnet(address, prefix);
    }

    String firstHost() {
        return format(network + 1);
    }

    static String format(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
