package io.jk8s.api.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.jk8s.api.patch.PatchMetas;
import io.jk8s.api.patch.StrategicMergePatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code kubectl apply} (client-side, three-way strategic merge patch) against a one-object server
 * that applies the patches with {@link StrategicMergePatch}: checks the patches kubectl really sends.
 */
class KubectlApplyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PATH = "/apis/apps/v1/namespaces/default/deployments/web";

    @TempDir
    Path home;

    private KubectlFixture fixture;
    private final AtomicReference<ObjectNode> stored = new AtomicReference<>();
    private final List<String> patches = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(KubectlFixture.available(), "kubectl 1.32 not installed");
        fixture = new KubectlFixture(TestTypes.TYPES, home, (method, path, query, contentType, body) -> {
            if (!path.equals(PATH)) {
                return null;
            }
            switch (method) {
                case "GET" -> {
                    return stored.get() == null ? null : new KubectlFixture.Response(200, stored.get());
                }
                case "PATCH" -> {
                    assertThat(contentType).startsWith("application/strategic-merge-patch+json");
                    patches.add(body.toString());
                    queries.add(query);
                    ObjectNode patched = (ObjectNode) StrategicMergePatch.apply(stored.get(), body,
                            PatchMetas.forModel(Deployment.class));
                    stored.set(patched);
                    return new KubectlFixture.Response(200, patched);
                }
                default -> {
                    return null;
                }
            }
        });
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static final String FIRST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labels: {app: web, tier: fe}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              strategy:
                type: RollingUpdate
                rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.24
                    env: [{name: A, value: "1"}, {name: B, value: "2"}]
                    ports: [{containerPort: 80}]
                  - name: sidecar
                    image: busybox:1.35
                  volumes:
                  - name: data
                    emptyDir: {}
            """;

    private static final String SECOND = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
              labels: {app: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              strategy:
                type: Recreate
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                    env: [{name: A, value: "1"}]
                    ports: [{containerPort: 80}, {containerPort: 443}]
                  volumes:
                  - name: data
                    configMap: {name: web-config}
            """;

    @Test
    void appliesTheThreeWayPatchesKubectlSends() throws Exception {
        // The live object as the server stored it after a first apply: last-applied annotation plus
        // fields the server added (defaults, status), which the three-way patch must preserve.
        Files.writeString(home.resolve("first.yaml"), FIRST);
        KubectlFixture.Result dry = fixture.kubectl("create", "--dry-run=client", "-o", "json",
                "--save-config", "-f", home.resolve("first.yaml").toString());
        assertThat(dry.exitCode()).as(dry.output()).isZero();
        ObjectNode live = (ObjectNode) MAPPER.readTree(dry.output());
        ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("terminationMessagePath", "/dev/termination-log");
        live.putObject("status").put("replicas", 2);
        stored.set(live);

        Files.writeString(home.resolve("second.yaml"), SECOND);
        KubectlFixture.Result applied = fixture.kubectl("apply", "-f", home.resolve("second.yaml").toString());
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        assertThat(applied.output()).contains("deployment.apps/web configured");

        assertThat(patches).hasSize(1);
        String patch = patches.get(0);
        System.out.println("kubectl sent: " + patch + " ?" + queries.get(0));
        assertThat(patch).contains("$setElementOrder/containers").contains("\"$patch\":\"delete\"")
                .contains("$retainKeys");
        assertThat(queries.get(0)).contains("fieldValidation=Strict");

        JsonNode result = stored.get();
        JsonNode podSpec = result.at("/spec/template/spec");
        assertThat(result.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(result.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"web\"}");
        assertThat(result.at("/spec/strategy").toString()).isEqualTo("{\"type\":\"Recreate\"}");
        assertThat(podSpec.get("containers")).hasSize(1);
        JsonNode web = podSpec.at("/containers/0");
        assertThat(web.get("image").asText()).isEqualTo("nginx:1.25");
        assertThat(web.get("env").toString()).isEqualTo("[{\"name\":\"A\",\"value\":\"1\"}]");
        assertThat(web.get("ports").findValuesAsText("containerPort")).containsExactly("80", "443");
        assertThat(web.get("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(podSpec.get("volumes").toString()).isEqualTo("[{\"name\":\"data\",\"configMap\":{\"name\":\"web-config\"}}]");
        assertThat(result.at("/status/replicas").asInt()).isEqualTo(2);
        assertThat(result.toString()).doesNotContain("$patch").doesNotContain("$setElementOrder").doesNotContain("$retainKeys");
        JsonNode lastApplied = MAPPER.readTree(result.at("/metadata/annotations")
                .get("kubectl.kubernetes.io/last-applied-configuration").asText());
        assertThat(lastApplied.at("/spec/replicas").asInt()).isEqualTo(3);

        // Applying the same manifest again changes nothing.
        KubectlFixture.Result again = fixture.kubectl("apply", "-f", home.resolve("second.yaml").toString());
        assertThat(again.output()).contains("deployment.apps/web unchanged");
    }
}
