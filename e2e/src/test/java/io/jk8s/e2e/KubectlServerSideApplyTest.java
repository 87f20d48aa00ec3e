package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.failsWith;
import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl apply --server-side}: create, field removal on re-apply, conflicts between managers, diff. */
@ExtendWith(SharedServer.class)
class KubectlServerSideApplyTest {

    private static final String NS = "e2e-ssa";

    @TempDir
    Path dir;

    @BeforeAll
    static void namespace(Kubectl kubectl) {
        Fixtures.namespace(kubectl, NS);
    }

    private Path configMap(String file, String data) {
        return Kubectl.manifest(dir, file, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: %s
                data:
                %s
                """.formatted(NS, data));
    }

    private String get(Kubectl kubectl, String jsonpath) {
        return ok(kubectl.run("get", "cm", "settings", "-n", NS, "-o", "jsonpath=" + jsonpath));
    }

    @Test
    void appliesOwnsRemovesAndConflictsLikeUpstream(Kubectl kubectl) {
        Path first = configMap("a.yaml", "  color: blue\n  size: large");
        assertThat(ok(kubectl.run("apply", "--server-side", "-f", first.toString()))).contains("configmap/settings serverside-applied");
        assertThat(get(kubectl, "{.metadata.managedFields[0].manager}/{.metadata.managedFields[0].operation}")).isEqualTo("kubectl/Apply");
        assertThat(get(kubectl, "{.metadata.managedFields[0].fieldsV1}")).isEqualTo("{\"f:data\":{\"f:color\":{},\"f:size\":{}}}");

        // Dropping a field from the configuration removes it; a field set by someone else stays.
        ok(kubectl.run("patch", "cm", "settings", "-n", NS, "--type=merge", "-p", "{\"data\":{\"owner\":\"ops\"}}"));
        Path second = configMap("b.yaml", "  color: blue");
        Kubectl.Result diff = kubectl.run("diff", "--server-side", "-f", second.toString());
        assertThat(diff.exitCode()).as(diff.describe()).isEqualTo(1);
        assertThat(diff.stdout()).contains("-  size: large");
        ok(kubectl.run("apply", "--server-side", "-f", second.toString()));
        assertThat(get(kubectl, "{.data}")).isEqualTo("{\"color\":\"blue\",\"owner\":\"ops\"}");

        // Another manager may not silently change a field kubectl owns...
        Path other = configMap("c.yaml", "  color: red");
        failsWith(kubectl.run("apply", "--server-side", "--field-manager=deployer", "-f", other.toString()),
                "Apply failed with 1 conflict: conflict with \"kubectl\"", ".data.color");
        assertThat(get(kubectl, "{.data.color}")).isEqualTo("blue");
        // ...unless it forces the conflict, which takes the field over.
        ok(kubectl.run("apply", "--server-side", "--field-manager=deployer", "--force-conflicts", "-f", other.toString()));
        assertThat(get(kubectl, "{.data.color}")).isEqualTo("red");
        assertThat(get(kubectl, "{range .metadata.managedFields[*]}{.manager}={.fieldsV1}{\"\\n\"}{end}"))
                .contains("deployer={\"f:data\":{\"f:color\":{}}}").doesNotContain("kubectl=");
    }

    @Test
    void appliesADeploymentAndMergesItsContainersByName(Kubectl kubectl) throws java.io.IOException {
        Path file = Kubectl.manifest(dir, "deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: ssa-web
                  namespace: %s
                spec:
                  replicas: 1
                  selector:
                    matchLabels: {app: ssa-web}
                  template:
                    metadata:
                      labels: {app: ssa-web}
                    spec:
                      containers:
                      - name: main
                        image: busybox:1.35
                        command: ["sleep", "3600"]
                """.formatted(NS));
        ok(kubectl.run("apply", "--server-side", "-f", file.toString()));
        // A sidecar added by a patch is not kubectl's: a new image for "main" leaves it in place.
        ok(kubectl.run("patch", "deployment", "ssa-web", "-n", NS, "--type=strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:1.35\",\"command\":[\"sleep\",\"3600\"]}]}}}}"));
        Kubectl.manifest(dir, "deploy.yaml", java.nio.file.Files.readString(file).replace("busybox:1.35", "busybox:1.36"));
        assertThat(ok(kubectl.run("apply", "--server-side", "-f", file.toString()))).contains("deployment.apps/ssa-web serverside-applied");
        assertThat(ok(kubectl.run("get", "deploy", "ssa-web", "-n", NS, "-o",
                "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}{.spec.template.spec.terminationGracePeriodSeconds}")))
                .as("containers merged by name (the strategic patch put its sidecar first), defaults still applied")
                .isEqualTo("sidecar=busybox:1.35 main=busybox:1.36 30");
        assertThat(ok(kubectl.run("get", "deploy", "ssa-web", "-n", NS, "-o", "jsonpath={.metadata.generation}"))).isEqualTo("3");
    }
}
