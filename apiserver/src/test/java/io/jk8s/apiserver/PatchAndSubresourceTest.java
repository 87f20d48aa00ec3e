package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Patches of all three kinds, /status, /scale, pods/binding and pods/eviction, with the built-in strategies. */
class PatchAndSubresourceTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(BuiltinRegistry.create());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static Deployment deployment(String name) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage("busybox:1.35").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    @Test
    void mergePatchChangesFieldsAndNullRemoves() {
        t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("p-merge")
                .endMetadata().addToData("a", "1").addToData("b", "2").build()).create();
        ConfigMap out = t.client.configMaps().inNamespace("default").withName("p-merge")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":\"9\",\"b\":null}}");
        assertThat(out.getData()).containsExactly(java.util.Map.entry("a", "9"));
    }

    @Test
    void jsonPatchAppliesOperationsAndFailedTestIs422() {
        t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("p-json")
                .endMetadata().addToData("a", "1").build()).create();
        ConfigMap out = t.client.configMaps().inNamespace("default").withName("p-json")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"},{\"op\":\"remove\",\"path\":\"/data/a\"}]");
        assertThat(out.getData()).containsOnlyKeys("c");
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("default").withName("p-json")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"test\",\"path\":\"/data/c\",\"value\":\"nope\"}]"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    }

    @Test
    void strategicPatchMergesContainersByName() {
        t.client.apps().deployments().inNamespace("default").resource(deployment("p-smp")).create();
        Deployment out = t.client.apps().deployments().inNamespace("default").withName("p-smp").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox:1.35\"}]}}}}");
        assertThat(out.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName())
                .containsExactlyInAnyOrder("web", "side");
        assertThat(out.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void patchWithStaleResourceVersionIsConflict() {
        t.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("p-rv")
                .endMetadata().build()).create();
        assertThatThrownBy(() -> t.client.configMaps().inNamespace("default").withName("p-rv")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"x\":\"y\"}}"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void statusSubresourceOnlyChangesStatusAndMainUpdateKeepsIt() {
        Deployment d = t.client.apps().deployments().inNamespace("default").resource(deployment("p-status")).create();
        assertThat(d.getMetadata().getGeneration()).isEqualTo(1L);
        Deployment withStatus = new DeploymentBuilder(d).withStatus(new DeploymentStatusBuilder().withReplicas(2).withObservedGeneration(1L).build())
                .editSpec().withReplicas(7).endSpec().build();
        Deployment afterStatus = t.client.apps().deployments().inNamespace("default").resource(withStatus).updateStatus();
        assertThat(afterStatus.getStatus().getReplicas()).isEqualTo(2);
        assertThat(afterStatus.getSpec().getReplicas()).isEqualTo(2);
        Deployment main = new DeploymentBuilder(afterStatus).withStatus(null).editSpec().withReplicas(3).endSpec().build();
        Deployment afterMain = t.client.apps().deployments().inNamespace("default").resource(main).update();
        assertThat(afterMain.getStatus().getReplicas()).isEqualTo(2);
        assertThat(afterMain.getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void scaleSubresourceReadsAndWritesReplicas() {
        t.client.apps().deployments().inNamespace("default").resource(deployment("p-scale")).create();
        assertThat(t.client.apps().deployments().inNamespace("default").withName("p-scale").scale().getSpec().getReplicas()).isEqualTo(2);
        t.client.apps().deployments().inNamespace("default").withName("p-scale").scale(5);
        assertThat(t.client.apps().deployments().inNamespace("default").withName("p-scale").get().getSpec().getReplicas()).isEqualTo(5);
        HttpResponse<String> scale = t.raw("GET", "/apis/apps/v1/namespaces/default/deployments/p-scale/scale", null, null, null);
        assertThat(scale.body()).contains("\"kind\":\"Scale\"").contains("\"selector\":\"app=p-scale\"");
        HttpResponse<String> patched = t.raw("PATCH", "/apis/apps/v1/namespaces/default/deployments/p-scale/scale",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":1}}", null);
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(t.client.apps().deployments().inNamespace("default").withName("p-scale").get().getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void bindingSetsNodeOnceAndEvictionDeletes() {
        Pod pod = CrudTest.pod("p-bind", null);
        t.client.pods().inNamespace("default").resource(pod).create();
        String binding = "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p-bind\"},\"target\":{\"kind\":\"Node\",\"name\":\"node-a\"}}";
        HttpResponse<String> first = t.raw("POST", "/api/v1/namespaces/default/pods/p-bind/binding", "application/json", binding, null);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(t.client.pods().inNamespace("default").withName("p-bind").get().getSpec().getNodeName()).isEqualTo("node-a");
        HttpResponse<String> second = t.raw("POST", "/api/v1/namespaces/default/pods/p-bind/binding", "application/json",
                binding.replace("node-a", "node-b"), null);
        assertThat(second.statusCode()).isEqualTo(409);
        HttpResponse<String> evicted = t.raw("POST", "/api/v1/namespaces/default/pods/p-bind/eviction", "application/json",
                "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"p-bind\"},\"deleteOptions\":{\"gracePeriodSeconds\":0}}", null);
        assertThat(evicted.statusCode()).isEqualTo(201);
        assertThat(t.client.pods().inNamespace("default").withName("p-bind").get()).isNull();
    }
}
