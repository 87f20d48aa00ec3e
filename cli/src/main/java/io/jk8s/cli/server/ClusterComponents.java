package io.jk8s.cli.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.cli.KubeClients;
import io.jk8s.controllers.ControllerManager;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import io.jk8s.dns.ClusterDns;
import io.jk8s.dns.DnsConfig;
import io.jk8s.dns.KubeDnsService;
import io.jk8s.dns.Upstreams;
import io.jk8s.scheduler.Scheduler;
import io.jk8s.scheduler.SchedulerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Everything {@code jk8s server} runs besides the API server: the controller manager and the
 * scheduler, and (unless the agent is disabled) this machine's agent — containerd, kubelet, proxy.
 *
 * <p>Each one is a client of the HTTP API through its own fabric8 client built from the admin
 * kubeconfig, exactly as if it ran in another process; none calls another's Java code. Started in
 * dependency order, closed in reverse.
 */
public final class ClusterComponents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    private static final long START_TIMEOUT_SECONDS = 120;

    /** What the agent part needs to know about this node ({@code podCidr} null: the one node IPAM assigns to the Node). */
    /** @param kubeletServer the kubelet's HTTPS server (logs, exec, attach, port-forward); empty = none */
    /** @param proxyMode how the Service proxy programs the node (--proxy-mode) */
    /** @param serviceCidr the cluster's Service range (the server's --service-cidr): kept on the host by the network agent */
    public record AgentSettings(String nodeName, String nodeIp, String podCidr, String clusterCidr, Path agentDir,
                                Optional<io.jk8s.kubelet.server.KubeletServer.Settings> kubeletServer,
                                io.jk8s.proxy.ProxyMode proxyMode, String serviceCidr) {

        /** In the default Service range. */
        public AgentSettings(String nodeName, String nodeIp, String podCidr, String clusterCidr, Path agentDir,
                             Optional<io.jk8s.kubelet.server.KubeletServer.Settings> kubeletServer, io.jk8s.proxy.ProxyMode proxyMode) {
            this(nodeName, nodeIp, podCidr, clusterCidr, agentDir, kubeletServer, proxyMode, NodeNetwork.DEFAULT_SERVICE_CIDR);
        }

        /** In the default proxy mode. */
        public AgentSettings(String nodeName, String nodeIp, String podCidr, String clusterCidr, Path agentDir,
                             Optional<io.jk8s.kubelet.server.KubeletServer.Settings> kubeletServer) {
            this(nodeName, nodeIp, podCidr, clusterCidr, agentDir, kubeletServer, io.jk8s.proxy.ProxyMode.DEFAULT);
        }

        /** Without the kubelet's HTTPS server. */
        public AgentSettings(String nodeName, String nodeIp, String podCidr, String clusterCidr, Path agentDir) {
            this(nodeName, nodeIp, podCidr, clusterCidr, agentDir, Optional.empty());
        }
    }

    private final StartedParts started = new StartedParts();
    /** The cluster DNS Service IP the kubelet writes into pods' resolv.conf; empty without cluster DNS. */
    private Optional<String> clusterDns = Optional.empty();
    private ControllerManagerConfig controllerConfig = ControllerManagerConfig.defaults();

    private ClusterComponents() {}

    /**
     * Starts the control-plane clients, then the agent if {@code agent} is present; on failure closes
     * what was started and rethrows.
     */
    public static ClusterComponents start(Path kubeconfig, Optional<AgentSettings> agent) throws Exception {
        return start(kubeconfig, Optional.empty(), agent);
    }

    /** As {@link #start(Path, Optional)}, plus the cluster DNS (after the scheduler, before the agent). */
    public static ClusterComponents start(Path kubeconfig, Optional<ClusterDnsSettings> dns, Optional<AgentSettings> agent)
            throws Exception {
        return start(kubeconfig, ControllerManagerConfig.defaults(), dns, agent);
    }

    /** As above, with the controller manager's settings (e.g. the CA its CSR signer issues with). */
    public static ClusterComponents start(Path kubeconfig, ControllerManagerConfig controllerConfig,
                                          Optional<ClusterDnsSettings> dns, Optional<AgentSettings> agent) throws Exception {
        ClusterComponents c = new ClusterComponents();
        c.controllerConfig = controllerConfig;
        try {
            c.startControlPlaneClients(kubeconfig);
            if (dns.isPresent()) c.startClusterDns(kubeconfig, dns.get());
            if (agent.isPresent()) c.startAgent(kubeconfig, agent.get());
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void startControlPlaneClients(Path kubeconfig) throws Exception {
        long t = System.nanoTime();
        ControllerManager controllers = new ControllerManager(client(kubeconfig), controllerConfig);
        started.push(controllers);
        controllers.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("controller-manager: started ({} ms)", millisSince(t));

        t = System.nanoTime();
        Scheduler scheduler = new Scheduler(client(kubeconfig), SchedulerConfig.defaults());
        started.push(scheduler);
        scheduler.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("scheduler: started ({} ms)", millisSince(t));
    }

    /**
     * Cluster DNS as one server-side replica (what CoreDNS is for kubeadm): it listens on the node address at an
     * unprivileged port and is published as Service kube-system/kube-dns with a selectorless EndpointSlice, so
     * every node's proxy sends {@code serviceIp:53} to it.
     */
    private void startClusterDns(Path kubeconfig, ClusterDnsSettings s) throws Exception {
        long t = System.nanoTime();
        var upstreams = Upstreams.fromHost(s.resolvConf(), new InetSocketAddress(s.serviceIp(), 53));
        DnsConfig config = new DnsConfig(s.listenAddress(), s.preferredPort(), s.clusterDomain(), upstreams,
                DnsConfig.DEFAULT_TTL, DnsConfig.DEFAULT_UPSTREAM_TIMEOUT);
        KubernetesClient client = client(kubeconfig);
        ClusterDns dns = new ClusterDns(client, config);
        java.util.concurrent.CompletableFuture<Void> synced;
        try {
            synced = dns.start();
        } catch (UncheckedIOException taken) {
            // Another server on this machine (tests, experiments) holds the preferred port: any free one will do,
            // the EndpointSlice carries it.
            LOG.info("cluster DNS: port {} is taken ({}), using a free one", s.preferredPort(), taken.getCause());
            dns = new ClusterDns(client, new DnsConfig(s.listenAddress(), 0, s.clusterDomain(), upstreams,
                    DnsConfig.DEFAULT_TTL, DnsConfig.DEFAULT_UPSTREAM_TIMEOUT));
            synced = dns.start();
        }
        started.push(dns);
        synced.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        KubeDnsService published = new KubeDnsService(client, s.serviceIp(), s.listenAddress(), dns.port());
        started.push(published);
        published.start();
        clusterDns = Optional.of(s.serviceIp());
        LOG.info("cluster DNS: {}:53 -> {}:{}, upstreams {} ({} ms)", s.serviceIp(), s.listenAddress(), dns.port(),
                upstreams, millisSince(t));
    }

    private void startAgent(Path kubeconfig, AgentSettings s) throws Exception {
        started.push(AgentComponents.start(kubeconfig, s, clusterDns));
    }

    private KubernetesClient client(Path kubeconfig) throws Exception {
        return started.push(KubeClients.fromKubeconfig(kubeconfig));
    }

    /** Closes in reverse start order: the agent first (pods keep running), then the scheduler and controllers. */
    @Override
    public void close() {
        started.close();
    }

    /** This machine's node address (InternalIP): see {@link NodeAddress}. */
    public static String primaryIPv4() throws SocketException {
        return NodeAddress.primaryIPv4();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
