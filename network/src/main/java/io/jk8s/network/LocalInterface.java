package io.jk8s.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The host interface that holds the node's address: the VXLAN underlay, the device for direct
 * routes, and the subnet that decides whether a peer is directly reachable.
 */
public record LocalInterface(String name, Ipv4Cidr subnet, int mtu) {

    private static final Pattern ADDR = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
    private static final Pattern MTU = Pattern.compile("\\smtu\\s+(\\d+)");

    /** Finds the interface with {@code nodeIp} from {@code ip -o -4 addr show} and its MTU. */
    public static LocalInterface holding(Host host, String nodeIp) {
        for (String line : host.check("ip", "-o", "-4", "addr", "show").split("\n")) {
            Matcher m = ADDR.matcher(line.strip());
            if (m.find() && m.group(2).equals(nodeIp)) {
                String name = m.group(1).replaceAll("@.*", "");
                Matcher mtu = MTU.matcher(host.check("ip", "-o", "link", "show", "dev", name));
                return new LocalInterface(name, Ipv4Cidr.containing(nodeIp, Integer.parseInt(m.group(3))),
                        mtu.find() ? Integer.parseInt(mtu.group(1)) : 1500);
            }
        }
        throw new IllegalStateException("no interface holds the node address " + nodeIp);
    }
}
