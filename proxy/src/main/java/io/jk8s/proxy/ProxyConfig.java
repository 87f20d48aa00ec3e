package io.jk8s.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one node's service proxy.
 *
 * @param nodeName        this node's name, compared with endpoints' {@code nodeName} for {@code externalTrafficPolicy: Local}
 * @param nodeIps         addresses on which NodePorts are served; empty means every local address ({@code addrtype LOCAL})
 * @param clusterCidr     pod network; traffic to a cluster IP from outside it is masqueraded
 * @param iptablesBinary  the {@code iptables} command; {@code -save} and {@code -restore} are appended for the others
 * @param netns           network namespace to program (via {@code ip netns exec}), or null for the current one; for tests
 * @param minSyncInterval shortest time between two rule syncs (debounce)
 * @param resyncInterval  full resync period even without changes (heals rules changed behind our back)
 */
public record ProxyConfig(String nodeName, List<String> nodeIps, String clusterCidr, String iptablesBinary,
                          String netns, Duration minSyncInterval, Duration resyncInterval) {

    public ProxyConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        nodeIps = List.copyOf(nodeIps);
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        iptablesBinary = iptablesBinary == null || iptablesBinary.isBlank() ? "iptables" : iptablesBinary;
        minSyncInterval = minSyncInterval == null ? Duration.ofMillis(100) : minSyncInterval;
        resyncInterval = resyncInterval == null ? Duration.ofSeconds(30) : resyncInterval;
    }

    /** Defaults: {@code iptables}, the current namespace, 100 ms debounce, 30 s resync. */
    public static ProxyConfig of(String nodeName, List<String> nodeIps, String clusterCidr) {
        return new ProxyConfig(nodeName, nodeIps, clusterCidr, null, null, null, null);
    }

    public ProxyConfig withNetns(String namespace) {
        return new ProxyConfig(nodeName, nodeIps, clusterCidr, iptablesBinary, namespace, minSyncInterval, resyncInterval);
    }
}
