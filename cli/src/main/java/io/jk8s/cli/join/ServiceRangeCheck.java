package io.jk8s.cli.join;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.cli.server.Cidr;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Catches an agent started with another Service range than its server's. Upstream passes
 * {@code --service-cluster-ip-range} to every component by hand; a joined agent cannot learn the prefix from
 * the API (the {@code kubernetes} Service's cluster IP names one address, not the range), but that address
 * must lie inside the agent's {@code --service-cidr}, else the agent would route Service VIPs wrongly.
 */
final class ServiceRangeCheck {

    private ServiceRangeCheck() {
    }

    /** A message naming the flag when {@code default/kubernetes}'s cluster IP is outside {@code serviceCidr}; empty when fine or unknown. */
    static Optional<String> mismatch(KubernetesClient client, String serviceCidr) {
        return mismatch(serviceCidr, kubernetesServiceIp(client));
    }

    static Optional<String> mismatch(String serviceCidr, Optional<String> kubernetesServiceIp) {
        return kubernetesServiceIp.filter(ip -> !contains(Cidr.parse(serviceCidr), ip))
                .map(ip -> "--service-cidr " + serviceCidr + " does not hold the cluster's kubernetes Service IP " + ip
                        + ": pass the server's --service-cidr to jk8s agent");
    }

    private static Optional<String> kubernetesServiceIp(KubernetesClient client) {
        try {
            Service kubernetes = client.services().inNamespace("default").withName("kubernetes").get();
            return Optional.ofNullable(kubernetes == null || kubernetes.getSpec() == null ? null : kubernetes.getSpec().getClusterIP())
                    .filter(ip -> !ip.isEmpty());
        } catch (KubernetesClientException e) {
            return Optional.empty(); // cannot tell; the agent still works in the given range
        }
    }

    static boolean contains(Cidr cidr, String address) {
        try {
            byte[] net = cidr.network().getAddress();
            byte[] ip = InetAddress.getByName(address).getAddress();
            if (net.length != ip.length) return false;
            int shift = net.length * 8 - cidr.prefixLength();
            return new BigInteger(1, net).shiftRight(shift).equals(new BigInteger(1, ip).shiftRight(shift));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
