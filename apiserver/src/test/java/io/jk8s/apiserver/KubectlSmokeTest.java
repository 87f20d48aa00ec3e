package io.jk8s.apiserver;

import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A few checks with the real kubectl binary (the cli module owns the full acceptance suite). */
class KubectlSmokeTest {

    static final Path KUBECTL = Path.of("/usr/bin/kubectl");
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl not installed");
        Files.writeString(dir.resolve("none"), "apiVersion: v1\nkind: Config\n");
        t = new TestServer(BuiltinRegistry.create());
    }

    @AfterAll
    static void stop() {
        if (t != null) t.close();
    }

    record Result(int exit, String out) {}

    static Result kubectl(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(KUBECTL.toString(), "--server", t.url(), "--kubeconfig", dir.resolve("none").toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--request-timeout", "20s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kubectl hung: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    @Test
    void getNamespacesPrintsATable() throws Exception {
        Result r = kubectl(null, "get", "namespaces");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("NAME").contains("STATUS").contains("kube-system").contains("Active");
    }

    @Test
    void applyTwiceCreatesThenConfigures() throws Exception {
        String v1 = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\n  namespace: default\ndata:\n  a: \"1\"\n";
        Result first = kubectl(v1, "apply", "-f", "-");
        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(first.out()).contains("configmap/smoke created");
        Result second = kubectl(v1.replace("\"1\"", "\"2\""), "apply", "-f", "-");
        assertThat(second.exit()).as(second.out()).isZero();
        assertThat(second.out()).contains("configmap/smoke configured");
        Result get = kubectl(null, "get", "configmap", "smoke", "-n", "default", "-o", "jsonpath={.data.a}");
        assertThat(get.out()).isEqualTo("2");
        Result del = kubectl(null, "delete", "configmap", "smoke", "-n", "default");
        assertThat(del.out()).contains("configmap \"smoke\" deleted");
    }

    @Test
    void missingObjectIsReportedAsNotFound() throws Exception {
        Result r = kubectl(null, "get", "configmap", "nope", "-n", "default");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("configmaps \"nope\" not found");
    }

    @Test
    void createDeploymentFromYamlAndScaleIt() throws Exception {
        // (kubectl create deployment uses protobuf bodies, which this server does not decode yet)
        String deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: smoke-web\n  namespace: default\nspec:\n"
                + "  replicas: 1\n  selector:\n    matchLabels: {app: smoke-web}\n  template:\n    metadata:\n      labels: {app: smoke-web}\n"
                + "    spec:\n      containers:\n      - name: web\n        image: busybox:1.35\n";
        Result c = kubectl(deploy, "create", "-f", "-");
        assertThat(c.exit()).as(c.out()).isZero();
        Result s = kubectl(null, "scale", "deployment", "smoke-web", "--replicas=3", "-n", "default");
        assertThat(s.exit()).as(s.out()).isZero();
        assertThat(kubectl(null, "get", "deploy", "smoke-web", "-n", "default", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
    }

    @Test
    void explainReadsTheOpenApiV3Documents() throws Exception {
        Result r = kubectl(null, "explain", "deployment.spec.replicas");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("replicas").contains("integer");
    }

    @Test
    void applyOfADeploymentUsesStrategicMergePatch() throws Exception {
        String deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: smoke-apply\n  namespace: default\nspec:\n"
                + "  replicas: 1\n  selector:\n    matchLabels: {app: smoke-apply}\n  template:\n    metadata:\n      labels: {app: smoke-apply}\n"
                + "    spec:\n      containers:\n      - name: web\n        image: busybox:1.35\n";
        assertThat(kubectl(deploy, "apply", "-f", "-").out()).contains("deployment.apps/smoke-apply created");
        Result second = kubectl(deploy.replace("busybox:1.35", "busybox:1.36"), "apply", "-f", "-");
        assertThat(second.out()).contains("deployment.apps/smoke-apply configured");
        assertThat(kubectl(null, "get", "deploy", "smoke-apply", "-n", "default", "-o",
                "jsonpath={.spec.template.spec.containers[0].image} {.metadata.generation}").out()).isEqualTo("busybox:1.36 2");
    }

    @Test
    void getWatchPrintsTableRows() throws Exception {
        kubectl("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: default\n", "create", "-f", "-");
        List<String> cmd = List.of(KUBECTL.toString(), "--server", t.url(), "--kubeconfig", dir.resolve("none").toString(),
                "--cache-dir", dir.resolve("cache").toString(), "get", "configmaps", "-n", "default", "-w");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).startsWith("NAME");
            assertThat(lines.readLine()).startsWith("watched");
            t.client.configMaps().inNamespace("default").withName("watched").delete();
            // kubectl prints the deleted object's row again
            assertThat(lines.readLine()).startsWith("watched");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
