package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeploymentControllerTest {

    static TestCluster cluster;
    static KubectlRunner kubectl;

    @BeforeAll
    static void setUp(@TempDir Path dir) throws Exception {
        cluster = new TestCluster().withNodes(3).withControllers(TestCluster.config(Set.of("replicaset", "deployment")));
        kubectl = new KubectlRunner("http://127.0.0.1:" + cluster.server.port(), dir);
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    static Deployment deployment(String name, int replicas, String image, String strategy) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewStrategy().withType(strategy).endStrategy()
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    Deployment get(String name) {
        return cluster.client.apps().deployments().inNamespace("default").withName(name).get();
    }

    List<Pod> livePods(String app) {
        return cluster.client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static DeploymentCondition condition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    void awaitRolledOut(String name, int replicas, String image) {
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions().untilAsserted(() -> {
            Deployment d = get(name);
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
            assertThat(condition(d, "Progressing").getReason()).isEqualTo("NewReplicaSetAvailable");
            assertThat(condition(d, "Available").getStatus()).isEqualTo("True");
            assertThat(livePods(name)).hasSize(replicas)
                    .allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo(image));
        });
    }

    @Test
    void rollingUpdateReplacesEveryPodAndRollbackReusesTheOldReplicaSet() throws Exception {
        cluster.client.apps().deployments().inNamespace("default").resource(deployment("web", 6, "busybox:1.35", "RollingUpdate")).create();
        awaitRolledOut("web", 6, "busybox:1.35");
        assertThat(get("web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "1");
        List<String> firstPods = livePods("web").stream().map(p -> p.getMetadata().getName()).toList();

        var set = kubectl.run("set", "image", "deployment/web", "c=busybox:1.36");
        assertThat(set.exit()).as(set.out()).isZero();
        var status = kubectl.run("rollout", "status", "deployment/web", "--timeout=60s");
        assertThat(status.exit()).as(status.out()).isZero();
        assertThat(status.out()).contains("successfully rolled out");
        awaitRolledOut("web", 6, "busybox:1.36");
        assertThat(livePods("web")).extracting(p -> p.getMetadata().getName()).doesNotContainAnyElementsOf(firstPods);
        assertThat(get("web").getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "2");
        List<ReplicaSet> sets = cluster.client.apps().replicaSets().inNamespace("default").withLabel("app", "web").list().getItems();
        assertThat(sets).hasSize(2);
        String firstRs = sets.stream().filter(rs -> rs.getSpec().getReplicas() == 0).findFirst().orElseThrow().getMetadata().getName();

        var undo = kubectl.run("rollout", "undo", "deployment/web");
        assertThat(undo.exit()).as(undo.out()).isZero();
        awaitRolledOut("web", 6, "busybox:1.35");
        ReplicaSet back = cluster.client.apps().replicaSets().inNamespace("default").withName(firstRs).get();
        assertThat(back.getSpec().getReplicas()).isEqualTo(6);
        assertThat(back.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
        assertThat(cluster.client.apps().replicaSets().inNamespace("default").withLabel("app", "web").list().getItems()).hasSize(2);
        var history = kubectl.run("rollout", "history", "deployment/web");
        assertThat(history.out()).contains("2").contains("3");
    }

    @Test
    void recreateStopsOldPodsBeforeStartingNewOnes() {
        cluster.client.apps().deployments().inNamespace("default").resource(deployment("batch", 3, "busybox:1.35", "Recreate")).create();
        awaitRolledOut("batch", 3, "busybox:1.35");
        cluster.client.apps().deployments().inNamespace("default").withName("batch").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage("busybox:1.36").endContainer().endSpec().endTemplate().endSpec().build());
        awaitRolledOut("batch", 3, "busybox:1.36");
    }

    @Test
    void pausedDeploymentDoesNotRollOutUntilResumed() throws Exception {
        cluster.client.apps().deployments().inNamespace("default").resource(deployment("paused", 2, "busybox:1.35", "RollingUpdate")).create();
        awaitRolledOut("paused", 2, "busybox:1.35");
        assertThat(kubectl.run("rollout", "pause", "deployment/paused").exit()).isZero();
        assertThat(kubectl.run("set", "image", "deployment/paused", "c=busybox:1.36").exit()).isZero();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                "DeploymentPaused".equals(condition(get("paused"), "Progressing").getReason()));
        assertThat(cluster.client.apps().replicaSets().inNamespace("default").withLabel("app", "paused").list().getItems()).hasSize(1);
        assertThat(kubectl.run("rollout", "resume", "deployment/paused").exit()).isZero();
        awaitRolledOut("paused", 2, "busybox:1.36");
    }

    @Test
    void scalingFollowsSpecReplicas() {
        cluster.client.apps().deployments().inNamespace("default").resource(deployment("scaled", 2, "busybox:1.35", "RollingUpdate")).create();
        awaitRolledOut("scaled", 2, "busybox:1.35");
        cluster.client.apps().deployments().inNamespace("default").withName("scaled").scale(5);
        awaitRolledOut("scaled", 5, "busybox:1.35");
        cluster.client.apps().deployments().inNamespace("default").withName("scaled").scale(1);
        awaitRolledOut("scaled", 1, "busybox:1.35");
    }
}
