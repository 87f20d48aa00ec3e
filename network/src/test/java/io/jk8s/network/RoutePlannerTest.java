package io.jk8s.network;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RoutePlannerTest {

    static final LocalInterface ETH0 = new LocalInterface("eth0", Ipv4Cidr.parse("192.168.77.0/24"), 1500);
    static final NetworkConfig CFG = NetworkConfig.of("me", "192.168.77.11", "10.244.0.0/16", "10.96.0.0/12");
    static final String MAC = "aa:bb:cc:dd:ee:ff";

    static Node node(String name, String cidr, String ip, String mac) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(cidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus();
        if (mac != null) b.editMetadata().withAnnotations(Map.of(NetworkConfig.VTEP_MAC_ANNOTATION, mac)).endMetadata();
        return b.build();
    }

    Optional<PeerRoute> plan(NetworkConfig cfg, Node n) {
        return new RoutePlanner(cfg, ETH0).plan(n);
    }

    @Test
    void peerOnTheSameSubnetIsRoutedDirectly() {
        assertThat(plan(CFG, node("b", "10.244.2.0/24", "192.168.77.12", MAC)))
                .contains(new PeerRoute.Direct("10.244.2.0/24", "192.168.77.12", "eth0"));
    }

    @Test
    void peerOnAnotherSubnetGoesOverVxlanToItsVtep() {
        assertThat(plan(CFG, node("b", "10.244.2.0/24", "10.1.0.5", MAC)))
                .contains(new PeerRoute.Vxlan("10.244.2.0/24", "10.244.2.0", MAC, "10.1.0.5"));
        assertThat(plan(CFG.withBackend(NetworkConfig.Backend.VXLAN), node("b", "10.244.2.0/24", "192.168.77.12", MAC)))
                .contains(new PeerRoute.Vxlan("10.244.2.0/24", "10.244.2.0", MAC, "192.168.77.12"));
    }

    @Test
    void nothingForItselfForRangesOutsideTheClusterOrForAVxlanPeerWithoutMac() {
        assertThat(plan(CFG, node("me", "10.244.1.0/24", "192.168.77.11", MAC))).isEmpty();
        assertThat(plan(CFG, node("hollow", "10.64.1.0/24", "192.168.77.12", MAC))).isEmpty();
        assertThat(plan(CFG, node("b", "10.244.2.0/24", "10.1.0.5", null))).isEmpty();
        assertThat(plan(CFG, node("b", null, "192.168.77.12", MAC))).isEmpty();
    }

    @Test
    void publishedAddressWinsOverInternalIp() {
        Node n = node("b", "10.244.2.0/24", "172.16.0.1", MAC);
        n.getMetadata().setAnnotations(Map.of(NetworkConfig.PUBLIC_IP_ANNOTATION, "192.168.77.12"));
        assertThat(plan(CFG, n)).contains(new PeerRoute.Direct("10.244.2.0/24", "192.168.77.12", "eth0"));
    }
}
