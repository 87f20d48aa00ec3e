package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PersistentVolumeBinderControllerTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withControllers(TestCluster.config(Set.of("persistentvolume-binder")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    static PersistentVolume pv(String name, String size, String policy, String cls) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).addToLabels("size", size).endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity(size)).withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy(policy).withStorageClassName(cls)
                .withNewHostPath().withPath("/tmp/jk8s-pv-" + name).endHostPath().endSpec().build();
    }

    static PersistentVolumeClaim claim(String name, String size, String cls) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(cls)
                .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    private PersistentVolume getPv(String name) {
        return cluster.client.persistentVolumes().withName(name).get();
    }

    private PersistentVolumeClaim getClaim(String name) {
        return cluster.client.persistentVolumeClaims().inNamespace("default").withName(name).get();
    }

    @Test
    void bindsSmallestFittingVolumeOfTheClassThenReleasesOnClaimDeletion() {
        var c = cluster.client;
        c.persistentVolumes().resource(pv("small", "1Gi", "Retain", "fast")).create();
        c.persistentVolumes().resource(pv("medium", "5Gi", "Retain", "fast")).create();
        c.persistentVolumes().resource(pv("large", "10Gi", "Retain", "fast")).create();
        c.persistentVolumes().resource(pv("other-class", "3Gi", "Retain", "slow")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Available".equals(getPv("small").getStatus().getPhase()));

        c.persistentVolumeClaims().inNamespace("default").resource(claim("want-2g", "2Gi", "fast")).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            PersistentVolumeClaim claim = getClaim("want-2g");
            assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(claim.getSpec().getVolumeName()).isEqualTo("medium");
            assertThat(claim.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("5Gi"));
            assertThat(claim.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes");
            PersistentVolume pv = getPv("medium");
            assertThat(pv.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("want-2g");
            assertThat(pv.getSpec().getClaimRef().getUid()).isEqualTo(claim.getMetadata().getUid());
        });

        c.persistentVolumeClaims().inNamespace("default").withName("want-2g").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Released".equals(getPv("medium").getStatus().getPhase()));
    }

    @Test
    void noFitStaysPendingUntilAVolumeAppears() {
        var c = cluster.client;
        c.persistentVolumeClaims().inNamespace("default").resource(claim("huge", "100Gi", "huge")).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(getClaim("huge").getStatus().getPhase()).isEqualTo("Pending");
            assertThat(c.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo("huge");
                assertThat(e.getReason()).isEqualTo("FailedBinding");
            });
        });
        c.persistentVolumes().resource(pv("big-one", "200Gi", "Delete", "huge")).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "big-one".equals(getClaim("huge").getSpec().getVolumeName())
                && "Bound".equals(getClaim("huge").getStatus().getPhase()));

        // Reclaim policy Delete: jk8s marks the volume Failed rather than deleting hostPath data.
        c.persistentVolumeClaims().inNamespace("default").withName("huge").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(getPv("big-one").getStatus().getPhase()).isEqualTo("Failed");
            assertThat(getPv("big-one").getStatus().getMessage()).contains("does not delete");
        });
    }

    @Test
    void selectorAndVolumeNamePreBindingAreHonoured() {
        var c = cluster.client;
        c.persistentVolumes().resource(pv("labelled-a", "2Gi", "Retain", "sel")).create();
        c.persistentVolumes().resource(new PersistentVolumeBuilder(pv("labelled-b", "3Gi", "Retain", "sel"))
                .editMetadata().addToLabels("disk", "ssd").endMetadata().build()).create();
        c.persistentVolumes().resource(pv("named", "8Gi", "Retain", "sel")).create();

        c.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder(claim("ssd", "1Gi", "sel"))
                .editSpec().withNewSelector().addToMatchLabels("disk", "ssd").endSelector().endSpec().build()).create();
        c.persistentVolumeClaims().inNamespace("default").resource(new PersistentVolumeClaimBuilder(claim("pinned", "1Gi", "sel"))
                .editSpec().withVolumeName("named").endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(getClaim("ssd").getSpec().getVolumeName()).isEqualTo("labelled-b");
            assertThat(getClaim("ssd").getStatus().getPhase()).isEqualTo("Bound");
            assertThat(getClaim("pinned").getStatus().getPhase()).isEqualTo("Bound");
            assertThat(getPv("named").getSpec().getClaimRef().getName()).isEqualTo("pinned");
            assertThat(getPv("labelled-a").getStatus().getPhase()).isEqualTo("Available");
        });
    }
}
