package io.jk8s.cli.join;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.cli.KubeClients;
import io.jk8s.cli.server.AgentComponents;
import io.jk8s.cli.server.ClusterComponents;
import io.jk8s.cli.server.DataDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jk8s agent --server URL --token TOKEN}: joins this machine to a cluster (verifies the server's CA
 * against the token, obtains a node certificate with the bootstrap token) and runs its agent — containerd,
 * kubelet, proxy — as that node until stopped. Restarts reuse the node certificate.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Join this machine to a cluster and run its agent (containerd, kubelet, proxy).")
public final class AgentCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    private static final Duration JOIN_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The API server, e.g. https://10.0.0.1:6443.")
    String server;

    @Option(names = "--token", required = true, description = "Join token printed by 'jk8s token create' (K10<ca-hash>::<id>.<secret>).")
    String token;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "State directory (default: /var/lib/jk8s as root, else ~/.jk8s); the agent uses <dir>/agent.")
    Path dataDir;

    @Option(names = "--node-name", description = "Name of this node (default: the host name).")
    String nodeName;

    @Option(names = "--node-ip", description = "This node's InternalIP (default: the first non-loopback IPv4 address).")
    String nodeIp;

    @Option(names = "--pod-cidr", description = "This node's pod range (default: the one node IPAM assigns to the Node).")
    String podCidr;

    @Option(names = "--cluster-cidr", defaultValue = "10.244.0.0/16", description = "The cluster's pod network (default: ${DEFAULT-VALUE}).")
    String clusterCidr;

    @Option(names = "--proxy-mode", paramLabel = "MODE", defaultValue = io.jk8s.cli.server.ProxyModeConverter.DEFAULT,
            converter = io.jk8s.cli.server.ProxyModeConverter.class,
            description = "How the Service proxy programs this machine: iptables or nftables (default: $JK8S_PROXY_MODE, else nftables).")
    io.jk8s.proxy.ProxyMode proxyMode;

    @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = io.jk8s.cli.server.NodeNetwork.DEFAULT_SERVICE_CIDR,
            description = "The cluster's Service range, as given to 'jk8s server --service-cidr' (default: ${DEFAULT-VALUE}).")
    String serviceCidr;

    @Option(names = "--kubelet-port", defaultValue = "10250", description = "Port of the kubelet's HTTPS server (logs, exec, port-forward) (default: ${DEFAULT-VALUE}).")
    int kubeletPort;

    @Override
    public Integer call() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("the agent needs root (containerd, network namespaces, iptables)");
        }
        JoinToken join = JoinToken.parse(token);
        io.jk8s.cli.server.Cidr.parse(serviceCidr); // a malformed --service-cidr fails before joining
        String url = server.replaceAll("/+$", "");
        if (!url.startsWith("https://")) throw new IllegalArgumentException("--server must be an https:// URL");
        String name = nodeName != null ? nodeName : java.net.InetAddress.getLocalHost().getHostName().toLowerCase();
        String ip = nodeIp != null ? nodeIp : ClusterComponents.primaryIPv4();
        Path agentDir = new DataDir(dataDir != null ? dataDir : DataDir.defaultRoot()).agent();

        Path kubeconfig = NodeCredentials.ensure(agentDir, url, join, name, JOIN_TIMEOUT, Clock.systemUTC());
        Optional<String> clusterDns;
        try (KubernetesClient client = KubeClients.forNodeAgent(kubeconfig)) {
            clusterDns = clusterDnsIp(client);
            Optional<String> wrongRange = ServiceRangeCheck.mismatch(client, serviceCidr);
            if (wrongRange.isPresent()) throw new IllegalArgumentException(wrongRange.get());
        }
        // No --pod-cidr: the kubelet registers the Node and takes the range node IPAM assigns to it.
        AgentComponents agent = AgentComponents.start(kubeconfig,
                new ClusterComponents.AgentSettings(name, ip, podCidr, clusterCidr, agentDir,
                        Optional.of(AgentKubeletServer.settings(agentDir, kubeconfig, name, ip, kubeletPort)), proxyMode, serviceCidr),
                clusterDns);
        Optional<IdleHeapCollector> heapCollector = IdleHeapCollector.startIfSerial();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("agent: shutting down");
            try {
                heapCollector.ifPresent(IdleHeapCollector::close);
                agent.close();
            } finally {
                stopped.countDown();
            }
        }, "jk8s-agent-shutdown"));
        System.out.println("jk8s: node " + name + " (" + ip + ") joined " + url);
        stopped.await();
        return 0;
    }

    /** The cluster DNS Service IP when the server runs cluster DNS (Service kube-system/kube-dns). */
    static Optional<String> clusterDnsIp(KubernetesClient client) {
        try {
            Service dns = client.services().inNamespace("kube-system").withName("kube-dns").get();
            return dns == null || dns.getSpec() == null ? Optional.empty() : Optional.ofNullable(dns.getSpec().getClusterIP());
        } catch (KubernetesClientException e) {
            LOG.info("agent: cannot read kube-system/kube-dns ({}); pods use the host's resolv.conf", e.getMessage());
            return Optional.empty();
        }
    }
}
