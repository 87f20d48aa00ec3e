package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControllerManagerTest {

    TestCluster cluster;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new TestCluster();
        try {
            cluster.client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                    .withNewMetadata().withName("kube-system").endMetadata().build()).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
        }
    }

    @AfterEach
    void tearDown() {
        cluster.close();
    }

    static ControllerManagerConfig elected(String identity) {
        ControllerManagerConfig d = ControllerManagerConfig.defaults();
        return new ControllerManagerConfig(java.util.Set.of("serviceaccount"), true, identity, Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofMillis(200), 1, d.nodeMonitorGracePeriod(), d.nodeMonitorPeriod(),
                d.podGcThreshold(), d.clock(), d.clusterCidr());
    }

    @Test
    void onlyTheLeaseHolderRunsAndAStandbyTakesOverWhenItStops() throws Exception {
        ControllerManager first = new ControllerManager(cluster.client, elected("first"));
        first.start().get(30, TimeUnit.SECONDS);
        Lease lease = cluster.client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("first");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);

        ControllerManager second = new ControllerManager(cluster.client, elected("second"));
        CompletableFuture<Void> secondRunning = second.start();
        try {
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !secondRunning.isDone());
            first.close();
            secondRunning.get(30, TimeUnit.SECONDS);
            assertThat(cluster.client.leases().inNamespace("kube-system").withName("kube-controller-manager").get()
                    .getSpec().getHolderIdentity()).isEqualTo("second");
        } finally {
            second.close();
        }
    }
}
