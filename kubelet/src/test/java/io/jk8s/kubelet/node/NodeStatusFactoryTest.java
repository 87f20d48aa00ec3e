package io.jk8s.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.jk8s.kubelet.cri.v1.RuntimeCondition;
import io.jk8s.kubelet.cri.v1.RuntimeStatus;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class NodeStatusFactoryTest {

    private static final HostFacts FACTS = new HostFacts(4, 8L * 1024 * 1024 * 1024, 100L * 1024 * 1024 * 1024,
            "6.1.0", "Debian GNU/Linux 12 (bookworm)", "abc123", "boot-1", "amd64");

    private static RuntimeStatus runtime(boolean runtimeReady, boolean networkReady) {
        return RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(runtimeReady))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(networkReady)).build();
    }

    private static NodeStatusFactory factory(Instant now) {
        return new NodeStatusFactory(new NodeStatusFactory.Identity("node-1", "192.168.1.5", Optional.of("10.244.0.0/24"),
                "containerd://1.6.20"), FACTS, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static NodeCondition condition(NodeStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void describesCapacityAddressesAndIdentity() {
        Node node = factory(Instant.parse("2026-01-01T00:00:00Z")).node(runtime(true, true));

        assertThat(node.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "node-1")
                .containsEntry("kubernetes.io/os", "linux").containsEntry("kubernetes.io/arch", "amd64");
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.244.0.0/24");
        NodeStatus status = node.getStatus();
        assertThat(status.getCapacity()).containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("8388608Ki")).containsEntry("pods", new Quantity("110"));
        assertThat(status.getAllocatable()).isEqualTo(status.getCapacity());
        assertThat(status.getAddresses()).extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=192.168.1.5", "Hostname=node-1");
        assertThat(status.getNodeInfo().getContainerRuntimeVersion()).isEqualTo("containerd://1.6.20");
        assertThat(status.getNodeInfo().getKubeletVersion()).startsWith("v1.");
        assertThat(status.getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
        assertThat(condition(status, "Ready").getReason()).isEqualTo("KubeletReady");
        assertThat(condition(status, "MemoryPressure").getStatus()).isEqualTo("False");
    }

    @Test
    void notReadyWhileRuntimeNetworkIsNotReady() {
        NodeStatus status = factory(Instant.parse("2026-01-01T00:00:00Z")).status(runtime(true, false), null);
        assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
        assertThat(condition(status, "Ready").getMessage()).contains("network");
    }

    @Test
    void heartbeatMovesButTransitionTimeStaysWhileStatusIsUnchanged() {
        NodeStatus first = factory(Instant.parse("2026-01-01T00:00:00Z")).status(runtime(true, true), null);
        NodeStatus later = factory(Instant.parse("2026-01-01T00:05:00Z")).status(runtime(true, true), first);
        assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(condition(later, "Ready").getLastHeartbeatTime()).isEqualTo("2026-01-01T00:05:00Z");

        NodeStatus down = factory(Instant.parse("2026-01-01T00:06:00Z")).status(runtime(false, false), later);
        assertThat(condition(down, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:06:00Z");
    }

    @Test
    void readsThisMachinesFacts() {
        HostFacts facts = HostFacts.read(Path.of("/tmp"));
        assertThat(facts.cpus()).isPositive();
        assertThat(facts.memoryBytes()).isPositive();
        assertThat(facts.ephemeralStorageBytes()).isPositive();
        assertThat(facts.kernelVersion()).isNotBlank();
    }
}
