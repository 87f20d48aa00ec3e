package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Changing and removing objects: describe, label, annotate, scale, patch, edit, replace, delete, wait. */
@ExtendWith(SharedServer.class)
class KubectlMutateTest {

    private static final String NS = "e2e-mutate";

    @TempDir
    Path dir;

    @BeforeAll
    static void namespace(Kubectl kubectl) {
        Fixtures.namespace(kubectl, NS);
    }

    private static String jsonpath(Kubectl kubectl, String object, String path) {
        return ok(kubectl.run("get", object, "-n", NS, "-o", "jsonpath=" + path));
    }

    @Test
    void describeShowsFieldsAndData(Kubectl kubectl) {
        Fixtures.deployment(kubectl, NS, "described", "busybox:1.35", 1);
        Fixtures.configMap(kubectl, NS, "described", "greeting", "hello");

        assertThat(ok(kubectl.run("describe", "deployment", "described", "-n", NS)))
                .containsPattern("Name:\\s+described").containsPattern("Namespace:\\s+" + NS)
                .contains("Replicas:").containsPattern("Image:\\s+busybox:1\\.35");
        assertThat(ok(kubectl.run("describe", "cm", "described", "-n", NS)))
                .containsPattern("Name:\\s+described").contains("Data").contains("greeting").contains("hello");
    }

    @Test
    void labelAndAnnotateAddAndRemove(Kubectl kubectl) {
        Fixtures.configMap(kubectl, NS, "tagged", "k", "v");

        assertThat(ok(kubectl.run("label", "cm", "tagged", "env=prod", "-n", NS))).contains("configmap/tagged labeled");
        assertThat(ok(kubectl.run("get", "cm", "-n", NS, "-l", "env=prod", "-o", "name")).strip()).isEqualTo("configmap/tagged");
        ok(kubectl.run("label", "cm", "tagged", "env=dev", "--overwrite", "-n", NS));
        assertThat(jsonpath(kubectl, "cm/tagged", "{.metadata.labels.env}")).isEqualTo("dev");
        ok(kubectl.run("label", "cm", "tagged", "env-", "-n", NS));
        assertThat(jsonpath(kubectl, "cm/tagged", "{.metadata.labels}")).doesNotContain("env");

        assertThat(ok(kubectl.run("annotate", "cm", "tagged", "owner=team-a", "-n", NS))).contains("configmap/tagged annotated");
        assertThat(jsonpath(kubectl, "cm/tagged", "{.metadata.annotations.owner}")).isEqualTo("team-a");
        ok(kubectl.run("annotate", "cm", "tagged", "owner-", "-n", NS));
        assertThat(jsonpath(kubectl, "cm/tagged", "{.metadata.annotations}")).doesNotContain("owner");
    }

    @Test
    void scaleChangesReplicas(Kubectl kubectl) {
        Fixtures.deployment(kubectl, NS, "scaled", "busybox:1.35", 1);

        assertThat(ok(kubectl.run("scale", "deployment", "scaled", "--replicas=3", "-n", NS))).contains("deployment.apps/scaled scaled");

        assertThat(jsonpath(kubectl, "deploy/scaled", "{.spec.replicas}")).isEqualTo("3");
    }

    @Test
    void strategicMergeAndJsonPatches(Kubectl kubectl) {
        Fixtures.deployment(kubectl, NS, "patched", "busybox:1.35", 1);

        // Strategic: the container list merges by name, so the other fields of "busybox" stay.
        assertThat(ok(kubectl.run("patch", "deployment", "patched", "-n", NS, "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"busybox\",\"image\":\"busybox:1.36\"}]}}}}")))
                .contains("deployment.apps/patched patched");
        assertThat(jsonpath(kubectl, "deploy/patched", "{.spec.template.spec.containers[*].image}")).isEqualTo("busybox:1.36");
        assertThat(jsonpath(kubectl, "deploy/patched", "{.spec.template.spec.containers[0].name}")).isEqualTo("busybox");

        ok(kubectl.run("patch", "deployment", "patched", "-n", NS, "--type", "merge", "-p",
                "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}"));
        assertThat(jsonpath(kubectl, "deploy/patched", "{.metadata.labels.tier}")).isEqualTo("front");

        ok(kubectl.run("patch", "deployment", "patched", "-n", NS, "--type", "json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4}]"));
        assertThat(jsonpath(kubectl, "deploy/patched", "{.spec.replicas}")).isEqualTo("4");

        assertThat(ok(kubectl.run("patch", "deployment", "patched", "-n", NS, "--type", "merge", "-p",
                "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}"))).contains("patched (no change)");
    }

