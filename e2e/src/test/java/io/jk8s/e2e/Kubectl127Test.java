package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.failsWith;
import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The oldest kubectl we support (1.27) does the basics: discovery, get, apply, patch, delete. */
@ExtendWith(SharedServer.class)
class Kubectl127Test {

    private static final String NS = "e2e-kubectl127";

    @TempDir
    static Path cache;

    private static Kubectl old;

    @BeforeAll
    static void oldKubectl(Jk8sServer server) {
        old = new Kubectl(Kubectl.KUBECTL_1_27, server.kubeconfig(), cache);
        Fixtures.namespace(new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), cache), NS);
    }

    @Test
    void clientIs127AndListsNamespaces() {
        assertThat(ok(old.run("version", "--client", "-o", "json"))).contains("\"gitVersion\": \"v1.27.");
        assertThat(ok(old.run("get", "ns"))).containsPattern("(?m)^default\\s+Active");
    }

    @Test
    void applyGetPatchDelete() {
        assertThat(ok(old.runWithInput("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: old-client, namespace: %s}
                data: {a: "1"}
                """.formatted(NS), "apply", "-f", "-"))).contains("configmap/old-client created");
        assertThat(ok(old.run("get", "cm", "old-client", "-n", NS, "-o", "jsonpath={.data.a}"))).isEqualTo("1");
        ok(old.run("patch", "cm", "old-client", "-n", NS, "-p", "{\"data\":{\"a\":\"2\"}}"));
        assertThat(ok(old.run("get", "cm", "old-client", "-n", NS, "-o", "jsonpath={.data.a}"))).isEqualTo("2");
        assertThat(ok(old.run("delete", "cm", "old-client", "-n", NS))).contains("deleted");
        failsWith(old.run("get", "cm", "old-client", "-n", NS), "NotFound");
    }

    @Test
    void createDeploymentAndShowTable() {
        assertThat(ok(old.run("create", "deployment", "old-web", "--image=busybox:1.35", "-n", NS)))
                .contains("deployment.apps/old-web created");
        assertThat(ok(old.run("get", "deploy", "-n", NS))).containsPattern("(?m)^NAME\\s+READY\\s+UP-TO-DATE")
                .contains("old-web");
    }
}
