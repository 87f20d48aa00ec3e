package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Create/get/update/delete through the fabric8 client against a real server on a MemoryStore. */
class CrudTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static ConfigMap cm(String name, Map<String, String> labels) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .addToData("k", "v").build();
    }

    @Test
    void systemNamespacesExistAtStart() {
        assertThat(t.client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
        assertThat(t.client.namespaces().withName("default").get().getStatus().getPhase()).isEqualTo("Active");
    }

    @Test
    void createFillsSystemMetadataAndGetReturnsIt() {
        ConfigMap created = t.client.configMaps().inNamespace("default").resource(cm("crud-a", Map.of())).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).endsWith("Z");
        assertThat(Long.parseLong(created.getMetadata().getResourceVersion())).isPositive();
        assertThat(created.getMetadata().getNamespace()).isEqualTo("default");
        ConfigMap got = t.client.configMaps().inNamespace("default").withName("crud-a").get();
        assertThat(got.getData()).containsEntry("k", "v");
        assertThat(got.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    }

    @Test
    void generateNameMakesUniqueNames() {
        ConfigMap a = t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withGenerateName("gen-").endMetadata().build()).create();
        ConfigMap b = t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                .withNewMetadata().withGenerateName("gen-").endMetadata().build()).create();
        assertThat(a.getMetadata().getName()).startsWith("gen-").hasSize(9).isNotEqualTo(b.getMetadata().getName());
    }

    @Test
    void createTwiceIsAlreadyExists() {
        t.client.configMaps().inNamespace("default").resource(cm("crud-dup", Map.of())).create();
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("default").resource(cm("crud-dup", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                    assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"crud-dup\" already exists");
                });
    }

    @Test
    void createInMissingNamespaceIsNotFound() {
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("nope").resource(cm("x", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"nope\" not found");
                });
    }

    @Test
    void updateWithStaleResourceVersionIsConflict() {
        ConfigMap created = t.client.configMaps().inNamespace("default").resource(cm("crud-conflict", Map.of())).create();
        ConfigMap first = new ConfigMapBuilder(created).addToData("k", "first").build();
        ConfigMap updated = t.client.configMaps().inNamespace("default").resource(first).update();
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        ConfigMap stale = new ConfigMapBuilder(created).addToData("k", "second").build();
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("default").resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
                    assertThat(e.getStatus().getMessage()).contains("the object has been modified");
                });
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-conflict").get().getData())
                .containsEntry("k", "first");
    }

    @Test
    void invalidObjectIs422WithCauses() {
        Pod pod = new PodBuilder().withNewMetadata().withName("no-containers").endMetadata().withNewSpec().endSpec().build();
        assertThatThrownBy(() -> t.client.pods().inNamespace("default").resource(pod).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getDetails().getCauses()).extracting(StatusCause::getField)
                            .containsExactly("spec.containers");
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getReason()).isEqualTo("FieldValueRequired");
                });
        assertThat(t.client.pods().inNamespace("default").withName("no-containers").get()).isNull();
    }

    @Test
    void nameThatIsNoPathSegmentIs422EvenWhenTheKindHasNoNameRule() {
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("default").resource(cm("..", Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void deleteRemovesTheObject() {
        t.client.configMaps().inNamespace("default").resource(cm("crud-del", Map.of())).create();
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-del").delete()).hasSize(1);
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-del").get()).isNull();
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-del").delete()).isEmpty();
    }

    @Test
    void finalizersDelayDeletionUntilRemoved() {
        ConfigMap withFinalizer = new ConfigMapBuilder(cm("crud-fin", Map.of())).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build();
        t.client.configMaps().inNamespace("default").resource(withFinalizer).create();
        t.client.configMaps().inNamespace("default").withName("crud-fin").delete();
        ConfigMap marked = t.client.configMaps().inNamespace("default").withName("crud-fin").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        t.client.configMaps().inNamespace("default").withName("crud-fin")
                .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-fin").get()).isNull();
    }

    @Test
    void scheduledPodIsDeletedGracefullyAndUnscheduledAtOnce() {
        Pod unscheduled = pod("crud-pod-a", null);
        t.client.pods().inNamespace("default").resource(unscheduled).create();
        t.client.pods().inNamespace("default").withName("crud-pod-a").delete();
        assertThat(t.client.pods().inNamespace("default").withName("crud-pod-a").get()).isNull();

        t.client.pods().inNamespace("default").resource(pod("crud-pod-b", "node-1")).create();
        t.client.pods().inNamespace("default").withName("crud-pod-b").withGracePeriod(20).delete();
        Pod terminating = t.client.pods().inNamespace("default").withName("crud-pod-b").get();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(20L);
        assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
        // the kubelet confirms with grace 0
        t.client.pods().inNamespace("default").withName("crud-pod-b").withGracePeriod(0).delete();
        assertThat(t.client.pods().inNamespace("default").withName("crud-pod-b").get()).isNull();
    }

    static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app", "web").endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .build();
    }

    @Test
    void namespaceDeletionEmptiesItThenRemovesIt() {
        t.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build()).create();
        t.client.configMaps().inNamespace("doomed").resource(cm("one", Map.of())).create();
        t.client.namespaces().withName("doomed").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> t.client.namespaces().withName("doomed").get() == null);
        assertThat(t.client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
    }

    @Test
    void createsAreRefusedOnceTheirNamespaceTerminatesAfterEarlierCreatesSucceeded() {
        t.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("closing").endMetadata().build()).create();
        // A successful create first (the API server remembers the namespace version it found active); its finalizer
        // keeps the namespace Terminating.
        t.client.configMaps().inNamespace("closing").resource(new ConfigMapBuilder(cm("before", Map.of())).editMetadata()
                .addToFinalizers("example.com/hold").endMetadata().build()).create();
        t.client.namespaces().withName("closing").delete();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> t.client.configMaps()
                .inNamespace("closing").resource(cm("after-" + n.incrementAndGet(), Map.of())).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("because it is being terminated");
                }));
        t.client.configMaps().inNamespace("closing").withName("before")
                .edit(c -> new ConfigMapBuilder(c).editMetadata().withFinalizers().endMetadata().build());
    }

    @Test
    void finalizeReplacesNamespaceFinalizers() {
        t.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fin-ns").endMetadata().build()).create();
        var r = t.raw("PUT", "/api/v1/namespaces/fin-ns/finalize", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"fin-ns\"},\"spec\":{\"finalizers\":[]}}", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(t.client.namespaces().withName("fin-ns").get().getSpec().getFinalizers()).isEmpty();
    }

    @Test
    void deleteCollectionDeletesOnlyWhatTheSelectorMatches() {
        for (String n : java.util.List.of("dc-1", "dc-2", "dc-keep")) {
            t.client.configMaps().inNamespace("default").resource(cm(n, Map.of("batch", n.equals("dc-keep") ? "keep" : "drop"))).create();
        }
        var r = t.raw("DELETE", "/api/v1/namespaces/default/configmaps?labelSelector=batch%3Ddrop", null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"kind\":\"ConfigMapList\"").contains("dc-1").contains("dc-2");
        assertThat(t.client.configMaps().inNamespace("default").withLabel("batch").list().getItems())
                .extracting(c -> c.getMetadata().getName()).containsExactly("dc-keep");
    }

    @Test
    void dryRunStoresNothing() {
        ConfigMap dry = t.client.configMaps().inNamespace("default").resource(cm("crud-dry", Map.of())).dryRun().create();
        assertThat(dry.getMetadata().getUid()).isNotBlank();
        assertThat(t.client.configMaps().inNamespace("default").withName("crud-dry").get()).isNull();
    }
}
