package io.jk8s.dns;

/** The {@code /etc/resolv.conf} the kubelet writes into pods with {@code dnsPolicy: ClusterFirst}. */
public final class ResolvConf {

    private ResolvConf() {
    }

    /**
     * resolv.conf text for a pod in {@code namespace}: the three cluster search domains, the cluster
     * DNS server, and {@code ndots:5} so that short Service names go through the search list first.
     */
    public static String forPod(String namespace, String clusterDnsIp, String domain) {
        String zone = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return "search " + namespace + ".svc." + zone + " svc." + zone + " " + zone + "\n"
                + "nameserver " + clusterDnsIp + "\n"
                + "options ndots:5\n";
    }
}
