package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplicaSetControllerTest {

    TestCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2).withControllers(TestCluster.config(Set.of("replicaset")));
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    static ReplicaSet replicaSet(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    List<Pod> pods(String app) {
        return cluster.client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    @Test
    void createsPodsAndReportsThemAvailable() {
        cluster.client.apps().replicaSets().inNamespace("default").resource(replicaSet("web", 5)).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace("default").withName("web").get();
            assertThat(rs.getStatus().getReplicas()).isEqualTo(5);
            assertThat(rs.getStatus().getReadyReplicas()).isEqualTo(5);
            assertThat(rs.getStatus().getAvailableReplicas()).isEqualTo(5);
            assertThat(rs.getStatus().getFullyLabeledReplicas()).isEqualTo(5);
            assertThat(rs.getStatus().getObservedGeneration()).isEqualTo(rs.getMetadata().getGeneration());
        });
        List<Pod> pods = pods("web");
        assertThat(pods).hasSize(5);
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.getMetadata().getName()).startsWith("web-");
            assertThat(p.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
                assertThat(r.getKind()).isEqualTo("ReplicaSet");
                assertThat(r.getController()).isTrue();
                assertThat(r.getBlockOwnerDeletion()).isTrue();
            });
        });
    }

    @Test
    void scalesDownAndReplacesDeletedPods() {
        cluster.client.apps().replicaSets().inNamespace("default").resource(replicaSet("api", 4)).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> pods("api").size() == 4);
        cluster.client.pods().inNamespace("default").withName(pods("api").get(0).getMetadata().getName()).delete();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> pods("api").size() == 4
                && cluster.client.apps().replicaSets().inNamespace("default").withName("api").get().getStatus().getAvailableReplicas() == 4);
        cluster.client.apps().replicaSets().inNamespace("default").withName("api").scale(1);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> cluster.client.pods().inNamespace("default").withLabel("app", "api").list().getItems().size() == 1);
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
        cluster.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("stray")
                .addToLabels("app", "db").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec().build()).create();
        // A running orphan: if the controller's cache is a step behind and it briefly holds three pods, it
        // removes one of its own new (younger, possibly pending) pods rather than the orphan.
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(
                cluster.client.pods().inNamespace("default").withName("stray").get().getStatus().getPhase()));
        cluster.client.apps().replicaSets().inNamespace("default").resource(replicaSet("db", 2)).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(pods("db")).hasSize(2);
            Pod stray = cluster.client.pods().inNamespace("default").withName("stray").get();
            assertThat(stray.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(r -> assertThat(r.getName()).isEqualTo("db"));
        });
        cluster.client.pods().inNamespace("default").withName("stray").edit(p -> new PodBuilder(p).editMetadata()
                .addToLabels("app", "other").endMetadata().build());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            Pod stray = cluster.client.pods().inNamespace("default").withName("stray").get();
            assertThat(stray.getMetadata().getOwnerReferences()).isNullOrEmpty();
            assertThat(pods("db")).hasSize(2);
        });
    }
}
