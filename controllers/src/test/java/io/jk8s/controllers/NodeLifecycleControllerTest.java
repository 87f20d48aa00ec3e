package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jk8s.hollow.HollowConfig;
import io.jk8s.hollow.HollowNodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NodeLifecycleControllerTest {

    TestCluster cluster;
    HollowNodes silent;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster();
        silent = new HollowNodes(cluster.client, HollowConfig.of(1).withPrefix("silent-").withHeartbeat(Duration.ofMillis(300)));
        silent.start().get(30, TimeUnit.SECONDS);
        cluster.withControllers(TestCluster.config(Set.of("nodelifecycle"))
                .withNodeMonitor(Duration.ofSeconds(5), Duration.ofMillis(300)));
    }

    @AfterEach
    void tearDown() {
        silent.close();
        cluster.close();
    }

    Pod pod(String name, Long tolerationSeconds) {
        return cluster.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("silent-0")
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(tolerationSeconds).endToleration()
                .addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec().build()).create();
    }

    Node node() {
        return cluster.client.nodes().withName("silent-0").get();
    }

    @Test
    void healthyNodeStaysReadyAndUntainted() {
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() ->
                node().getSpec().getTaints() == null || node().getSpec().getTaints().isEmpty());
    }

    @Test
    void silentNodeTurnsUnknownIsTaintedAndItsPodsAreEvictedAfterTheirToleration() {
        pod("short", 2L);
        pod("forever", null);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "Running".equals(cluster.client.pods().inNamespace("default").withName("short").get().getStatus().getPhase()));
        silent.close();
        await().atMost(Duration.ofSeconds(25)).ignoreExceptions().untilAsserted(() -> {
            Node n = node();
            assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("Unknown");
                assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
            });
            assertThat(n.getSpec().getTaints()).extracting(t -> t.getKey() + ":" + t.getEffect())
                    .contains("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute");
        });
        await().atMost(Duration.ofSeconds(25)).until(() ->
                cluster.client.pods().inNamespace("default").withName("short").get().getMetadata().getDeletionTimestamp() != null);
        Pod forever = cluster.client.pods().inNamespace("default").withName("forever").get();
        assertThat(forever.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(forever.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
        });
    }
}
