package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DaemonSetControllerTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(3).withControllers(TestCluster.config(Set.of("daemonset")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    List<Pod> live(String app) {
        return cluster.client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    DaemonSet get(String name) {
        return cluster.client.apps().daemonSets().inNamespace("default").withName(name).get();
    }

    @Test
    void runsOnePodPerNodeAndRollsNewTemplatesOut() {
        cluster.client.apps().daemonSets().inNamespace("default").resource(new DaemonSetBuilder()
                .withNewMetadata().withName("agent").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "agent").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(live("agent")).extracting(p -> p.getSpec().getNodeName())
                    .containsExactlyInAnyOrder("hollow-0", "hollow-1", "hollow-2");
            DaemonSet ds = get("agent");
            assertThat(ds.getStatus().getDesiredNumberScheduled()).isEqualTo(3);
            assertThat(ds.getStatus().getNumberReady()).isEqualTo(3);
            assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(3);
        });
        cluster.client.apps().daemonSets().inNamespace("default").withName("agent").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1.36\"}]}}}}");
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions().untilAsserted(() -> {
            assertThat(live("agent")).hasSize(3)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1.36"));
            DaemonSet ds = get("agent");
            assertThat(ds.getStatus().getUpdatedNumberScheduled()).isEqualTo(3);
            assertThat(ds.getStatus().getNumberAvailable()).isEqualTo(3);
        });
    }

    @Test
    void skipsNodesOutsideTheNodeSelector() {
        cluster.client.nodes().withName("hollow-1").edit(n -> {
            n.getMetadata().getLabels().put("disk", "ssd");
            return n;
        });
        cluster.client.apps().daemonSets().inNamespace("default").resource(new DaemonSetBuilder()
                .withNewMetadata().withName("ssd").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "ssd").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "ssd").endMetadata()
                .withNewSpec().addToNodeSelector("disk", "ssd").addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(live("ssd")).extracting(p -> p.getSpec().getNodeName()).containsExactly("hollow-1");
            assertThat(get("ssd").getStatus().getDesiredNumberScheduled()).isEqualTo(1);
        });
    }
}
