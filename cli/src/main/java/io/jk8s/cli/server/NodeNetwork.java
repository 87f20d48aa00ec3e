package io.jk8s.cli.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.network.NetworkAgent;
import io.jk8s.network.NetworkConfig;
import io.jk8s.network.ProcessHost;

/**
 * The agent's pod network across machines: the {@link NetworkAgent} for this node (routes or
 * VXLAN to the other nodes' pod ranges, masquerade for traffic leaving the cluster CIDR,
 * unreachable cluster CIDR, service CIDR kept on the host), acting on this machine's own network
 * namespace.
 */
public final class NodeNetwork {

    /** The service range when the agent is not told another one (upstream's and the server's default). */
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";

    private NodeNetwork() {
    }

    /** Builds the agent for node {@code s}; the caller starts and closes it. */
    public static NetworkAgent agent(KubernetesClient client, ClusterComponents.AgentSettings s, String serviceCidr) {
        return new NetworkAgent(client, NetworkConfig.of(s.nodeName(), s.nodeIp(), s.clusterCidr(), serviceCidr),
                ProcessHost.current());
    }
}
