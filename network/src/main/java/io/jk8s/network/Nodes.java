package io.jk8s.network;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;

import java.util.Map;
import java.util.Optional;

/** What the network needs to read from a Node object. */
final class Nodes {

    private Nodes() {
    }

    static String name(Node n) {
        return n.getMetadata().getName();
    }

    /** The node's (first) pod range, once node IPAM or the kubelet has set it. */
    static Optional<String> podCidr(Node n) {
        if (n.getSpec() == null) return Optional.empty();
        if (n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()) {
            return Optional.of(n.getSpec().getPodCIDRs().getFirst());
        }
        String single = n.getSpec().getPodCIDR();
        return single == null || single.isEmpty() ? Optional.empty() : Optional.of(single);
    }

    /** The address the node's agent published, else its InternalIP. */
    static Optional<String> address(Node n) {
        Optional<String> published = annotation(n, NetworkConfig.PUBLIC_IP_ANNOTATION);
        if (published.isPresent()) return published;
        if (n.getStatus() == null || n.getStatus().getAddresses() == null) return Optional.empty();
        return n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress).filter(a -> a.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).findFirst();
    }

    static Optional<String> annotation(Node n, String key) {
        Map<String, String> a = n.getMetadata().getAnnotations();
        return a == null ? Optional.empty() : Optional.ofNullable(a.get(key)).filter(v -> !v.isEmpty());
    }
}
