package io.jk8s.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This node's VXLAN tunnel endpoint, {@value NetworkConfig#VXLAN_DEVICE}: VNI
 * {@value NetworkConfig#VNI}, UDP {@value NetworkConfig#VXLAN_PORT}, bound to the node address,
 * without learning (peers are programmed from the API), MTU 50 below the underlay's, holding the
 * first address of the node's pod range as /32 (flannel's layout, so host-originated traffic to
 * remote pods carries a pod-range source).
 */
final class VtepDevice {

    private static final Pattern INET = Pattern.compile("\\sinet\\s+(\\S+)\\s");
    private static final Pattern MAC = Pattern.compile("link/ether\\s+([0-9a-f]{2}(?::[0-9a-f]{2}){5})");

    private final Host host;
    private final NetworkConfig cfg;
    private final LocalInterface underlay;
    private String address;

    VtepDevice(Host host, NetworkConfig cfg, LocalInterface underlay) {
        this.host = host;
        this.cfg = cfg;
        this.underlay = underlay;
    }

    /** Creates (or fixes) the device for the node's pod range and returns its MAC address. */
    String ensure(String podCidr) {
        String dev = NetworkConfig.VXLAN_DEVICE;
        Host.Result details = host.run("ip", "-d", "-o", "link", "show", "dev", dev);
        if (!details.ok() || !matches(details.output())) {
            host.run("ip", "link", "del", dev);
            host.check("ip", "link", "add", dev, "type", "vxlan", "id", String.valueOf(NetworkConfig.VNI),
                    "local", cfg.nodeIp(), "dev", underlay.name(), "dstport", String.valueOf(NetworkConfig.VXLAN_PORT),
                    "nolearning");
            address = null;
        }
        host.check("ip", "link", "set", dev, "mtu", String.valueOf(underlay.mtu() - NetworkConfig.VXLAN_OVERHEAD), "up");
        String wanted = Ipv4Cidr.parse(podCidr).networkAddress() + "/32";
        if (!wanted.equals(address)) {
            // Add before removing: when a device loses its last IPv4 address the kernel drops
            // every route through it, which would cut all VXLAN peers (e.g. on an agent restart).
            String present = host.check("ip", "-o", "-4", "addr", "show", "dev", dev);
            if (!present.contains(" " + wanted + " ")) host.check("ip", "addr", "add", wanted, "dev", dev);
            for (String line : present.split("\n")) {
                Matcher old = INET.matcher(line);
                if (old.find() && !old.group(1).equals(wanted)) host.run("ip", "addr", "del", old.group(1), "dev", dev);
            }
            address = wanted;
        }
        Matcher m = MAC.matcher(host.check("ip", "-o", "link", "show", "dev", dev));
        if (!m.find()) throw new IllegalStateException("no MAC address on " + dev);
        return m.group(1);
    }

    private boolean matches(String details) {
        return details.contains("vxlan id " + NetworkConfig.VNI + " ")
                && details.contains("local " + cfg.nodeIp() + " ")
                && details.contains("dstport " + NetworkConfig.VXLAN_PORT);
    }
}
