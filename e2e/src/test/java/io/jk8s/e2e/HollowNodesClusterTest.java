package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control plane as a user drives it, on hollow nodes started with {@code jk8s hollow-nodes}: the
 * scheduler spreads a Deployment's pods, {@code kubectl cordon/drain} moves them off a node (eviction),
 * {@code uncordon} makes it schedulable again.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HollowNodesClusterTest {

    @Test
    void deploymentSpreadsOverHollowNodesAndDrainMovesItsPods() throws Exception {
        Path dir = SharedServer.workDir("hollow-");
        try (Jk8sServer server = Jk8sServer.start(dir.resolve("data"))) {
            Process hollow = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", Jk8sServer.jar().toString(), "hollow-nodes", "--count", "3",
                    "--kubeconfig", server.kubeconfig().toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("hollow.log").toFile()).start();
            try {
                Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        ok(kubectl.run("get", "nodes", "--no-headers")).lines().filter(l -> l.contains(" Ready ")).count())
                        .isEqualTo(3));

                ok(kubectl.run("create", "deployment", "web", "--image=busybox:1.35", "--replicas=6"));
                ok(kubectl.run("rollout", "status", "deployment/web", "--timeout=90s"));
                assertThat(nodesOfPods(kubectl)).hasSizeGreaterThanOrEqualTo(2);

                ok(kubectl.run("drain", "hollow-0", "--ignore-daemonsets", "--timeout=90s"));
                assertThat(ok(kubectl.run("get", "node", "hollow-0", "-o", "jsonpath={.spec.unschedulable}"))).isEqualTo("true");
                ok(kubectl.run("rollout", "status", "deployment/web", "--timeout=90s"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    List<String> nodes = podNodes(kubectl);
                    assertThat(nodes).hasSize(6).doesNotContain("hollow-0");
                });

                ok(kubectl.run("uncordon", "hollow-0"));
                ok(kubectl.run("scale", "deployment", "web", "--replicas=9"));
                ok(kubectl.run("rollout", "status", "deployment/web", "--timeout=90s"));
                assertThat(podNodes(kubectl)).contains("hollow-0");
            } finally {
                hollow.destroy();
                hollow.waitFor(30, TimeUnit.SECONDS);
                hollow.destroyForcibly();
            }
        }
    }

    private static List<String> podNodes(Kubectl kubectl) {
        String out = ok(kubectl.run("get", "pods", "-l", "app=web", "--field-selector", "status.phase=Running",
                "-o", "jsonpath={range .items[*]}{.spec.nodeName}{\"\\n\"}{end}"));
        return out.isBlank() ? List.of() : Arrays.asList(out.strip().split("\n"));
    }

    private static Set<String> nodesOfPods(Kubectl kubectl) {
        return podNodes(kubectl).stream().collect(Collectors.toSet());
    }
}