    @Test
    void editThroughAnEditorScript(Kubectl kubectl) throws IOException {
        Fixtures.configMap(kubectl, NS, "edited", "level", "value-one");
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/value-one/value-two/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

        assertThat(ok(kubectl.withEnv("KUBE_EDITOR", editor.toString()).run("edit", "cm", "edited", "-n", NS)))
                .contains("configmap/edited edited");

        assertThat(jsonpath(kubectl, "cm/edited", "{.data.level}")).isEqualTo("value-two");
    }

    @Test
    void replaceSwapsTheWholeObject(Kubectl kubectl) {
        Fixtures.configMap(kubectl, NS, "replaced", "old", "1");
        Path file = Kubectl.manifest(dir, "replaced.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: replaced, namespace: %s}
                data: {new: "2"}
                """.formatted(NS));

        assertThat(ok(kubectl.run("replace", "-f", file.toString()))).contains("configmap/replaced replaced");

        assertThat(jsonpath(kubectl, "cm/replaced", "{.data}")).contains("new").doesNotContain("old");
    }

    @Test
    void deleteByNameFileLabelAndAll(Kubectl kubectl) {
        String ns = "e2e-delete";
        Fixtures.namespace(kubectl, ns);
        Fixtures.configMap(kubectl, ns, "by-name", "k", "v");
        Path file = Kubectl.manifest(dir, "by-file.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: by-file, namespace: %s}
                """.formatted(ns));
        ok(kubectl.run("apply", "-f", file.toString()));
        Fixtures.apply(kubectl, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: by-label, namespace: %s, labels: {doomed: "yes"}}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: rest-1, namespace: %1$s}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: rest-2, namespace: %1$s}
                """.formatted(ns));

        assertThat(ok(kubectl.run("delete", "cm", "by-name", "-n", ns))).contains("configmap \"by-name\" deleted");
        assertThat(ok(kubectl.run("delete", "-f", file.toString()))).contains("configmap \"by-file\" deleted");
        assertThat(ok(kubectl.run("delete", "cm", "-l", "doomed=yes", "-n", ns))).contains("configmap \"by-label\" deleted");
        assertThat(ok(kubectl.run("get", "cm", "-n", ns, "-o", "name")))
                .doesNotContain("by-name", "by-file", "by-label").contains("configmap/rest-1", "configmap/rest-2");

        assertThat(ok(kubectl.run("delete", "cm", "--all", "-n", ns)))
                .contains("configmap \"rest-1\" deleted", "configmap \"rest-2\" deleted");
        assertThat(ok(kubectl.run("get", "cm", "-n", ns, "-o", "name"))).doesNotContain("rest-");
    }

    @Test
    void waitForDeleteReturnsOnceTheObjectIsGone(Kubectl kubectl) {
        Fixtures.configMap(kubectl, NS, "awaited", "k", "v");
        ok(kubectl.run("delete", "cm", "awaited", "-n", NS, "--wait=false"));

        Kubectl.Result waited = kubectl.run("wait", "--for=delete", "cm/awaited", "-n", NS, "--timeout=20s");

        assertThat(waited.exitCode()).as(waited.describe()).isZero();
        assertThat(kubectl.run("get", "cm", "awaited", "-n", NS).stderr()).contains("NotFound");
    }
}
