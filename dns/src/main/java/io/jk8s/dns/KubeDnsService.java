package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a running {@link ClusterDns} the way kubeadm publishes CoreDNS: Service {@code kube-system/kube-dns}
 * with the well-known cluster IP (ports 53/UDP {@code dns} and 53/TCP {@code dns-tcp}), but without a selector,
 * plus one EndpointSlice this class owns that points at the address and port the server really listens on.
 * Every node's proxy then DNATs {@code CLUSTER_DNS_IP:53} to it, so pods on any node reach it.
 *
 * <p>{@link #start()} writes both objects once and then re-checks them every {@link #RECHECK} (so a deleted or
 * edited object comes back); {@link #close()} removes the EndpointSlice, because a stopped server is no endpoint.
 */
public final class KubeDnsService implements AutoCloseable {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kube-dns";
    static final String SLICE_NAME = "kube-dns-jk8s";
    static final String MANAGED_BY = "jk8s-dns";
    static final Duration RECHECK = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(KubeDnsService.class);

    private final KubernetesClient client;
    private final String clusterIp;
    private final String endpointAddress;
    private final int endpointPort;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("jk8s-dns-publisher").daemon().factory());

    /**
     * @param clusterIp       the Service's cluster IP (the kubelet's {@code clusterDNS}), e.g. 10.96.0.10
     * @param endpointAddress where the DNS server listens, reachable from every node (the server's node address)
     * @param endpointPort    its UDP and TCP port
     */
    public KubeDnsService(KubernetesClient client, String clusterIp, String endpointAddress, int endpointPort) {
        this.client = client;
        this.clusterIp = clusterIp;
        this.endpointAddress = endpointAddress;
        this.endpointPort = endpointPort;
    }

    /** Writes the Service and EndpointSlice now (throws if that fails), then keeps them in place. */
    public void start() {
        reconcile();
        long period = RECHECK.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                LOG.warn("cannot publish {}/{}: {}", NAMESPACE, NAME, e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** One pass: creates what is missing, rewrites what differs from the desired state, leaves the rest alone. */
    void reconcile() {
        Service want = desiredService();
        Service have = client.services().inNamespace(NAMESPACE).withName(NAME).get();
        if (have == null) {
            client.services().inNamespace(NAMESPACE).resource(want).create();
            LOG.info("published Service {}/{} at {}", NAMESPACE, NAME, clusterIp);
        } else if (!clusterIp.equals(have.getSpec().getClusterIP())) {
            // A cluster IP cannot be changed in place (e.g. after --service-cidr changed): replace the Service.
            LOG.warn("Service {}/{} has cluster IP {}, want {}: recreating it", NAMESPACE, NAME, have.getSpec().getClusterIP(), clusterIp);
            client.services().inNamespace(NAMESPACE).withName(NAME).withGracePeriod(0).delete();
            client.services().inNamespace(NAMESPACE).resource(want).create();
        } else if (!samePorts(have.getSpec().getPorts(), want.getSpec().getPorts()) || have.getSpec().getSelector() != null
                && !have.getSpec().getSelector().isEmpty()) {
            have.getSpec().setPorts(want.getSpec().getPorts());
            have.getSpec().setSelector(null);
            client.services().inNamespace(NAMESPACE).resource(have).update();
        }

        EndpointSlice wantSlice = desiredSlice();
        EndpointSlice haveSlice = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(SLICE_NAME).get();
        if (haveSlice == null) {
            client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(wantSlice).create();
            LOG.info("published EndpointSlice {}/{} -> {}:{}", NAMESPACE, SLICE_NAME, endpointAddress, endpointPort);
        } else if (!sliceKey(haveSlice).equals(sliceKey(wantSlice))) {
            wantSlice.getMetadata().setResourceVersion(haveSlice.getMetadata().getResourceVersion());
            client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).resource(wantSlice).update();
            LOG.info("updated EndpointSlice {}/{} -> {}:{}", NAMESPACE, SLICE_NAME, endpointAddress, endpointPort);
        }
    }

    Service desiredService() {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(NAME)
                .withLabels(Map.of("k8s-app", "kube-dns", "kubernetes.io/cluster-service", "true",
                        "kubernetes.io/name", "jk8s-dns"))
                .endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .withPorts(port("dns", "UDP"), port("dns-tcp", "TCP"))
                .endSpec().build();
    }

    private ServicePort port(String name, String protocol) {
        return new ServicePortBuilder().withName(name).withProtocol(protocol).withPort(53)
                .withNewTargetPort(endpointPort).build();
    }

    EndpointSlice desiredSlice() {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SLICE_NAME)
                // Not the EndpointSlice controller's managed-by value, so that controller leaves it alone.
                .withLabels(Map.of("kubernetes.io/service-name", NAME, "endpointslice.kubernetes.io/managed-by", MANAGED_BY))
                .endMetadata()
                .withAddressType(endpointAddress.contains(":") ? "IPv6" : "IPv4")
                .addNewEndpoint().withAddresses(endpointAddress)
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .endEndpoint()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(endpointPort).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(endpointPort).endPort()
                .build();
    }

    /** What matters of a slice, ignoring fields the API server defaults (so an untouched slice is never rewritten). */
    private static String sliceKey(EndpointSlice slice) {
        StringBuilder key = new StringBuilder(String.valueOf(slice.getMetadata().getLabels()));
        for (var e : Objects.requireNonNullElse(slice.getEndpoints(), List.<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint>of())) {
            key.append(' ').append(e.getAddresses()).append(e.getConditions() == null ? null : e.getConditions().getReady());
        }
        for (var p : Objects.requireNonNullElse(slice.getPorts(), List.<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort>of())) {
            key.append(' ').append(p.getName()).append('/').append(p.getProtocol()).append('/').append(p.getPort());
        }
        return key.toString();
    }

    private static boolean samePorts(List<ServicePort> have, List<ServicePort> want) {
        if (have == null || have.size() != want.size()) return false;
        for (int i = 0; i < want.size(); i++) {
            ServicePort h = have.get(i);
            ServicePort w = want.get(i);
            if (!Objects.equals(h.getName(), w.getName()) || !Objects.equals(h.getProtocol(), w.getProtocol())
                    || !Objects.equals(h.getPort(), w.getPort()) || !Objects.equals(h.getTargetPort(), w.getTargetPort())) {
                return false;
            }
        }
        return true;
    }

    /** Stops re-checking and withdraws the endpoint (best effort: the API server may already be gone). */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(SLICE_NAME).delete();
        } catch (KubernetesClientException e) {
            LOG.debug("cannot withdraw EndpointSlice {}/{}: {}", NAMESPACE, SLICE_NAME, e.toString());
        }
    }
}
