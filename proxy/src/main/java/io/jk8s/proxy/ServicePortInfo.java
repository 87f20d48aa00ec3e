package io.jk8s.proxy;

import java.util.List;

/**
 * One port of one Service as the proxy sees it, with the ready endpoints that serve it.
 *
 * @param affinitySeconds {@code sessionAffinity: ClientIP} timeout, or 0 without affinity
 * @param externalLocal   {@code externalTrafficPolicy: Local}: NodePort traffic only to this node's endpoints
 * @param internalLocal   {@code internalTrafficPolicy: Local}: cluster IP traffic only to this node's endpoints
 * @param externalIps     {@code spec.externalIPs} and LoadBalancer ingress IPs, served like the NodePort
 * @param nodePort        0 when the Service has none
 * @param endpoints       ready endpoints, sorted and without duplicates
 */
public record ServicePortInfo(String namespace, String name, String portName, String protocol, String clusterIp,
                              int port, int nodePort, int affinitySeconds, boolean externalLocal,
                              boolean internalLocal, List<String> externalIps, List<EndpointInfo> endpoints) {

    public ServicePortInfo {
        externalIps = List.copyOf(externalIps);
        endpoints = List.copyOf(endpoints);
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
