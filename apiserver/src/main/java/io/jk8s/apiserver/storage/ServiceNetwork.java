package io.jk8s.apiserver.storage;

/**
 * The service IPv4 range (e.g. 10.96.0.0/12) and node-port range (30000-32767) Services are given addresses from.
 */
public record ServiceNetwork(String serviceCidr, int nodePortMin, int nodePortMax) {

    public static final ServiceNetwork DEFAULT = new ServiceNetwork("10.96.0.0/12", 30000, 32767);

    public ServiceNetwork {
        base(serviceCidr);
        if (prefix(serviceCidr) < 8 || prefix(serviceCidr) > 30) {
            throw new IllegalArgumentException("service CIDR " + serviceCidr + ": prefix must be between /8 and /30");
        }
        if (nodePortMin < 1 || nodePortMax > 65535 || nodePortMin > nodePortMax) {
            throw new IllegalArgumentException("node port range " + nodePortMin + "-" + nodePortMax + " is not valid");
        }
    }

    /** Parses "30000-32767". */
    public static int[] parsePortRange(String range) {
        String[] parts = range.split("-");
        if (parts.length != 2) throw new IllegalArgumentException("node port range must look like 30000-32767: " + range);
        return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
    }

    public long serviceIpCount() {
        return 1L << (32 - prefix(serviceCidr));
    }

    /** The address at {@code offset} from the start of the range; offset 1 is the {@code kubernetes} Service's. */
    public String serviceIp(long offset) {
        return format(base(serviceCidr) + offset);
    }

    public boolean inServiceRange(String ip) {
        long value;
        try {
            value = parse(ip);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long base = base(serviceCidr);
        return value >= base && value < base + serviceIpCount();
    }

    public boolean inNodePortRange(int port) {
        return port >= nodePortMin && port <= nodePortMax;
    }

    private static int prefix(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR: " + cidr);
        return Integer.parseInt(cidr.substring(slash + 1));
    }

    private static long base(String cidr) {
        long ip = parse(cidr.substring(0, cidr.indexOf('/') < 0 ? cidr.length() : cidr.indexOf('/')));
        long mask = (0xFFFFFFFFL << (32 - prefix(cidr))) & 0xFFFFFFFFL;
        return ip & mask;
    }

    private static long parse(String ip) {
        String[] parts = ip.split("\\.");
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + ip);
        long v = 0;
        for (String p : parts) {
            int octet = Integer.parseInt(p);
            if (octet < 0 || octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + ip);
            v = (v << 8) | octet;
        }
        return v;
    }

    private static String format(long v) {
        return ((v >> 24) & 255) + "." + ((v >> 16) & 255) + "." + ((v >> 8) & 255) + "." + (v & 255);
    }
}
