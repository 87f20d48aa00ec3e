package io.jk8s.network;

import io.fabric8.kubernetes.api.model.Node;

import java.util.Optional;

/** Decides how this node reaches another node's pod range, or that it cannot (yet). */
final class RoutePlanner {

    private final NetworkConfig cfg;
    private final Ipv4Cidr cluster;
    private final LocalInterface local;

    RoutePlanner(NetworkConfig cfg, LocalInterface local) {
        this.cfg = cfg;
        this.cluster = Ipv4Cidr.parse(cfg.clusterCidr());
        this.local = local;
    }

    /**
     * The route to {@code peer}'s pods; empty for this node itself, a node without a pod range or
     * address, a range outside the cluster CIDR (e.g. hollow nodes, which have no real pods), or a
     * VXLAN peer that has not published its VTEP MAC yet.
     */
    Optional<PeerRoute> plan(Node peer) {
        if (Nodes.name(peer).equals(cfg.nodeName())) return Optional.empty();
        Optional<String> cidr = Nodes.podCidr(peer).filter(this::insideCluster);
        Optional<String> ip = Nodes.address(peer).filter(a -> !a.equals(cfg.nodeIp()));
        if (cidr.isEmpty() || ip.isEmpty()) return Optional.empty();
        if (cfg.backend() == NetworkConfig.Backend.AUTO && local.subnet().contains(ip.get())) {
            return Optional.of(new PeerRoute.Direct(cidr.get(), ip.get(), local.name()));
        }
        return Nodes.annotation(peer, NetworkConfig.VTEP_MAC_ANNOTATION).map(mac ->
                new PeerRoute.Vxlan(cidr.get(), Ipv4Cidr.parse(cidr.get()).networkAddress(), mac, ip.get()));
    }

    private boolean insideCluster(String cidr) {
        try {
            return cluster.contains(Ipv4Cidr.parse(cidr));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
