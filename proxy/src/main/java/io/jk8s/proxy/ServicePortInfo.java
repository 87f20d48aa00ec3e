package io.jk8s.proxy;

import java.util.List;

/**
 * One port of one Service as the proxy sees it, with the endpoints that serve it.
 *
 * @param affinitySeconds {@code sessionAffinity: ClientIP} timeout, or 0 without affinity
 * @param externalLocal   {@code externalTrafficPolicy: Local}: NodePort traffic only to this node's endpoints
 * @param internalLocal   {@code internalTrafficPolicy: Local}: cluster IP traffic only to this node's endpoints
 * @param externalIps     {@code spec.externalIPs} and LoadBalancer ingress IPs, served like the NodePort
 * @param nodePort        0 when the Service has none
 * @param endpoints       where cluster-wide traffic goes: the ready endpoints, or the serving terminating ones
 *                        when none is ready; sorted and without duplicates
 * @param servingTerminating every endpoint that is terminating but still serving, sorted: a node's fallback for
 *                        Local traffic policies when it has no ready endpoint of its own
 */
public record ServicePortInfo(String namespace, String name, String portName, String protocol, String clusterIp,
                              int port, int nodePort, int affinitySeconds, boolean externalLocal,
                              boolean internalLocal, List<String> externalIps, List<EndpointInfo> endpoints,
                              List<EndpointInfo> servingTerminating) {

    public ServicePortInfo {
        externalIps = List.copyOf(externalIps);
        endpoints = List.copyOf(endpoints);
        servingTerminating = List.copyOf(servingTerminating);
    }

    /** Without terminating endpoints (what most callers and tests build). */
    public ServicePortInfo(String namespace, String name, String portName, String protocol, String clusterIp,
                           int port, int nodePort, int affinitySeconds, boolean externalLocal,
                           boolean internalLocal, List<String> externalIps, List<EndpointInfo> endpoints) {
        this(namespace, name, portName, protocol, clusterIp, port, nodePort, affinitySeconds, externalLocal, internalLocal,
                externalIps, endpoints, List.of());
    }

    /**
     * Where Local-policy traffic goes on {@code node}: its ready endpoints, or when it has none its serving
     * terminating ones. Upstream kube-proxy falls back per locality, so a node whose only pod is draining keeps
     * serving its Local NodePort from that pod even while other nodes have ready pods.
     */
    public List<EndpointInfo> localEndpoints(String node) {
        List<EndpointInfo> local = onNode(endpoints, node);
        return local.isEmpty() ? onNode(servingTerminating, node) : local;
    }

    /** Every endpoint some rule of this node sends traffic to: the cluster-wide ones and the local fallback. */
    public List<EndpointInfo> endpointsUsedOn(String node) {
        java.util.TreeSet<EndpointInfo> all = new java.util.TreeSet<>(endpoints);
        all.addAll(localEndpoints(node));
        return List.copyOf(all);
    }

    private static List<EndpointInfo> onNode(List<EndpointInfo> eps, String node) {
        return eps.stream().filter(ep -> node.equals(ep.nodeName())).toList();
    }

    /** {@code namespace/name:port}, the name kube-proxy uses in comments and hashes. */
    public String servicePortName() {
        return namespace + "/" + name + (portName.isEmpty() ? "" : ":" + portName);
    }

    /** Whether traffic can enter from outside the cluster (NodePort, external or load-balancer IPs). */
    public boolean hasExternalEntry() {
        return nodePort > 0 || !externalIps.isEmpty();
    }

    /** The {@code -p} value. */
    public String iptablesProtocol() {
        return protocol.toLowerCase(java.util.Locale.ROOT);
    }

    /** One endpoint: pod address, target port, and the node it runs on (may be empty). */
    public record EndpointInfo(String ip, int port, String nodeName) implements Comparable<EndpointInfo> {
        public String hostPort() {
            return ip + ":" + port;
        }

        @Override
        public int compareTo(EndpointInfo o) {
            int c = ip.compareTo(o.ip);
            return c != 0 ? c : Integer.compare(port, o.port);
        }
    }
}
