package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Imperative creation and every output format and filter of {@code kubectl get}. */
@ExtendWith(SharedServer.class)
class KubectlCreateAndGetTest {

    private static final String NS = "e2e-get";

    @BeforeAll
    static void objects(Kubectl kubectl) {
        Fixtures.namespace(kubectl, NS);
        Fixtures.deployment(kubectl, NS, "web", "busybox:1.35", 2);
        Fixtures.configMap(kubectl, NS, "settings", "mode", "fast");
        Fixtures.configMap(kubectl, NS, "other", "mode", "slow");
        Fixtures.apply(kubectl, """
                apiVersion: v1
                kind: Secret
                metadata: {name: creds, namespace: %s}
                stringData: {password: hunter2}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: %1$s}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(NS));
    }

    @Test
    void imperativeCreateCommands(Kubectl kubectl) {
        assertThat(ok(kubectl.run("create", "deployment", "made", "--image=busybox:1.35", "--replicas=2", "-n", NS)))
                .contains("deployment.apps/made created");
        assertThat(ok(kubectl.run("get", "deploy", "made", "-n", NS, "-o",
                "jsonpath={.spec.replicas} {.spec.selector.matchLabels.app} {.spec.template.spec.containers[0].image}")))
                .isEqualTo("2 made busybox:1.35");
        assertThat(ok(kubectl.run("create", "configmap", "made", "--from-literal=mode=fast", "-n", NS)))
                .contains("configmap/made created");
        assertThat(ok(kubectl.run("create", "secret", "generic", "made", "--from-literal=password=hunter2", "-n", NS)))
                .contains("secret/made created");
        assertThat(ok(kubectl.run("create", "service", "clusterip", "made", "--tcp=80:8080", "-n", NS)))
                .contains("service/made created");
        assertThat(ok(kubectl.run("get", "svc", "made", "-n", NS, "-o", "jsonpath={.spec.ports[0].port}/{.spec.ports[0].targetPort}")))
                .isEqualTo("80/8080");
    }

    @Test
    void tableShowsServerSideColumns(Kubectl kubectl) {
        String out = ok(kubectl.run("get", "deploy", "-n", NS));
        assertThat(out).containsPattern("(?m)^NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE")
                .containsPattern("(?m)^web\\s+\\d+/2\\s+");
    }

    @Test
    void wideAddsContainersImagesAndSelector(Kubectl kubectl) {
        String out = ok(kubectl.run("get", "deploy", "web", "-n", NS, "-o", "wide"));
        assertThat(out).containsPattern("CONTAINERS\\s+IMAGES\\s+SELECTOR")
                .containsPattern("busybox\\s+busybox:1\\.35\\s+app=web");
    }

    @Test
    void yamlAndJsonCarryTheWholeObject(Kubectl kubectl) {
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", NS, "-o", "yaml")))
                .contains("apiVersion: apps/v1", "kind: Deployment", "replicas: 2", "image: busybox:1.35",
                        "resourceVersion:", "uid:", "creationTimestamp:");
        assertThat(ok(kubectl.run("get", "cm", "settings", "-n", NS, "-o", "json")))
                .contains("\"kind\": \"ConfigMap\"", "\"mode\": \"fast\"", "\"namespace\": \"" + NS + "\"");
    }

    @Test
    void jsonPathAndCustomColumnsAndName(Kubectl kubectl) {
        assertThat(ok(kubectl.run("get", "deploy", "web", "-n", NS, "-o", "jsonpath={.spec.replicas}"))).isEqualTo("2");
        assertThat(ok(kubectl.run("get", "deploy", "-n", NS, "-o",
                "custom-columns=NAME:.metadata.name,IMAGE:.spec.template.spec.containers[0].image")))
                .containsPattern("(?m)^NAME\\s+IMAGE\\s*$").containsPattern("(?m)^web\\s+busybox:1\\.35\\s*$");
        assertThat(ok(kubectl.run("get", "cm", "-n", NS, "-o", "name")).lines())
                .contains("configmap/settings", "configmap/other");
    }

    @Test
    void secretDataIsBase64OfTheLiteral(Kubectl kubectl) {
        String encoded = ok(kubectl.run("get", "secret", "creds", "-n", NS, "-o", "jsonpath={.data.password}"));
        assertThat(new String(Base64.getDecoder().decode(encoded))).isEqualTo("hunter2");
    }

    @Test
    void serviceGetsAClusterIpFromTheServiceRange(Kubectl kubectl) {
        assertThat(ok(kubectl.run("get", "svc", "web", "-n", NS, "-o", "jsonpath={.spec.type} {.spec.clusterIP}")))
                .matches("ClusterIP 10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
    }

    @Test
    void labelSelectorFilters(Kubectl kubectl) {
        assertThat(ok(kubectl.run("get", "deploy", "-n", NS, "-l", "app=web", "-o", "name")).strip())
                .isEqualTo("deployment.apps/web");
        Kubectl.Result none = kubectl.run("get", "deploy", "-n", NS, "-l", "app in (nothing,else)");
        assertThat(ok(none)).isEmpty();
        assertThat(none.stderr()).contains("No resources found in " + NS + " namespace.");
    }

    @Test
    void fieldSelectorFilters(Kubectl kubectl) {
        assertThat(ok(kubectl.run("get", "cm", "-n", NS, "--field-selector", "metadata.name=settings", "-o", "name")).strip())
                .isEqualTo("configmap/settings");
        assertThat(ok(kubectl.run("get", "cm", "-n", NS, "--field-selector", "metadata.name!=settings", "-o", "name")))
                .contains("configmap/other").doesNotContain("configmap/settings");
    }

    @Test
    void allNamespacesAddsTheNamespaceColumn(Kubectl kubectl) {
        String out = ok(kubectl.run("get", "cm", "-A"));
        assertThat(out).containsPattern("(?m)^NAMESPACE\\s+NAME\\s+DATA\\s+AGE")
                .containsPattern("(?m)^" + NS + "\\s+settings\\s+1\\s+");
    }

    @Test
    void watchPrintsAChangeMadeWhileItRuns(Kubectl kubectl) {
        try (Kubectl.Background watch = kubectl.start("get", "cm", "-n", NS, "-w", "--output-watch-events")) {
            await("initial list").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(watch.stdout()).as(watch.describe()).contains("settings"));

            Fixtures.configMap(kubectl, NS, "watched", "a", "b");

            await("watch event").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(watch.stdout()).as(watch.describe()).containsPattern("(?m)^ADDED\\s+watched\\s+"));
            assertThat(watch.isAlive()).as(watch.describe()).isTrue();
        }
    }
}
