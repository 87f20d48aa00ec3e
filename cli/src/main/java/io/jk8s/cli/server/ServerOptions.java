package io.jk8s.cli.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by {@code jk8s server} and {@code jk8s apiserver}; names follow k3s. */
public final class ServerOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "State, certificates and admin.kubeconfig (default: /var/lib/jk8s as root, else ~/.jk8s).")
    Path dataDir;

    @Option(names = "--bind-address", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address the HTTPS API listens on (default: ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--https-port", paramLabel = "PORT", defaultValue = "6443",
            description = "HTTPS API port (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--etcd-endpoints", split = ",", paramLabel = "URL",
            description = "Use these etcd servers (comma-separated, e.g. http://127.0.0.1:2379) instead of the embedded SQLite store.")
    List<String> etcdEndpoints = new ArrayList<>();

    @Option(names = "--cluster-cidr", paramLabel = "CIDR", defaultValue = "10.244.0.0/16",
            description = "Pod network (default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = "10.96.0.0/12",
            description = "Service network; its first address is the kubernetes Service (default: ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--resolv-conf", paramLabel = "FILE", defaultValue = "/etc/resolv.conf",
            description = "resolv.conf whose nameservers the cluster DNS forwards non-cluster names to (default: ${DEFAULT-VALUE}).")
    Path resolvConf;

    @Option(names = "--tls-san", split = ",", paramLabel = "NAME",
            description = "Extra host names or IP addresses for the serving certificate.")
    List<String> tlsSans = new ArrayList<>();

    @Option(names = "--node-monitor-grace-period", paramLabel = "DURATION", defaultValue = "40s",
            converter = GoDurationConverter.class,
            description = "A node whose heartbeat is older than this turns NotReady/Unknown and gets the NoExecute taints (default: ${DEFAULT-VALUE}).")
    java.time.Duration nodeMonitorGracePeriod;

    @Option(names = "--kubelet-port", paramLabel = "PORT", defaultValue = "10250",
            description = "Port of this machine's kubelet HTTPS server (logs, exec, port-forward) (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    public int kubeletPort() { return kubeletPort; }

    @Option(names = "--proxy-mode", paramLabel = "MODE", defaultValue = ProxyModeConverter.DEFAULT, converter = ProxyModeConverter.class,
            description = "How the Service proxy programs this machine: iptables or nftables (default: $JK8S_PROXY_MODE, else nftables).")
    io.jk8s.proxy.ProxyMode proxyMode;

    public io.jk8s.proxy.ProxyMode proxyMode() { return proxyMode; }

    public DataDir dataDir() {
        return new DataDir(dataDir != null ? dataDir : DataDir.defaultRoot());
    }

    public String bindAddress() { return bindAddress; }
    public int httpsPort() { return httpsPort; }
    public List<String> etcdEndpoints() { return List.copyOf(etcdEndpoints); }
    public String clusterCidr() { return clusterCidr; }
    public String serviceCidr() { return serviceCidr; }
    public List<String> tlsSans() { return List.copyOf(tlsSans); }
    public Path resolvConf() { return resolvConf; }
    public java.time.Duration nodeMonitorGracePeriod() { return nodeMonitorGracePeriod; }
}
