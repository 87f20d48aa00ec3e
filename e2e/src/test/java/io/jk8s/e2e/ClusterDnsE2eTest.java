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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Cluster DNS as a pod sees it, on a whole one-machine cluster (real containerd, CNI, iptables, kubectl): the
 * pod's resolv.conf names 10.96.0.10, the proxy DNATs it to the server's DNS, Service and headless names
 * resolve, a short name works through the search path, and other names are forwarded to the host resolver
 * (here a fake one on loopback, named by {@code --resolv-conf}, so no query leaves the machine).
 *
 * <p>The client pod runs busybox {@code nslookup}/{@code wget}, writes what they print to files and serves them
 * with httpd; the test reads them from the pod IP (no kubectl exec/logs needed).
 */
@Tag("containerd")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterDnsE2eTest {

    private static final String UPSTREAM = "127.0.0.77";
    private static final String OUTSIDE_IP = "198.51.100.7";

    /** The client pod's script; small retries cover the moments until a brand-new Service is programmed. */
    private static final String CLIENT_SCRIPT = String.join("\n",
            "mkdir -p /w && cd /w",
            "cp /etc/resolv.conf resolv.conf",
            "retry() { f=$1; shift; n=0; until \"$@\" >$f 2>&1 || [ $n -ge 20 ]; do n=$((n+1)); sleep 0.5; done; }",
            "retry svc nslookup web.default.svc.cluster.local",
            "retry headless nslookup web-headless",
            "retry outside nslookup outside.example",
            "retry short wget -qO- http://web/hostname", // (busybox 1.35-static wget segfaults with -T)
            "touch done",
            "exec httpd -f -p 8080 -h /w");

    @Test
    void podsResolveServicesHeadlessNamesShortNamesAndForwardTheRest() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agent needs root (containerd, netns, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-dns-");
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver " + UPSTREAM + "\n");
        try (LoopbackUpstreamDns upstream = new LoopbackUpstreamDns(UPSTREAM, Map.of("outside.example", OUTSIDE_IP));
             Jk8sServer server = Jk8sServer.startWithAgent(dir.resolve("data"), List.of("--resolv-conf", resolvConf.toString()))) {
            Kubectl kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, server.kubeconfig(), dir.resolve("kube-cache"));
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(ok(kubectl.run("get", "nodes", "--no-headers"))).contains(" Ready "));
                assertThat(ok(kubectl.run("get", "svc", "-n", "kube-system", "kube-dns", "-o",
                        "jsonpath={.spec.clusterIP} {.spec.ports[*].name}"))).isEqualTo("10.96.0.10 dns dns-tcp");

                ok(kubectl.run("create", "deployment", "web", "--image=busybox:1.35", "--replicas=2",
                        "--", "httpd", "-f", "-p", "80", "-h", "/etc"));
                ok(kubectl.run("rollout", "status", "deployment/web", "--timeout=120s"));
                ok(kubectl.run("expose", "deployment", "web", "--port=80"));
                ok(kubectl.run("expose", "deployment", "web", "--name=web-headless", "--cluster-ip=None", "--port=80"));
                String clusterIp = ok(kubectl.run("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}"));
                List<String> webPods = List.of(ok(kubectl.run("get", "pods", "-l", "app=web", "-o",
                        "jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{\"\\n\"}{end}")).strip().split("\n"));

                ok(kubectl.run("run", "dnsclient", "--image=busybox:1.35", "--restart=Never", "--", "sh", "-c", CLIENT_SCRIPT));
                await().atMost(Duration.ofSeconds(120)).until(() ->
                        !ok(kubectl.run("get", "pod", "dnsclient", "-o", "jsonpath={.status.podIP}")).isBlank());
                String clientIp = ok(kubectl.run("get", "pod", "dnsclient", "-o", "jsonpath={.status.podIP}"));
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                try {
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                            .until(() -> fetch(http, clientIp, "done") != null);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError("client pod did not finish; pod status: "
                            + kubectl.run("get", "pod", "dnsclient", "-o", "wide").stdout() + "\nkube-dns: "
                            + kubectl.run("get", "endpointslices", "-n", "kube-system", "-o", "wide").stdout()
                            + "\nserver log (DNS, proxy, warnings):\n" + server.log().lines()
                                    .filter(l -> l.matches("(?i).*(dns|proxy|warn|error|exception).*")).limit(80)
                                    .collect(java.util.stream.Collectors.joining("\n")), e);
                }

                assertThat(fetch(http, clientIp, "resolv.conf")).contains("nameserver 10.96.0.10")
                        .contains("search default.svc.cluster.local svc.cluster.local cluster.local")
                        .contains("options ndots:5");
                assertThat(fetch(http, clientIp, "svc")).contains("Address: " + clusterIp);
                String headless = fetch(http, clientIp, "headless");
                for (String pod : webPods) assertThat(headless).contains("Address: " + pod.split(" ")[1]);
                assertThat(fetch(http, clientIp, "outside")).contains("Address: " + OUTSIDE_IP);
                assertThat(upstream.asked()).contains("outside.example");
                assertThat(upstream.asked()).as("cluster names are never forwarded")
                        .noneMatch(n -> n.endsWith("cluster.local"));
                assertThat(fetch(http, clientIp, "short").strip())
                        .isIn(webPods.stream().map(p -> p.split(" ")[0]).toList());
            } finally {
                kubectl.run("delete", "deployment", "web", "--ignore-not-found", "--wait=false");
                kubectl.run("delete", "pods", "--all", "--grace-period=1", "--timeout=90s");
                kubectl.run("delete", "svc", "web", "web-headless", "--ignore-not-found");
            }
        } finally {
            AgentHostState.remove();
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** A file the client pod serves, or null while it is not there. */
    private static String fetch(HttpClient http, String ip, String file) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/" + file))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
