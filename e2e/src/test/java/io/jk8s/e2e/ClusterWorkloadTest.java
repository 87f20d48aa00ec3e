package io.jk8s.e2e;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The path a user checks first, on a whole one-machine cluster (API server, controller manager,
 * scheduler, and an agent with real containerd, runc, CNI and iptables): {@code kubectl create
 * deployment} → pods Running on the node → {@code kubectl expose} → the Service's cluster IP answers
 * from every replica → scaling and deletion clean up.
 *
 * <p>Traffic goes only to the Service's cluster IP, which the proxy's rules send into the pods'
 * network namespaces on this machine.
 */
@Tag("containerd")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterWorkloadTest {

    @Test
    void deploymentRunsOnTheNodeAndItsServiceBalancesOverEveryReplica() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agent needs root (containerd, netns, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        // Short path: containerd's sockets live below the data dir, and unix socket paths are limited to 108 bytes.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-e2e-");
        try (Jk8sServer server = Jk8sServer.startWithAgent(dir.resolve("data"))) {
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("get", "nodes", "--no-headers"))).contains(" Ready "));

                ok(kubectl.run("create", "deployment", "web", "--image=busybox:1.35", "--replicas=3",
                        "--", "httpd", "-f", "-p", "80", "-h", "/etc"));
                ok(kubectl.run("rollout", "status", "deployment/web", "--timeout=120s"));
                String pods = ok(kubectl.run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.status.podIP}{\"\\n\"}{end}"));
                Set<String> names = new HashSet<>();
                for (String line : pods.strip().split("\n")) {
                    String[] f = line.split(" ");
                    assertThat(f).as(pods).hasSize(3);
                    assertThat(f[1]).as(pods).isEqualTo("Running");
                    assertThat(f[2]).as(pods).startsWith("10.244.");
                    names.add(f[0]);
                }
                assertThat(names).hasSize(3);

                ok(kubectl.run("expose", "deployment", "web", "--port=80", "--target-port=80", "--type=NodePort"));
                String clusterIp = ok(kubectl.run("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"));
                assertThat(clusterIp).startsWith("10.");
                Set<String> answeredBy = new HashSet<>();
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    answeredBy.add(hostname(http, clusterIp));
                    assertThat(answeredBy).containsExactlyInAnyOrderElementsOf(names);
                });

                ok(kubectl.run("scale", "deployment", "web", "--replicas=1"));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("get", "pods", "-l", "app=web", "--no-headers")).strip().split("\n")).hasSize(1));
            } finally {
                // Pods outlive the agent by design (like a kubelet restart), so remove them while it runs.
                kubectl.run("delete", "deployment", "web", "--ignore-not-found", "--wait=false");
                kubectl.run("delete", "pods", "--all", "--grace-period=1", "--timeout=90s");
                kubectl.run("delete", "svc", "web", "--ignore-not-found");
            }
        } finally {
            // The node's bridge and pod network are host state the agent created; a test leaves the host as it found it.
            AgentHostState.remove();
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String hostname(HttpClient http, String ip) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + "/hostname"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body().strip();
    }
}
