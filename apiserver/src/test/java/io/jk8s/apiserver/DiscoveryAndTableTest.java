package io.jk8s.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Version, health, discovery (legacy and aggregated), OpenAPI index and Table/PartialObjectMetadata output. */
class DiscoveryAndTableTest {

    static TestServer t;

    @BeforeAll
    static void start() {
        t = new TestServer(BuiltinRegistry.create());
        t.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("table-pod").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec().build()).create();
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static JsonNode get(String path, String accept) {
        HttpResponse<String> r = t.raw("GET", path, null, null, accept);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8), false, false);
    }

    @Test
    void versionAndHealth() {
        assertThat(get("/version", null).path("gitVersion").asText()).isEqualTo("v1.32.3-jk8s");
        assertThat(t.raw("GET", "/healthz", null, null, null).body()).isEqualTo("ok");
        assertThat(t.raw("GET", "/readyz", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void legacyDiscovery() {
        assertThat(get("/api", null).path("versions").toString()).contains("v1");
        JsonNode groups = get("/apis", null);
        assertThat(groups.path("kind").asText()).isEqualTo("APIGroupList");
        assertThat(groups.toString()).contains("\"name\":\"apps\"");
        JsonNode core = get("/api/v1", null);
        assertThat(core.toString()).contains("\"name\":\"pods\"").contains("\"name\":\"pods/status\"").contains("\"name\":\"pods/binding\"");
        JsonNode apps = get("/apis/apps/v1", null);
        JsonNode deploy = null;
        for (JsonNode r : apps.path("resources")) {
            if (r.path("name").asText().equals("deployments")) deploy = r;
        }
        assertThat(deploy).isNotNull();
        assertThat(deploy.path("shortNames").toString()).contains("deploy");
        assertThat(deploy.path("verbs").toString()).contains("watch");
        assertThat(apps.toString()).contains("\"name\":\"deployments/scale\"");
        assertThat(get("/apis/apps", null).path("preferredVersion").path("version").asText()).isEqualTo("v1");
    }

    @Test
    void aggregatedDiscoveryWhenAsked() {
        JsonNode agg = get("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        assertThat(agg.path("kind").asText()).isEqualTo("APIGroupDiscoveryList");
        assertThat(agg.toString()).contains("\"resource\":\"deployments\"");
    }

    @Test
    void openApiDocumentsAreServed() {
        assertThat(get("/openapi/v3", null).path("paths").has("apis/apps/v1")).isTrue();
        assertThat(get("/openapi/v2", null).path("swagger").asText()).isEqualTo("2.0");
        assertThat(get("/openapi/v2", null).path("definitions").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        String appsV1 = get("/openapi/v3", null).path("paths").path("apis/apps/v1").path("serverRelativeURL").asText();
        assertThat(get(appsV1, null).path("components").path("schemas").has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(t.raw("GET", "/openapi/v3/apis/apps/v9", null, null, null).statusCode()).isEqualTo(404);
        HttpResponse<String> proto = t.raw("GET", "/openapi/v2", null, null,
                "application/com.github.proto-openapi.spec.v2@v1.0+protobuf,application/json");
        assertThat(proto.statusCode()).isEqualTo(200);
        assertThat(proto.headers().firstValue("Content-Type"))
                .hasValue("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    }

    @Test
    void tableForListsAndSingleObjects() {
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        JsonNode table = get("/api/v1/namespaces/default/pods", accept);
        assertThat(table.path("kind").asText()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").get(0).path("name").asText()).isEqualTo("Name");
        assertThat(table.path("rows").get(0).path("cells").get(0).asText()).isEqualTo("table-pod");
        assertThat(table.path("rows").get(0).path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
        JsonNode one = get("/api/v1/namespaces/default/pods/table-pod", accept);
        assertThat(one.path("rows")).hasSize(1);
    }

    @Test
    void partialObjectMetadataList() {
        JsonNode l = get("/api/v1/namespaces/default/pods", "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io");
        assertThat(l.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
        assertThat(l.path("items").get(0).path("metadata").path("name").asText()).isEqualTo("table-pod");
        assertThat(l.path("items").get(0).has("spec")).isFalse();
    }
}
