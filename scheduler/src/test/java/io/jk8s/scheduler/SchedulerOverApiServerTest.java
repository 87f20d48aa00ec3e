package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fabric8-based {@link Scheduler} against the real jk8s API server (loopback, ephemeral port). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedulerOverApiServerTest {

    private TestServer api;
    private KubernetesClient client;
    private Scheduler scheduler;

    @BeforeEach
    void start() throws Exception {
        api = TestServer.withBuiltinKinds();
        client = api.client;
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private void createNode(Node node) {
        Node created = client.nodes().resource(node).create();
        created.setStatus(node.getStatus());
        client.nodes().resource(created).updateStatus();
    }

    private Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void extraPodHandlerSeesBindsThroughTheSchedulersOwnInformer() throws Exception {
        createNode(node("worker", "2", "4Gi").build());
        java.util.Set<String> boundSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        scheduler = new Scheduler(client, SchedulerConfig.defaults().withLeaderElect(false));
        scheduler.addPodEventHandler(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (oldPod.getSpec().getNodeName() == null && newPod.getSpec().getNodeName() != null) {
                    boundSeen.add(newPod.getMetadata().getName() + "@" + newPod.getSpec().getNodeName());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
            }
        });
        scheduler.start().get(30, TimeUnit.SECONDS);
        client.pods().inNamespace("default").resource(pod("a", "100m", "64Mi").build()).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> boundSeen.contains("a@worker"));
    }

    @Test
    void bindsPodsAndReportsUnschedulableOnesThroughTheApi() throws Exception {
        createNode(node("worker", "2", "4Gi").build());
        createNode(node("cp", "8", "16Gi").editSpec()
                .addToTaints(new Taint("NoSchedule", "node-role.kubernetes.io/control-plane", null, null)).endSpec().build());
        scheduler = new Scheduler(client, SchedulerConfig.defaults().withIdentity("test-scheduler"));
        scheduler.start().get(30, TimeUnit.SECONDS);

        client.pods().inNamespace("default").resource(pod("web", "500m", "256Mi").build()).create();
        client.pods().inNamespace("default").resource(pod("huge", "4", "256Mi").build()).create();

        await().atMost(Duration.ofSeconds(30)).until(() -> "worker".equals(get("web").getSpec().getNodeName()));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace("default").list().getItems().stream()
                .anyMatch(e -> "Scheduled".equals(e.getReason()) && "web".equals(e.getInvolvedObject().getName())));

        String expected = "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: "
                + "2 Preemption is not helpful for scheduling.";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PodCondition c = get("huge").getStatus().getConditions().stream()
                    .filter(x -> "PodScheduled".equals(x.getType())).findFirst().orElseThrow();
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(expected);
        });
        assertThat(client.v1().events().inNamespace("default").list().getItems())
                .anyMatch(e -> "FailedScheduling".equals(e.getReason()) && expected.equals(e.getMessage()));
        assertThat(get("huge").getSpec().getNodeName()).isNull();

        // A bigger node arrives: the waiting pod is retried and bound there.
        createNode(node("big", "8", "16Gi").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "big".equals(get("huge").getSpec().getNodeName()));
    }

    @Test
    void holdsTheSchedulerLease() throws Exception {
        createNode(node("worker", "2", "4Gi").build());
        scheduler = new Scheduler(client, SchedulerConfig.defaults().withIdentity("holder-1"));
        scheduler.start().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("holder-1");
        });
        client.pods().inNamespace("default").resource(pod("p", "100m", "64Mi").build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> "worker".equals(get("p").getSpec().getNodeName()));
    }

    @Test
    void onlyTheLeaseHolderSchedulesAndAStandbyTakesOver() throws Exception {
        createNode(node("worker", "2", "4Gi").build());
        scheduler = new Scheduler(client, SchedulerConfig.defaults().withIdentity("leader"));
        scheduler.start().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
            return lease != null && "leader".equals(lease.getSpec().getHolderIdentity());
        });
        // The standby serves a scheduler name of its own, so whatever gets that pod bound is the standby.
        SchedulerConfig standbyConfig = new SchedulerConfig(java.util.Set.of("standby-scheduler"), true, "kube-system",
                "kube-scheduler", "standby", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(1),
                0, Duration.ofSeconds(1), Duration.ofSeconds(10));
        try (Scheduler standby = new Scheduler(client, standbyConfig)) {
            standby.start().get(30, TimeUnit.SECONDS);
            client.pods().inNamespace("default").resource(pod("for-standby", "100m", "64Mi").editSpec()
                    .withSchedulerName("standby-scheduler").endSpec().build()).create();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> get("for-standby").getSpec().getNodeName() == null);

            scheduler.close(); // releases the Lease
            scheduler = null;
            await().atMost(Duration.ofSeconds(30)).until(() -> "worker".equals(get("for-standby").getSpec().getNodeName()));
            assertThat(client.leases().inNamespace("kube-system").withName("kube-scheduler").get()
                    .getSpec().getHolderIdentity()).isEqualTo("standby");
        }
    }
}
