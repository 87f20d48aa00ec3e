package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GarbageCollectorTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2)
                .withControllers(TestCluster.config(Set.of("replicaset", "deployment", "garbagecollector", "serviceaccount")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    int pods(String app) {
        return cluster.client.pods().inNamespace("default").withLabel("app", app).list().getItems().size();
    }

    @Test
    void deletingADeploymentRemovesItsReplicaSetsAndPods() {
        cluster.client.apps().deployments().inNamespace("default")
                .resource(DeploymentControllerTest.deployment("gone", 3, "busybox:1.35", "RollingUpdate")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("gone") == 3);
        cluster.client.apps().deployments().inNamespace("default").withName("gone").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("gone") == 0
                && cluster.client.apps().replicaSets().inNamespace("default").withLabel("app", "gone").list().getItems().isEmpty());
    }

    @Test
    void orphanDeletionKeepsDependentsWithoutTheReference() {
        ReplicaSet rs = cluster.client.apps().replicaSets().inNamespace("default")
                .resource(ReplicaSetControllerTest.replicaSet("kept", 2)).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("kept") == 2);
        // The API server records the policy only; a client-set orphan finalizer exercises the collector.
        cluster.client.apps().replicaSets().inNamespace("default").withName("kept").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"finalizers\":[\"orphan\"]}}");
        cluster.client.apps().replicaSets().inNamespace("default").withName("kept").delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(cluster.client.apps().replicaSets().inNamespace("default").withName("kept").get()).isNull();
            assertThat(cluster.client.pods().inNamespace("default").withLabel("app", "kept").list().getItems())
                    .hasSize(2).allSatisfy(p -> assertThat(p.getMetadata().getOwnerReferences()).isNullOrEmpty());
        });
        assertThat(rs.getMetadata().getUid()).isNotNull();
    }

    @Test
    void podWithAMissingOwnerIsCollected() {
        Pod pod = cluster.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("lonely")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("never-existed")
                .withUid("00000000-0000-0000-0000-000000000001").endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec().build()).create();
        assertThat(pod).isNotNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.pods().inNamespace("default").withName("lonely").get() == null);
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccount() {
        cluster.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("team-a").endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                cluster.client.serviceAccounts().inNamespace("team-a").withName("default").get() != null);
        cluster.client.serviceAccounts().inNamespace("team-a").withName("default").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var sa = cluster.client.serviceAccounts().inNamespace("team-a").withName("default").get();
            return sa != null && sa.getMetadata().getDeletionTimestamp() == null;
        });
    }
}
