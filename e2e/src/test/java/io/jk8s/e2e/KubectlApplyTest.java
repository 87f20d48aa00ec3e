package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Client-side apply: files, directories, three-way patches that remove fields, and diff. */
@ExtendWith(SharedServer.class)
class KubectlApplyTest {

    private static final String NS = "e2e-apply";

    @TempDir
    Path dir;

    @BeforeAll
    static void namespace(Kubectl kubectl) {
        Fixtures.namespace(kubectl, NS);
    }

    private static String deployment(String name, String labels, String env) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                  labels:
                    app: %1$s
                %s
                spec:
                  replicas: 1
                  selector:
                    matchLabels:
                      app: %1$s
                  template:
                    metadata:
                      labels:
                        app: %1$s
                    spec:
                      containers:
                      - name: main
                        image: busybox:1.35
                        command: ["sleep", "3600"]
                        env:
                        - name: KEEP
                          value: "yes"
                %s
                """.formatted(name, NS, labels, env);
    }

    @Test
    void appliesAFileThenLeavesItUnchanged(Kubectl kubectl) {
        Path file = Kubectl.manifest(dir, "cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: applied-once
                  namespace: %s
                data:
                  key: value
                """.formatted(NS));

        assertThat(ok(kubectl.run("apply", "-f", file.toString()))).contains("configmap/applied-once created");
        assertThat(ok(kubectl.run("apply", "-f", file.toString()))).contains("configmap/applied-once unchanged");
        assertThat(ok(kubectl.run("get", "cm", "applied-once", "-n", NS, "-o", "jsonpath={.data.key}"))).isEqualTo("value");
        assertThat(ok(kubectl.run("get", "cm", "applied-once", "-n", NS, "-o",
                "jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}")))
                .contains("\"applied-once\"");
    }

    @Test
    void appliesADirectoryRecursively(Kubectl kubectl) {
        Path tree = dir.resolve("tree");
        Kubectl.manifest(tree, "a.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tree-a, namespace: %s}
                data: {x: "1"}
                """.formatted(NS));
        Kubectl.manifest(tree.resolve("nested"), "b.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tree-b, namespace: %s}
                data: {x: "2"}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: tree-c, namespace: %1$s}
                stringData: {password: s3cret}
                """.formatted(NS));

        String out = ok(kubectl.run("apply", "-R", "-f", tree.toString()));

        assertThat(out).contains("configmap/tree-a created", "configmap/tree-b created", "secret/tree-c created");
        assertThat(ok(kubectl.run("get", "cm,secret", "-n", NS, "-o", "name")))
                .contains("configmap/tree-a", "configmap/tree-b", "secret/tree-c");
    }

    @Test
    void reapplyRemovesALabelAndAContainerEnvVar(Kubectl kubectl) {
        Path file = Kubectl.manifest(dir, "deploy.yaml", deployment("reapplied", "    tier: backend",
                "        - name: DROP_ME\n          value: \"soon\""));
        assertThat(ok(kubectl.run("apply", "-f", file.toString()))).contains("deployment.apps/reapplied created");

        Kubectl.manifest(dir, "deploy.yaml", deployment("reapplied", "", ""));
        assertThat(ok(kubectl.run("apply", "-f", file.toString()))).contains("deployment.apps/reapplied configured");

        String json = ok(kubectl.run("get", "deploy", "reapplied", "-n", NS, "-o", "json"));
        assertThat(json).doesNotContain("\"tier\"").doesNotContain("DROP_ME").contains("\"KEEP\"");
        assertThat(ok(kubectl.run("get", "deploy", "reapplied", "-n", NS, "-o",
                "jsonpath={.spec.template.spec.containers[0].env[*].name}"))).isEqualTo("KEEP");
    }

    @Test
    void diffShowsAPendingChangeAndNothingWhenInSync(Kubectl kubectl) {
        Path file = Kubectl.manifest(dir, "diff.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: diffed, namespace: %s}
                data: {color: blue}
                """.formatted(NS));
        ok(kubectl.run("apply", "-f", file.toString()));

        Kubectl.Result inSync = kubectl.run("diff", "-f", file.toString());
        assertThat(inSync.exitCode()).as(inSync.describe()).isZero();
        assertThat(inSync.stdout()).isEmpty();

        Kubectl.manifest(dir, "diff.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: diffed, namespace: %s}
                data: {color: green}
                """.formatted(NS));
        Kubectl.Result changed = kubectl.run("diff", "-f", file.toString());
        assertThat(changed.exitCode()).as(changed.describe()).isEqualTo(1);
        assertThat(changed.stdout()).contains("-  color: blue").contains("+  color: green");
        // diff is a dry run: the server still holds the old value.
        assertThat(ok(kubectl.run("get", "cm", "diffed", "-n", NS, "-o", "jsonpath={.data.color}"))).isEqualTo("blue");
    }

    @Test
    void appliesFromStandardInput(Kubectl kubectl) {
        String out = ok(kubectl.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: from-stdin, namespace: %s}
                data: {a: b}
                """.formatted(NS), "apply", "-f", "-"));
        assertThat(out).contains("configmap/from-stdin created");
    }
}
