package io.jk8s.cli.server;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Picks this machine's node address (InternalIP) when none is given: an IPv4 address of the
 * interface that carries the default route, as kubelet and k3s do. Taking "the first interface
 * that is up" instead once picked a test bridge that came and went, and the server lost its address.
 */
final class NodeAddress {

    private NodeAddress() {}

    static String primaryIPv4() throws SocketException {
        Optional<String> viaDefaultRoute = defaultRouteInterface(Path.of("/proc/net/route"))
                .flatMap(NodeAddress::ipv4Of);
        return viaDefaultRoute.isPresent() ? viaDefaultRoute.get() : firstUsableIPv4();
    }

    /** The interface of the IPv4 default route with the lowest metric, from the kernel's route table. */
    static Optional<String> defaultRouteInterface(Path procNetRoute) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetRoute);
        } catch (IOException e) {
            return Optional.empty();
        }
        String best = null;
        long bestMetric = Long.MAX_VALUE;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.trim().split("\\s+");
            // Iface Destination Gateway Flags RefCnt Use Metric Mask ...; RTF_UP = 0x1
            if (f.length < 8 || !f[1].equals("00000000") || !f[7].equals("00000000")) continue;
            if ((Integer.parseInt(f[3], 16) & 0x1) == 0) continue;
            long metric = Long.parseLong(f[6]);
            if (metric < bestMetric) {
                best = f[0];
                bestMetric = metric;
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<String> ipv4Of(String interfaceName) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(interfaceName);
            if (nic == null || !nic.isUp()) return Optional.empty();
            return nic.inetAddresses().filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                    .map(InetAddress::getHostAddress).findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    /** Without a default route (an isolated network namespace): the first non-loopback IPv4 address. */
    private static String firstUsableIPv4() throws SocketException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (!nic.isUp() || nic.isLoopback() || nic.getName().startsWith("cni") || nic.getName().startsWith("veth")) continue;
            for (InetAddress a : nic.inetAddresses().toList()) {
                if (a instanceof Inet4Address && !a.isLinkLocalAddress()) return a.getHostAddress();
            }
        }
        return "127.0.0.1";
    }
}
