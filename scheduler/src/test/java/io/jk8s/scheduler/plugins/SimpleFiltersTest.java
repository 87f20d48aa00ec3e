package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** NodeName, NodeUnschedulable and NodePorts. */
class SimpleFiltersTest {

    private static Pod port(String name, String ip, String protocol, int port) {
        return new PodBuilder(pod(name, null, null).build()).editSpec().editFirstContainer()
                .addToPorts(new ContainerPortBuilder().withContainerPort(port).withHostPort(port).withHostIP(ip).withProtocol(protocol).build())
                .endContainer().endSpec().build();
    }

    @ParameterizedTest(name = "existing {0}/{1}:{2}, wanted {3}/{4}:{5} -> fits {6}")
    @CsvSource(nullValues = "-", value = {
            "-, TCP, 80, -, TCP, 80, false",
            "-, TCP, 80, -, UDP, 80, true",
            "-, TCP, 80, -, TCP, 81, true",
            "10.0.0.1, TCP, 80, 10.0.0.2, TCP, 80, true",
            "10.0.0.1, TCP, 80, 0.0.0.0, TCP, 80, false",
            "0.0.0.0, TCP, 80, 10.0.0.2, TCP, 80, false",
    })
    void nodePorts(String ip1, String proto1, int port1, String ip2, String proto2, int port2, boolean fits) {
        Cluster c = new Cluster().node(node("n", "4", "8Gi").build(), port("a", ip1, proto1, port1));
        Status s = c.filter(new NodePorts(), port("p", ip2, proto2, port2), "n");
        assertThat(s.isSuccess()).isEqualTo(fits);
        if (!fits) {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(s.reasons()).containsExactly(NodePorts.ERR_REASON);
        }
    }

    @Test
    void nodeNameMustMatch() {
        Cluster c = new Cluster().node(node("n", "4", "8Gi").build());
        assertThat(c.filter(new NodeName(), pod("p", null, null).editSpec().withNodeName("n").endSpec().build(), "n").isSuccess()).isTrue();
        Status s = c.filter(new NodeName(), pod("p", null, null).editSpec().withNodeName("other").endSpec().build(), "n");
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match the requested node name");
    }

    @Test
    void cordonedNodesOnlyTakeTolerantPods() {
        Cluster c = new Cluster().node(node("n", "4", "8Gi").editSpec().withUnschedulable(true).endSpec().build());
        Status s = c.filter(new NodeUnschedulable(), pod("p", null, null).build(), "n");
        assertThat(s.reasons()).containsExactly("node(s) were unschedulable");
        Pod tolerant = pod("p", null, null).editSpec().addToTolerations(
                new Toleration("NoSchedule", "node.kubernetes.io/unschedulable", "Exists", null, null)).endSpec().build();
        assertThat(c.filter(new NodeUnschedulable(), tolerant, "n").isSuccess()).isTrue();
    }
}
