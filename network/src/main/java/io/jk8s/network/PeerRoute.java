package io.jk8s.network;

import java.util.List;

/**
 * How this node reaches one other node's pod range, as the host commands that install and remove
 * it. Installing is idempotent ({@code replace}); removing ignores what is already gone.
 */
public sealed interface PeerRoute {

    /** The peer's pod range. */
    String cidr();

    List<List<String>> install();

    List<List<String>> remove();

    /** The peer is on our L2 subnet: route its pods via its address. */
    record Direct(String cidr, String via, String device) implements PeerRoute {
        @Override
        public List<List<String>> install() {
            return List.of(List.of("ip", "route", "replace", cidr, "via", via, "dev", device, "proto", NetworkConfig.ROUTE_PROTO));
        }

        @Override
        public List<List<String>> remove() {
            return List.of(List.of("ip", "route", "del", cidr, "proto", NetworkConfig.ROUTE_PROTO));
        }
    }

    /**
     * Over VXLAN as flannel does: the peer's VTEP has the first address of its range as gateway,
     * a permanent neighbour entry maps it to the peer's VTEP MAC, and an FDB entry sends frames for
     * that MAC to the peer's address (no multicast, no learning).
     */
    record Vxlan(String cidr, String gateway, String vtepMac, String remoteIp) implements PeerRoute {
        @Override
        public List<List<String>> install() {
            String dev = NetworkConfig.VXLAN_DEVICE;
            return List.of(
                    List.of("ip", "neigh", "replace", gateway, "lladdr", vtepMac, "dev", dev, "nud", "permanent"),
                    List.of("bridge", "fdb", "replace", vtepMac, "dev", dev, "dst", remoteIp, "self", "permanent"),
                    List.of("ip", "route", "replace", cidr, "via", gateway, "dev", dev, "onlink", "proto", NetworkConfig.ROUTE_PROTO));
        }

        @Override
        public List<List<String>> remove() {
            String dev = NetworkConfig.VXLAN_DEVICE;
            return List.of(
                    List.of("ip", "route", "del", cidr, "proto", NetworkConfig.ROUTE_PROTO),
                    List.of("ip", "neigh", "del", gateway, "dev", dev),
                    List.of("bridge", "fdb", "del", vtepMac, "dev", dev, "dst", remoteIp, "self"));
        }
    }
}
