package io.jk8s.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.kubectl.TestTypes;
import org.junit.jupiter.api.Test;

class OpenApiGeneratorTest {

    private final OpenApiGenerator generator = new OpenApiGenerator(TestTypes.TYPES);

    @Test
    void v2NamesDefinitionsAsUpstream() {
        JsonNode defs = generator.v2().get("definitions");
        assertThat(defs.has("io.k8s.api.core.v1.Pod")).isTrue();
        assertThat(defs.has("io.k8s.api.core.v1.PodList")).isTrue();
        assertThat(defs.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
        assertThat(defs.has("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")).isTrue();
        assertThat(defs.has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(defs.has("io.k8s.api.rbac.v1.Role")).isTrue();
        assertThat(defs.has("io.k8s.api.batch.v1.Job")).isTrue();
        assertThat(defs.has("io.k8s.api.autoscaling.v1.Scale")).isTrue();
        assertThat(defs.has("io.k8s.apimachinery.pkg.apis.meta.v1.Status")).isTrue();
        assertThat(generator.v2().get("swagger").asText()).isEqualTo("2.0");
    }

    @Test
    void kindsCarryGroupVersionKind() {
        JsonNode deployment = generator.v2().at("/definitions/io.k8s.api.apps.v1.Deployment");
        assertThat(deployment.get("x-kubernetes-group-version-kind").toString())
                .isEqualTo("[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]");
        assertThat(generator.v2().at("/definitions/io.k8s.api.core.v1.PodList/x-kubernetes-group-version-kind/0/kind")
                .asText()).isEqualTo("PodList");
    }

    @Test
    void fieldsCarryPatchExtensionsRequiredAndTypes() {
        JsonNode podSpec = generator.v2().at("/definitions/io.k8s.api.core.v1.PodSpec");
        JsonNode containers = podSpec.at("/properties/containers");
        assertThat(containers.get("type").asText()).isEqualTo("array");
        assertThat(containers.at("/items/$ref").asText()).isEqualTo("#/definitions/io.k8s.api.core.v1.Container");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(podSpec.at("/properties/volumes/x-kubernetes-patch-strategy").asText()).isEqualTo("merge,retainKeys");
        assertThat(podSpec.get("required").toString()).isEqualTo("[\"containers\"]");
        JsonNode container = generator.v2().at("/definitions/io.k8s.api.core.v1.Container");
        assertThat(container.get("required").toString()).isEqualTo("[\"name\"]");
        assertThat(container.at("/properties/ports/x-kubernetes-patch-merge-key").asText()).isEqualTo("containerPort");
        assertThat(generator.v2().at("/definitions/io.k8s.api.core.v1.ContainerPort/properties/containerPort/format")
                .asText()).isEqualTo("int32");
        assertThat(generator.v2().at("/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta/properties/labels"
                + "/additionalProperties/type").asText()).isEqualTo("string");
        assertThat(generator.v2().at("/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString/format").asText())
                .isEqualTo("int-or-string");
        assertThat(generator.v2().at("/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity/type").asText())
                .isEqualTo("string");
        assertThat(generator.v2().at("/definitions/io.k8s.api.apps.v1.DeploymentSpec/properties/strategy"
                + "/x-kubernetes-patch-strategy").asText()).isEqualTo("retainKeys");
    }

    @Test
    void pathsHaveUpstreamOperationsAndParameters() {
        JsonNode paths = generator.v2().get("paths");
        JsonNode item = paths.get("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
        assertThat(item.at("/patch/operationId").asText()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(item.at("/patch/x-kubernetes-action").asText()).isEqualTo("patch");
        assertThat(item.at("/patch/x-kubernetes-group-version-kind").toString())
                .isEqualTo("{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}");
        assertThat(item.at("/patch/parameters").findValuesAsText("name"))
                .contains("body", "dryRun", "fieldManager", "fieldValidation", "force");
        assertThat(item.at("/put/parameters").findValuesAsText("name")).contains("fieldValidation", "dryRun");
        assertThat(item.at("/patch/consumes").toString()).contains("application/strategic-merge-patch+json");
        assertThat(paths.at("/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments/post/parameters")
                .findValuesAsText("name")).contains("fieldValidation", "dryRun");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods/get/operationId").asText())
                .isEqualTo("listCoreV1NamespacedPod");
        assertThat(paths.at("/~1api~1v1~1pods/get/operationId").asText()).isEqualTo("listCoreV1PodForAllNamespaces");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{name}/get/operationId").asText()).isEqualTo("readCoreV1Namespace");
        assertThat(paths.at("/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}~1scale/patch"
                + "/x-kubernetes-group-version-kind/kind").asText()).isEqualTo("Scale");
        assertThat(paths.at("/~1apis~1rbac.authorization.k8s.io~1v1~1namespaces~1{namespace}~1roles/get/operationId")
                .asText()).isEqualTo("listRbacAuthorizationV1NamespacedRole");
        assertThat(paths.at("/~1api~1v1~1namespaces~1{namespace}~1pods~1{name}~1log/get/operationId").asText())
                .isEqualTo("readCoreV1NamespacedPodLog");
    }

    @Test
    void everyPatchOperationOffersFieldValidation() {
        for (JsonNode doc : new JsonNode[] {generator.v2(), generator.v3("apis/apps/v1"), generator.v3("api/v1")}) {
            doc.get("paths").forEach(path -> {
                if (path.has("patch")) {
                    assertThat(path.at("/patch/parameters").findValuesAsText("name")).contains("fieldValidation");
                }
            });
        }
    }

    @Test
    void v3IndexListsEveryGroupVersionWithAHash() {
        JsonNode index = generator.v3Index().get("paths");
        assertThat(index.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("api/v1", "apis/apps/v1", "apis/batch/v1", "apis/rbac.authorization.k8s.io/v1");
        assertThat(index.at("/apis~1apps~1v1/serverRelativeURL").asText()).matches("/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]{128}");
    }

    @Test
    void v3DocumentHoldsOnlyItsGroupVersion() {
        JsonNode apps = generator.v3("apis/apps/v1");
        assertThat(apps.get("openapi").asText()).isEqualTo("3.0.0");
        JsonNode schemas = apps.at("/components/schemas");
        assertThat(schemas.has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(schemas.has("io.k8s.api.core.v1.PodSpec")).isTrue();
        assertThat(schemas.has("io.k8s.api.core.v1.Service")).isFalse();
        assertThat(apps.get("paths").fieldNames()).toIterable().allMatch(p -> p.startsWith("/apis/apps/v1/"));
        JsonNode spec = schemas.at("/io.k8s.api.apps.v1.Deployment/properties/spec");
        assertThat(spec.at("/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec");
        JsonNode patch = apps.at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
        assertThat(patch.at("/requestBody/content").has("application/strategic-merge-patch+json")).isTrue();
        assertThat(patch.at("/parameters/2/schema/type").asText()).isEqualTo("string");
        assertThat(generator.v3("/apis/apps/v1")).isSameAs(apps);
        assertThat(generator.v3("apis/nope/v1")).isNull();
        assertThat(apps.toString()).doesNotContain("#/definitions/");
    }

    @Test
    void generationIsFastAndCached() {
        long start = System.nanoTime();
        OpenApiGenerator fresh = new OpenApiGenerator(TestTypes.TYPES);
        fresh.v2();
        fresh.v3Index();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("OpenAPI v2 + all v3 documents generated in " + millis + " ms");
        assertThat(millis).isLessThan(5_000);
        assertThat(fresh.v2()).isSameAs(fresh.v2());
    }
}
