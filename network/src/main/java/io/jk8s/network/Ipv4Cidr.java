package io.jk8s.network;

/** An IPv4 network in CIDR notation with its host bits clear, e.g. 10.244.3.0/24. */
public record Ipv4Cidr(int network, int prefix) {

    public static Ipv4Cidr parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) throw new IllegalArgumentException("not a CIDR (want ADDRESS/PREFIX): " + text);
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix out of range in " + text);
        int address = address(parts[0]);
        if ((address & ~mask(prefix)) != 0) throw new IllegalArgumentException("host bits set in " + text);
        return new Ipv4Cidr(address, prefix);
    }

    /** The network holding {@code address/prefix}, e.g. 192.168.77.11/24 → 192.168.77.0/24. */
    public static Ipv4Cidr containing(String address, int prefix) {
        return new Ipv4Cidr(address(address) & mask(prefix), prefix);
    }

    public static int address(String dotted) {
        String[] octets = dotted.split("\\.", -1);
        if (octets.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        int address = 0;
        for (String octet : octets) {
            int v;
            try {
                v = Integer.parseInt(octet);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            if (v < 0 || v > 255) throw new IllegalArgumentException("bad octet in " + dotted);
            address = (address << 8) | v;
        }
        return address;
    }

    public boolean contains(String dotted) {
        return (address(dotted) & mask(prefix)) == network;
    }

    /** True when {@code other} lies inside this network (and is no larger). */
    public boolean contains(Ipv4Cidr other) {
        return other.prefix >= prefix && (other.network & mask(prefix)) == network;
    }

    /** The network address without the prefix, e.g. 10.244.3.0 (flannel's VTEP address for a node). */
    public String networkAddress() {
        return format(network);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static String format(int a) {
        return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }
}
