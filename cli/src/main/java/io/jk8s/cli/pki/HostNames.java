package io.jk8s.cli.pki;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names under which clients reach the API server on this machine, as upstream's
 * kubeadm puts them in the serving certificate: loopback, the host name, every local interface
 * address, the in-cluster service names and the first address of the service range.
 */
public final class HostNames {

    static final List<String> IN_CLUSTER_NAMES = List.of("kubernetes", "kubernetes.default",
            "kubernetes.default.svc", "kubernetes.default.svc.cluster.local");

    private HostNames() {
    }

    /**
     * @param kubernetesServiceIp first address of the service CIDR (10.96.0.1 by default)
     * @param extraNames          user-supplied names or IP literals (e.g. a load balancer)
     */
    public static SubjectAltNames forApiServer(String kubernetesServiceIp, List<String> extraNames) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        dns.addAll(IN_CLUSTER_NAMES);
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1", kubernetesServiceIp));
        hostName().ifPresent(dns::add);
        ips.addAll(interfaceAddresses());
        for (String name : extraNames) {
            if (looksLikeIp(name)) {
                ips.add(name);
            } else {
                dns.add(name);
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    static java.util.Optional<String> hostName() {
        try {
            // getLocalHost may resolve through /etc/hosts; only the name is used.
            String name = InetAddress.getLocalHost().getHostName();
            return name.isBlank() || looksLikeIp(name) ? java.util.Optional.empty() : java.util.Optional.of(name);
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    static Set<String> interfaceAddresses() {
        Set<String> ips = new LinkedHashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    // Link-local IPv6 addresses need a zone, which certificates cannot carry.
                    if (!address.isLinkLocalAddress()) {
                        ips.add(address.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: loopback and the host name still work.
        }
        return ips;
    }

    static boolean looksLikeIp(String name) {
        return name.contains(":") || name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }
}
