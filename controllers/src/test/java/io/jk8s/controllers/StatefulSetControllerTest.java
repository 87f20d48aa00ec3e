package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.jk8s.controllers.runtime.Pods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StatefulSetControllerTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2)
                .withControllers(TestCluster.config(Set.of("statefulset", "garbagecollector")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    static StatefulSet set(String name, int replicas, String policy, String env) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withPodManagementPolicy(policy)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").addNewEnv().withName("V").withValue(env).endEnv()
                .endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage",
                        new io.fabric8.kubernetes.api.model.Quantity("1Gi")).endResources().endSpec().endVolumeClaimTemplate()
                .endSpec().build();
    }

    StatefulSet get(String name) {
        return cluster.client.apps().statefulSets().inNamespace("default").withName(name).get();
    }

    List<Pod> pods(String app) {
        return cluster.client.pods().inNamespace("default").withLabel("app", app).list().getItems();
    }

    /**
     * Records "add:<pod>", "ready:<pod>" and "delete:<pod>" in the order the API server reports
     * them, once per pod incarnation (uid); pods that existed when the watch began are not "added".
     */
    static final class PodLog implements Watcher<Pod> {
        final List<String> entries = new CopyOnWriteArrayList<>();
        private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void eventReceived(Action action, Pod p) {
            String name = p.getMetadata().getName();
            String uid = p.getMetadata().getUid();
            boolean fresh = seen.add("known:" + uid);
            if (action == Action.ADDED && fresh && !Pods.isReady(p)) {
                entries.add("add:" + name);
            }
            if (action != Action.DELETED && Pods.isReady(p) && seen.add("ready:" + uid)) entries.add("ready:" + name);
            if ((action == Action.DELETED || p.getMetadata().getDeletionTimestamp() != null) && seen.add("delete:" + uid)) {
                entries.add("delete:" + name);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    @Test
    void orderedReadyCreatesInOrderWithStableIdentityAndClaims() {
        PodLog log = new PodLog();
        try (Watch w = cluster.client.pods().inNamespace("default").withLabel("app", "web").watch(log)) {
            cluster.client.apps().statefulSets().inNamespace("default").resource(set("web", 3, "OrderedReady", "1")).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                StatefulSet s = get("web");
                return s.getStatus() != null && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas());
            });
            // Each pod is created only after the previous one is ready.
            assertThat(log.entries).containsSubsequence("add:web-0", "ready:web-0", "add:web-1", "ready:web-1", "add:web-2");
            assertThat(log.entries.indexOf("add:web-1")).isGreaterThan(log.entries.indexOf("ready:web-0"));
            assertThat(log.entries.indexOf("add:web-2")).isGreaterThan(log.entries.indexOf("ready:web-1"));

            StatefulSet s = get("web");
            assertThat(s.getStatus().getReplicas()).isEqualTo(3);
            assertThat(s.getStatus().getCurrentReplicas()).isEqualTo(3);
            assertThat(s.getStatus().getUpdatedReplicas()).isEqualTo(3);
            assertThat(s.getStatus().getCurrentRevision()).isEqualTo(s.getStatus().getUpdateRevision()).startsWith("web-");
            assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
            Pod p1 = cluster.client.pods().inNamespace("default").withName("web-1").get();
            assertThat(p1.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-1")
                    .containsEntry("controller-revision-hash", s.getStatus().getUpdateRevision())
                    .containsEntry("apps.kubernetes.io/pod-index", "1");
            assertThat(p1.getSpec().getHostname()).isEqualTo("web-1");
            assertThat(p1.getSpec().getSubdomain()).isEqualTo("web");
            assertThat(p1.getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
                    && "data-web-1".equals(v.getPersistentVolumeClaim().getClaimName()));
            for (int i = 0; i < 3; i++) {
                assertThat(cluster.client.persistentVolumeClaims().inNamespace("default").withName("data-web-" + i).get()).isNotNull();
            }
            assertThat(cluster.client.apps().controllerRevisions().inNamespace("default").withName(s.getStatus().getUpdateRevision()).get())
                    .isNotNull();

            // Scale down: highest ordinal first, claims kept (retention Retain).
            log.entries.clear();
            cluster.client.apps().statefulSets().inNamespace("default").withName("web").scale(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> pods("web").size() == 1);
            assertThat(log.entries.indexOf("delete:web-2")).isLessThan(log.entries.indexOf("delete:web-1"));
            assertThat(pods("web").get(0).getMetadata().getName()).isEqualTo("web-0");
            assertThat(cluster.client.persistentVolumeClaims().inNamespace("default").withName("data-web-2").get()).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(1).equals(get("web").getStatus().getReplicas()));
        }
    }

    @Test
    void rollingUpdateReplacesFromTheHighestOrdinalDownToThePartition() {
        cluster.client.apps().statefulSets().inNamespace("default").resource(set("db", 3, "Parallel", "1")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("db").getStatus() != null
                && Integer.valueOf(3).equals(get("db").getStatus().getReadyReplicas()));
        String first = get("db").getStatus().getCurrentRevision();

        PodLog log = new PodLog();
        try (Watch w = cluster.client.pods().inNamespace("default").withLabel("app", "db").watch(log)) {
            cluster.client.apps().statefulSets().inNamespace("default").withName("db").edit(s -> {
                s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).setValue("2");
                s.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(1);
                return s;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                StatefulSet s = get("db");
                return Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas()) && Integer.valueOf(3).equals(s.getStatus().getReadyReplicas());
            });
            StatefulSet s = get("db");
            assertThat(s.getStatus().getUpdateRevision()).isNotEqualTo(first);
            assertThat(s.getStatus().getCurrentRevision()).isEqualTo(first);
            assertThat(log.entries).containsSubsequence("delete:db-2", "ready:db-2", "delete:db-1");
            assertThat(podRevision("db-0")).isEqualTo(first);
            assertThat(podRevision("db-1")).isEqualTo(s.getStatus().getUpdateRevision());
            assertThat(cluster.client.pods().inNamespace("default").withName("db-2").get().getSpec().getContainers().get(0).getEnv().get(0).getValue())
                    .isEqualTo("2");

            // Partition 0 finishes the rollout: current becomes the update revision.
            cluster.client.apps().statefulSets().inNamespace("default").withName("db").edit(x -> {
                x.getSpec().getUpdateStrategy().getRollingUpdate().setPartition(0);
                return x;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                StatefulSet x = get("db");
                return x.getStatus().getCurrentRevision().equals(x.getStatus().getUpdateRevision())
                        && Integer.valueOf(3).equals(x.getStatus().getCurrentReplicas())
                        && Integer.valueOf(3).equals(x.getStatus().getReadyReplicas());
            });
            assertThat(podRevision("db-0")).isEqualTo(get("db").getStatus().getUpdateRevision());
        }
    }

    /**
     * A replaced pod that is still terminating (here held by a finalizer) still reports Running and
     * Ready; the rollout must wait for it to go and come back rather than move on to the next ordinal.
     */
    @Test
    void rollingUpdateWaitsWhileTheReplacedPodIsTerminating() {
        cluster.client.apps().statefulSets().inNamespace("default").resource(set("hold", 2, "Parallel", "1")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> get("hold").getStatus() != null
                && Integer.valueOf(2).equals(get("hold").getStatus().getReadyReplicas()));
        var holdOne = cluster.client.pods().inNamespace("default").withName("hold-1");
        holdOne.edit(p -> {
            p.getMetadata().setFinalizers(List.of("jk8s.io/test-hold"));
            return p;
        });
        cluster.client.apps().statefulSets().inNamespace("default").withName("hold").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).setValue("2");
            return s;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> holdOne.get().getMetadata().getDeletionTimestamp() != null);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> {
                    Pod zero = cluster.client.pods().inNamespace("default").withName("hold-0").get();
                    return zero != null && zero.getMetadata().getDeletionTimestamp() == null;
                });

        holdOne.edit(p -> {
            p.getMetadata().setFinalizers(List.of());
            return p;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            StatefulSet s = get("hold");
            return Integer.valueOf(2).equals(s.getStatus().getUpdatedReplicas()) && Integer.valueOf(2).equals(s.getStatus().getReadyReplicas());
        });
    }

    @Test
    void deletingTheSetDeletesItsPodsButKeepsItsClaims() {
        cluster.client.apps().statefulSets().inNamespace("default").resource(set("gone", 2, "Parallel", "1")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("gone").size() == 2);
        cluster.client.apps().statefulSets().inNamespace("default").withName("gone").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> pods("gone").isEmpty());
        assertThat(cluster.client.persistentVolumeClaims().inNamespace("default").withName("data-gone-1").get()).isNotNull();
    }

    String podRevision(String name) {
        return cluster.client.pods().inNamespace("default").withName(name).get().getMetadata().getLabels().get("controller-revision-hash");
    }
}
