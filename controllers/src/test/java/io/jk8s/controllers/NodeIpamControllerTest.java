package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeIpamControllerTest {

    TestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) cluster.close();
    }

    private void start(String clusterCidr) throws Exception {
        cluster = new TestCluster();
        cluster.withControllers(TestCluster.config(Set.of("nodeipam")).withClusterCidr(clusterCidr));
    }

    private void node(String name, String podCidr) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        if (podCidr != null) b.editSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec();
        cluster.client.nodes().resource(b.build()).create();
    }

    private String podCidr(String name) {
        Node n = cluster.client.nodes().withName(name).get();
        return n == null ? null : n.getSpec().getPodCIDR();
    }

    @Test
    void givesEveryNodeItsOwnRangeAndKeepsTheRangesNodesAlreadyHave() throws Exception {
        cluster = new TestCluster();
        node("server", "10.244.0.0/24"); // registered with its own range before the controller runs
        cluster.withControllers(TestCluster.config(Set.of("nodeipam")));
        node("a", null);
        node("b", null);
        node("foreign", "10.64.9.0/24"); // outside the cluster CIDR: left alone
        await().atMost(Duration.ofSeconds(10)).until(() -> podCidr("a") != null && podCidr("b") != null);
        assertThat(List.of(podCidr("server"), podCidr("a"), podCidr("b"))).doesNotHaveDuplicates()
                .allMatch(c -> c.matches("10\\.244\\.\\d+\\.0/24"));
        assertThat(cluster.client.nodes().withName("a").get().getSpec().getPodCIDRs()).containsExactly(podCidr("a"));
        assertThat(podCidr("server")).isEqualTo("10.244.0.0/24");
        assertThat(podCidr("foreign")).isEqualTo("10.64.9.0/24");
    }

    @Test
    void fullRangeIsReportedAndADeletedNodesRangeGoesToTheWaitingNode() throws Exception {
        start("10.244.0.0/23");
        node("a", null);
        node("b", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> podCidr("a") != null && podCidr("b") != null);
        node("c", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.client.v1().events().inNamespace("default").list().getItems()
                .stream().map(Event::getReason).anyMatch("CIDRNotAvailable"::equals));
        assertThat(podCidr("c")).isNull();

        String freed = podCidr("a");
        cluster.client.nodes().withName("a").delete();
        // The waiting node gets the released range at once, not at its 30 s retry.
        await().atMost(Duration.ofSeconds(10)).until(() -> freed.equals(podCidr("c")));
        assertThat(podCidr("b")).isNotEqualTo(freed);
    }
}
