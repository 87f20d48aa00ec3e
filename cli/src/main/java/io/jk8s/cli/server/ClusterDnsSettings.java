package io.jk8s.cli.server;

import java.nio.file.Path;

/**
 * Where {@code jk8s server}'s cluster DNS is published and where it really listens.
 *
 * @param serviceIp      the kube-dns Service's cluster IP and the kubelet's {@code clusterDNS}: the 10th address
 *                       of the service range, as kubeadm derives it (10.96.0.10 for 10.96.0.0/12)
 * @param listenAddress  the server's node address; every node's proxy DNATs {@code serviceIp:53} to it
 * @param preferredPort  unprivileged port tried first; a free one is used when it is taken (several servers on one machine)
 * @param clusterDomain  the zone, {@code cluster.local}
 * @param resolvConf     the resolv.conf whose nameservers get every name outside the zone
 */
public record ClusterDnsSettings(String serviceIp, String listenAddress, int preferredPort, String clusterDomain,
                                 Path resolvConf) {

    public static final int DEFAULT_PORT = 10053;

    public static ClusterDnsSettings forServiceCidr(String serviceCidr, String listenAddress, Path resolvConf) {
        return new ClusterDnsSettings(Cidr.parse(serviceCidr).address(10), listenAddress, DEFAULT_PORT, "cluster.local", resolvConf);
    }
}
