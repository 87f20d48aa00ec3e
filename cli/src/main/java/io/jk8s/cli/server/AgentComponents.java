package io.jk8s.cli.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.cli.KubeClients;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.NodeRuntime;
import io.jk8s.kubelet.cni.CniNetwork;
import io.jk8s.kubelet.cni.PodCidrFromNode;
import io.jk8s.proxy.ProxyConfig;
import io.jk8s.proxy.ServiceProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One machine's agent — containerd (supervised child), kubelet, Service proxy — as both
 * {@code jk8s server} (with the admin kubeconfig) and {@code jk8s agent} (with the node's own
 * kubeconfig) run it. Started in that order, closed in reverse; pods keep running when it stops.
 */
public final class AgentComponents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");
    private static final long START_TIMEOUT_SECONDS = 120;

    private final StartedParts started = new StartedParts();

    private AgentComponents() {
    }

    /**
     * @param clusterDns the cluster DNS Service IP the kubelet gives pods; empty = the host's resolv.conf
     */
    public static AgentComponents start(Path kubeconfig, ClusterComponents.AgentSettings s, Optional<String> clusterDns)
            throws Exception {
        AgentComponents a = new AgentComponents();
        try {
            a.startAll(kubeconfig, s, clusterDns);
            return a;
        } catch (Exception | Error e) {
            a.close();
            throw e;
        }
    }

    private void startAll(Path kubeconfig, ClusterComponents.AgentSettings s, Optional<String> clusterDns) throws Exception {
        long t = System.nanoTime();
        // Without a given pod range (a joined node), the range comes from the Node once node IPAM assigns it.
        boolean cidrFromNode = s.podCidr() == null;
        CniNetwork cni = cidrFromNode ? CniNetwork.defaults(s.agentDir())
                : new CniNetwork("jk8s", "cni0", s.podCidr(), s.agentDir().resolve("cni/networks"));
        NodeRuntime.Options options = NodeRuntime.Options.defaults(s.agentDir());
        NodeRuntime runtime = NodeRuntime.start(cidrFromNode ? options.withNetworkFromNode(cni) : options.withNetwork(cni));
        started.push(runtime);
        LOG.info("containerd: ready ({} ms)", millisSince(t));

        t = System.nanoTime();
        // One API client for kubelet, proxy and network agent, as one process: one HTTP client (connection pool,
        // selector and executor threads) and one JSON mapper whose per-type caches the three would otherwise each
        // build; model classes only for the kinds they receive, callbacks on virtual threads. Closed after every
        // component that uses it.
        KubernetesClient client = started.push(KubeClients.forNodeAgent(kubeconfig));
        Kubelet kubelet = new Kubelet(client, runtime.cri(), new Kubelet.Config(s.nodeName(), s.nodeIp(),
                Optional.ofNullable(s.podCidr()), s.agentDir(), clusterDns, "cluster.local", s.kubeletServer()), Clock.systemUTC());
        started.push(kubelet);
        kubelet.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("kubelet: node {} ({}) registered ({} ms)", s.nodeName(), s.nodeIp(), millisSince(t));
        if (cidrFromNode) {
            var assigned = PodCidrFromNode.writeWhenAssigned(client, s.nodeName(), cni, NodeRuntime.cniConfDir(s.agentDir()));
            started.push(() -> assigned.cancel(true));
        }

        t = System.nanoTime();
        ServiceProxy proxy = new ServiceProxy(client, ProxyConfig.of(s.nodeName(), List.of(s.nodeIp()), s.clusterCidr()),
                s.proxyMode());
        started.push(proxy);
        proxy.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("proxy: rules programmed in {} mode ({} ms)", s.proxyMode().flagValue(), millisSince(t));

        // Pod network across nodes (routes/VXLAN, masquerade, unreachable routes): left in place on close.
        t = System.nanoTime();
        io.jk8s.network.NetworkAgent network = NodeNetwork.agent(client, s, s.serviceCidr());
        started.push(network);
        network.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("network: pod routes programmed ({} ms)", millisSince(t));
    }

    /** Proxy, kubelet, containerd, in that order (pods keep running in their shims). */
    @Override
    public void close() {
        started.close();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
