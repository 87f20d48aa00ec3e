package io.jk8s.kubelet.cni;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A joining node does not know its pod range: node IPAM in the controller manager assigns it
 * ({@code spec.podCIDR}) once the kubelet has registered the Node. This waits for that and then
 * writes the CNI configuration over the assigned range; containerd picks the file up and reports
 * the pod network ready (upstream's kubelet passes the CIDR to the runtime the same way, via
 * UpdateRuntimeConfig).
 */
public final class PodCidrFromNode {

    private static final Logger log = LoggerFactory.getLogger(PodCidrFromNode.class);

    private PodCidrFromNode() {
    }

    /**
     * Watches Node {@code nodeName} until it has a pod CIDR, then writes {@code template} over it
     * into {@code confDir}. Completes with the network written; cancel the future to stop waiting.
     */
    public static CompletableFuture<CniNetwork> writeWhenAssigned(KubernetesClient client, String nodeName,
                                                                  CniNetwork template, Path confDir) {
        log.info("node {}: waiting for a pod CIDR from node IPAM", nodeName);
        return client.nodes().withName(nodeName)
                .informOnCondition(nodes -> nodes.stream().anyMatch(n -> podCidr(n).isPresent()))
                .thenApply(nodes -> {
                    String cidr = nodes.stream().map(PodCidrFromNode::podCidr).flatMap(Optional::stream).findFirst().orElseThrow();
                    CniNetwork network = template.withPodCidr(cidr);
                    network.writeTo(confDir);
                    log.info("node {}: pod CIDR {} assigned; CNI configuration written", nodeName, cidr);
                    return network;
                });
    }

    static Optional<String> podCidr(Node n) {
        if (n.getSpec() == null) return Optional.empty();
        List<String> all = n.getSpec().getPodCIDRs();
        if (all != null && !all.isEmpty()) return Optional.of(all.getFirst());
        String one = n.getSpec().getPodCIDR();
        return one == null || one.isEmpty() ? Optional.empty() : Optional.of(one);
    }
}
