package io.jk8s.network;

/**
 * Settings of one node's network agent.
 *
 * @param nodeName    this node (its Node object carries the pod CIDR and the VTEP MAC)
 * @param nodeIp      this node's address other nodes reach it on (the VXLAN underlay / next hop)
 * @param clusterCidr every pod address, e.g. 10.244.0.0/16 (not masqueraded among itself, unreachable when unassigned)
 * @param serviceCidr every Service VIP, e.g. 10.96.0.0/12 (kept on this host, see {@link HostRules})
 * @param backend     how other nodes' pod ranges are reached
 */
public record NetworkConfig(String nodeName, String nodeIp, String clusterCidr, String serviceCidr, Backend backend) {

    /** How a peer's pod range is reached. */
    public enum Backend {
        /** A plain route via the peer when it is on this node's L2 subnet, VXLAN otherwise (flannel's DirectRouting). */
        AUTO,
        /** Always VXLAN (also useful to test the overlay between hosts that share a subnet). */
        VXLAN
    }

    /** VXLAN device, VNI and UDP port: flannel's values, with our own device name. */
    public static final String VXLAN_DEVICE = "jk8s.1";
    public static final int VNI = 1;
    public static final int VXLAN_PORT = 8472;
    /** VXLAN adds 50 bytes of headers to every frame. */
    public static final int VXLAN_OVERHEAD = 50;
    /** Device the service CIDR is routed to (no ports: nothing routed there leaves the host). */
    public static final String SERVICE_DEVICE = "jk8s-svc0";
    /** Route protocol number marking routes to peers' pod ranges as ours (to find stale ones after a restart). */
    public static final String ROUTE_PROTO = "77";
    public static final String VTEP_MAC_ANNOTATION = "network.jk8s.io/vtep-mac";
    public static final String PUBLIC_IP_ANNOTATION = "network.jk8s.io/public-ip";

    public NetworkConfig {
        Ipv4Cidr.parse(clusterCidr);
        Ipv4Cidr.parse(serviceCidr);
        Ipv4Cidr.address(nodeIp);
    }

    public static NetworkConfig of(String nodeName, String nodeIp, String clusterCidr, String serviceCidr) {
        return new NetworkConfig(nodeName, nodeIp, clusterCidr, serviceCidr, Backend.AUTO);
    }

    public NetworkConfig withBackend(Backend b) {
        return new NetworkConfig(nodeName, nodeIp, clusterCidr, serviceCidr, b);
    }
}
