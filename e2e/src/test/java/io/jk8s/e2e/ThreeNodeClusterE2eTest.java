package io.jk8s.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three machines, each a network namespace on one bridge: {@code jk8s server} on the first, {@code jk8s
 * agent --server --token} on the other two (each with its own containerd, kubelet, proxy and network
 * agent), and real kubectl from outside against the first machine's address. Nodes turn Ready with
 * their own pod ranges; a Deployment spread over them answers pod to pod by pod IP across machines,
 * through a NodePort on every machine's address, through its cluster IP and its DNS name from a pod on
 * every node; scaling changes who answers; a killed agent's Node goes NotReady and its pod leaves the
 * Service's endpoints, and the agent comes back on its stored certificate.
 *
 * <p>Machine 3 sits behind a router on another subnet, so the others reach its pods over VXLAN {@code jk8s.1}
 * (checked in the routing tables); the server runs a non-default {@code --service-cidr}, given to the agents too.
 * The Deployment follows the usual zero-downtime pattern (readiness probe, {@code preStop: sleep}): a client pod's
 * {@code wget} loop on machine 3 sees no failed request while a pod is deleted, while one fails its readiness probe
 * (and gets no traffic meanwhile) and while the Deployment scales down.
 */
@Tag("containerd")
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ThreeNodeClusterE2eTest {

    private static final Pattern PRINTED = Pattern.compile("jk8s agent --server (https://\\S+) --token (K10\\S+)");
    private static final int API_PORT = 6443;
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** How long a web pod keeps serving after its deletion (its preStop hook) while traffic moves away from it. */
    private static final int PRE_STOP_SECONDS = 5;
    /** Not the default range: every agent must program this one (routes, DNS) instead of 10.96.0.0/12. */
    private static final String SERVICE_CIDR = "10.200.0.0/16";

    private Path dir;
    private NetnsMachines machines;
    private Process server;
    private final Map<Integer, Process> agents = new LinkedHashMap<>();
    private Kubectl kubectl;
    /** Wall time of each phase, printed at the end (docs/benchmarks.md quotes them). */
    private final Map<String, Duration> phases = new LinkedHashMap<>();
    private long phaseStart = System.nanoTime();

    @Test
    void serverAndTwoJoinedAgentsRunOneServiceAcrossMachines() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agents need root (containerd, netns, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        // Short path: containerd's sockets live below the data dirs (unix socket paths are limited to 108 bytes).
        dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-3n-");
        // Own subnets: other tests (e.g. AgentMemoryBenchmark) put machines on 192.168.79.0/24 and may run meanwhile.
        machines = new NetnsMachines("jk8s3n", "192.168.81", "192.168.82");
        try {
            machines.create(3, 3); // machine 3 behind a router: the others reach its pods over VXLAN
            run();
            System.out.println("three-node e2e phases: " + phases);
        } catch (Throwable t) {
            System.out.println("three-node e2e failed after phases " + phases + ": " + t);
            throw new AssertionError(t.getMessage() + "\n" + diagnostics(), t);
        } finally {
            cleanUp();
        }
    }

    private void run() throws Exception {
        // No name server outside the cluster: names the cluster does not know are not forwarded anywhere.
        Path resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        server = machines.start(1, dir.resolve("server.log"), jk8s("server", "--data-dir", dir.resolve("s").toString(),
                "--https-port", Integer.toString(API_PORT), "--node-monitor-grace-period", "20s",
                "--resolv-conf", resolvConf.toString(), "--service-cidr", SERVICE_CIDR));
        Path adminKubeconfig = dir.resolve("s/admin.kubeconfig");
        await("admin kubeconfig").atMost(WAIT).until(() -> alive(server, "server") && Files.exists(adminKubeconfig));
        // The admin kubeconfig names 127.0.0.1 (right inside machine 1); from outside, the machine's address.
        String serverUrl = "https://" + machines.address(1) + ":" + API_PORT;
        Path kubeconfig = Files.writeString(dir.resolve("outside.kubeconfig"),
                Files.readString(adminKubeconfig).replace("https://127.0.0.1:" + API_PORT, serverUrl));
        kubectl = new Kubectl(Kubectl.DEFAULT_BINARY, kubeconfig, dir.resolve("kube-cache"));
        await("API ready from outside").atMost(WAIT).until(() -> alive(server, "server") && kubectl.run("get", "--raw", "/readyz").ok());

        String joinCommand = machines.exec(1, jk8s("token", "create", "--kubeconfig", adminKubeconfig.toString()).toArray(String[]::new));
        Matcher join = PRINTED.matcher(joinCommand);
        assertThat(join.find()).as("token create printed the agent command:%n%s", joinCommand).isTrue();
        assertThat(join.group(1)).as("the server's address as the agents reach it").isEqualTo(serverUrl);
        String token = join.group(2);
        phase("server ready, token created");
        for (int i = 2; i <= 3; i++) startAgent(i, token);

        // Three Ready nodes with their machines' addresses and distinct pod ranges from node IPAM.
        await("3 nodes Ready").atMost(WAIT).untilAsserted(() -> {
            agents.forEach((i, p) -> assertThat(alive(p, "agent " + i)).isTrue());
            String nodes = ok(kubectl.run("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name} "
                    + "{.status.conditions[?(@.type==\"Ready\")].status} {.spec.podCIDR} {.status.addresses[?(@.type==\"InternalIP\")].address}{\"\\n\"}{end}"));
            List<String> lines = nonEmptyLines(nodes);
            assertThat(lines).as(nodes).hasSize(3).allMatch(l -> l.split(" ")[1].equals("True"));
            assertThat(lines.stream().map(l -> l.split(" ")[2]).distinct()).as(nodes).hasSize(3).allMatch(c -> c.startsWith("10.244."));
            assertThat(lines.stream().map(l -> l.split(" ")[3])).as(nodes)
                    .containsExactlyInAnyOrder(machines.address(1), machines.address(2), machines.address(3));
        });

        phase("agents joined, 3 nodes Ready");
        // The server's own node is named after the host; find it by machine 1's address.
        String serverNode = ok(kubectl.run("get", "nodes", "-o", "jsonpath={range .items[?(@.status.addresses[0].address==\""
                + machines.address(1) + "\")]}{.metadata.name}{end}")).strip();
        assertThat(serverNode).as("the node with address %s", machines.address(1)).isNotEmpty();

        // One replica per node: a topology spread over hostnames.
        // busybox httpd exits at once on SIGTERM, so the standard pattern: a readiness probe (on a file the test can
        // remove) and a preStop sleep that keeps the pod serving while the Service moves traffic away from it.
        ok(kubectl.run("create", "deployment", "web", "--image=busybox:1.35", "--replicas=0", "--", "sh", "-c",
                "touch /etc/ready && exec httpd -f -p 80 -h /etc"));
        ok(kubectl.run("patch", "deployment", "web", "--type=strategic", "-p", """
                {"spec":{"replicas":3,"template":{"spec":{"topologySpreadConstraints":[{"maxSkew":1,
                "topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"DoNotSchedule","labelSelector":{"matchLabels":{"app":"web"}}}],
                "containers":[{"name":"busybox","readinessProbe":{"httpGet":{"path":"/ready","port":80},"periodSeconds":1,"failureThreshold":1},
                "lifecycle":{"preStop":{"exec":{"command":["sleep","%d"]}}}}]}}}}""".formatted(PRE_STOP_SECONDS)));
        Map<String, Pod> pods = awaitPodsOnDistinctNodes(3);
        phase("3 pods Running");

        // Machine 3 shares no subnet with the others: its pod range is reached over VXLAN jk8s.1, theirs directly.
        assertThat(machines.exec(1, "ip", "route", "show", podCidr("n3"))).as("n1 -> n3's pods").contains("dev jk8s.1");
        assertThat(machines.exec(2, "ip", "route", "show", podCidr("n3"))).as("n2 -> n3's pods").contains("dev jk8s.1");
        assertThat(machines.exec(3, "ip", "route", "show", podCidr(serverNode))).as("n3 -> n1's pods").contains("dev jk8s.1");
        assertThat(machines.exec(1, "ip", "route", "show", podCidr("n2"))).as("n1 -> n2's pods")
                .contains("via " + machines.address(2)).doesNotContain("jk8s.1");

        // Pod to pod by pod IP, across machines, in a ring (exec reaches the kubelet on every machine).
        List<Pod> ring = new ArrayList<>(pods.values());
        for (int k = 0; k < ring.size(); k++) {
            Pod from = ring.get(k);
            Pod to = ring.get((k + 1) % ring.size());
            assertThat(getFromPod(from, to.ip)).as("%s -> %s", from, to).isEqualTo(to.name);
        }

        phase("pod-to-pod ring");
        ok(kubectl.run("expose", "deployment", "web", "--port=80", "--target-port=80", "--type=NodePort"));
        int nodePort = Integer.parseInt(ok(kubectl.run("get", "svc", "web", "-o", "jsonpath={.spec.ports[0].nodePort}")).strip());
        String clusterIp = ok(kubectl.run("get", "svc", "web", "-o", "jsonpath={.spec.clusterIP}")).strip();
        assertThat(clusterIp).startsWith("10.200.");
        for (int i = 1; i <= 3; i++) {
            assertThat(machines.exec(i, "ip", "route", "show", SERVICE_CIDR)).as("service range on machine %d", i).contains("dev jk8s-svc0");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        // The NodePort answers on every machine's address from outside, and every replica is reached through it.
        Set<String> answeredBy = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            String url = "http://" + machines.address(i) + ":" + nodePort + "/hostname";
            await("NodePort on " + machines.address(i)).atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(pods).containsKey(answeredBy(http, url, answeredBy)));
        }
        await("every replica behind the NodePort").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) answeredBy(http, "http://" + machines.address(i) + ":" + nodePort + "/hostname", answeredBy);
            assertThat(answeredBy).containsExactlyInAnyOrderElementsOf(pods.keySet());
        });

        phase("NodePort answers on 3 addresses from all 3 pods");

        // Cluster IP and DNS name from a pod on every node.
        for (Pod from : pods.values()) {
            assertThat(pods).as("cluster IP from %s", from).containsKey(getFromPod(from, clusterIp));
            assertThat(pods).as("DNS name from %s", from).containsKey(getFromPod(from, "web.default.svc.cluster.local"));
        }

        phase("cluster IP and DNS from 3 pods");

        // A client pod on n3 (behind the router) fetches the cluster IP in a tight loop while pods go: none of its
        // requests may fail. (timeout, not wget -T: Debian's static busybox wget crashes with -T.)
        ok(kubectl.run("run", "client", "--image=busybox:1.35", "--restart=Never", "--overrides={\"spec\":{\"nodeName\":\"n3\"}}",
                "--", "sh", "-c", "trap exit TERM; while true; do if r=$(timeout 3 wget -q -O- http://" + clusterIp
                        + "/hostname 2>&1); then echo \"ok $r\"; else echo \"FAIL $r\"; fi; done > /tmp/log"));
        await("the client's loop reaches every replica").atMost(WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(answered(clientLog())).containsAll(pods.keySet()));

        // kubectl delete pod: it leaves the endpoints while its preStop hook keeps it serving, then stops.
        Pod victim = pods.values().stream().filter(p -> p.node.equals(serverNode)).findFirst().orElseThrow();
        int before = clientLog().size();
        ok(kubectl.run("delete", "pod", victim.name, "--timeout=60s"));
        List<String> all = clientLog();
        List<String> duringDeletion = all.subList(before, all.size());
        assertThat(duringDeletion).as("requests while %s was deleted", victim.name).hasSizeGreaterThan(20)
                .noneMatch(l -> l.startsWith("FAIL"));
        assertThat(duringDeletion.subList(duringDeletion.size() - 10, duringDeletion.size()))
                .as("the last requests before %s stopped went elsewhere", victim.name).noneMatch(l -> l.equals("ok " + victim.name));
        Map<String, Pod> replaced = awaitPodsOnDistinctNodes(3);
        phase("kubectl delete pod: no failed request (preStop " + PRE_STOP_SECONDS + " s)");

        // A failing readiness probe takes a pod out of the endpoints (and out of the rotation) until it passes again.
        Pod unready = replaced.values().stream().filter(p -> p.node.equals("n2")).findFirst().orElseThrow();
        ok(kubectl.run("exec", unready.name, "--", "rm", "/etc/ready"));
        await(unready.name + " out of the endpoints").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(endpointIps()).doesNotContain(unready.ip).hasSize(2));
        int mark = clientLog().size();
        await("20 more requests").atMost(Duration.ofSeconds(30)).until(() -> clientLog().size() >= mark + 20);
        List<String> afterUnready = clientLog();
        assertThat(afterUnready.subList(mark, afterUnready.size())).as("requests while %s is unready", unready.name)
                .noneMatch(l -> l.equals("ok " + unready.name)).noneMatch(l -> l.startsWith("FAIL"));
        ok(kubectl.run("exec", unready.name, "--", "touch", "/etc/ready"));
        await(unready.name + " back in the endpoints").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(endpointIps()).contains(unready.ip).hasSize(3));
        phase("readiness probe fails -> out of the endpoints -> back");

        // Scaling to one: only the survivor answers, on every machine's address.
        ok(kubectl.run("scale", "deployment", "web", "--replicas=1"));
        Map<String, Pod> one = awaitPodsOnDistinctNodes(1);
        String survivor = one.keySet().iterator().next();
        await("only " + survivor + " answers").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            for (int round = 0; round < 3; round++) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(answeredBy(http, "http://" + machines.address(i) + ":" + nodePort + "/hostname", new HashSet<>()))
                            .isEqualTo(survivor);
                }
            }
        });

        assertThat(clientLog()).as("the client's requests while scaling down").noneMatch(l -> l.startsWith("FAIL"));
        ok(kubectl.run("delete", "pod", "client", "--wait=false"));

        // Back to three, then machine 3's agent and containerd die: Node NotReady, its pod leaves the endpoints.
        ok(kubectl.run("scale", "deployment", "web", "--replicas=3"));
        Map<String, Pod> three = awaitPodsOnDistinctNodes(3);
        Pod onN3 = three.values().stream().filter(p -> p.node.equals("n3")).findFirst().orElseThrow();
        await("endpoints of 3").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(endpointIps()).containsExactlyInAnyOrderElementsOf(three.values().stream().map(p -> p.ip).toList()));
        phase("scaled 3 -> 1 -> 3");
        agents.get(3).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        killContainerdOf(3);
        await("n3 NotReady").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(ok(kubectl.run("get", "node", "n3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")))
                        .isNotEqualTo("True"));
        phase("kill -> n3 NotReady (grace 20 s)");
        await("n3's pod out of the endpoints").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(endpointIps()).doesNotContain(onN3.ip).isNotEmpty());
        phase("NotReady -> n3's pod out of the endpoints");
        for (int i = 1; i <= 2; i++) {
            String url = "http://" + machines.address(i) + ":" + nodePort + "/hostname";
            await("NodePort on " + machines.address(i) + " without n3").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(answeredBy(http, url, new HashSet<>())).isIn(three.keySet()).isNotEqualTo(onN3.name));
        }

        // The agent comes back on its stored certificate and a new containerd (its pods' shims kept running meanwhile).
        startAgent(3, token);
        await("n3 Ready again").atMost(WAIT).untilAsserted(() ->
                assertThat(ok(kubectl.run("get", "node", "n3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")))
                        .isEqualTo("True"));
        phase("n3 agent restarted -> Ready");
    }

    private String podCidr(String node) {
        return ok(kubectl.run("get", "node", node, "-o", "jsonpath={.spec.podCIDR}")).strip();
    }

    /** The client pod's loop log: one line per request, {@code ok <pod name>} or {@code FAIL <wget's error>}. */
    private List<String> clientLog() {
        return nonEmptyLines(ok(kubectl.run("exec", "client", "--", "cat", "/tmp/log")));
    }

    private static Set<String> answered(List<String> log) {
        Set<String> names = new HashSet<>();
        for (String line : log) if (line.startsWith("ok ")) names.add(line.substring(3));
        return names;
    }

    private void phase(String name) {
        long now = System.nanoTime();
        phases.put(name, Duration.ofMillis((now - phaseStart) / 1_000_000));
        phaseStart = now;
    }

    private void startAgent(int i, String token) throws IOException {
        agents.put(i, machines.start(i, dir.resolve("agent" + i + ".log"), jk8s("agent", "--server", "https://" + machines.address(1) + ":" + API_PORT,
                "--token", token, "--data-dir", dir.resolve("a" + i).toString(), "--node-name", "n" + i, "--service-cidr", SERVICE_CIDR)));
    }

    private record Pod(String name, String node, String ip) {}

    /** Waits until the Deployment has exactly {@code n} Running, Ready pods, each on its own node. */
    private Map<String, Pod> awaitPodsOnDistinctNodes(int n) {
        Map<String, Pod> result = new LinkedHashMap<>();
        await(n + " web pods Running on distinct nodes").atMost(WAIT).untilAsserted(() -> {
            result.clear();
            String out = ok(kubectl.run("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} "
                    + "{.status.podIP} {.status.phase} {.status.conditions[?(@.type==\"Ready\")].status} {.metadata.deletionTimestamp}{\"\\n\"}{end}"));
            List<String> lines = nonEmptyLines(out);
            assertThat(lines).as(out).hasSize(n);
            for (String line : lines) {
                String[] f = line.split(" ");
                assertThat(f).as(out).hasSize(5);
                assertThat(f[3] + " " + f[4]).as(out).isEqualTo("Running True");
                result.put(f[0], new Pod(f[0], f[1], f[2]));
            }
            assertThat(result.values().stream().map(Pod::node).distinct()).as(out).hasSize(n);
        });
        return result;
    }

    /** {@code GET http://<target>/hostname} from inside a pod, via kubectl exec (busybox wget; a name goes through the pod's resolver). */
    private String getFromPod(Pod from, String target) {
        String[] body = {""};
        await("GET " + target + " from " + from.name + " on " + from.node).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Kubectl.Result r = kubectl.run("exec", from.name, "--", "timeout", "5", "wget", "-qO-", "http://" + target + "/hostname");
            assertThat(r.ok()).as(r.describe()).isTrue();
            body[0] = r.stdout().strip();
        });
        return body[0];
    }

    private static String answeredBy(HttpClient http, String url, Set<String> seen) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        String name = r.body().strip();
        seen.add(name);
        return name;
    }

    private List<String> endpointIps() {
        return nonEmptyLines(ok(kubectl.run("get", "endpoints", "web", "-o", "jsonpath={range .subsets[*].addresses[*]}{.ip}{\"\\n\"}{end}")));
    }

    private void killContainerdOf(int i) {
        String marker = dir.resolve("a" + i).toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("containerd") && !c.contains("shim") && c.contains(marker)).orElse(false))
                .forEach(p -> {
                    p.destroyForcibly();
                    p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
                });
    }

    private static boolean alive(Process p, String what) {
        if (!p.isAlive()) throw new IllegalStateException(what + " exited with " + p.exitValue());
        return true;
    }

    private static List<String> nonEmptyLines(String s) {
        return s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> jk8s(String... args) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", Jk8sServer.jar().toString()));
        c.addAll(List.of(args));
        return c;
    }

    private String diagnostics() {
        StringBuilder d = new StringBuilder("--- diagnostics ---\n");
        if (kubectl != null) {
            d.append(kubectl.run("get", "nodes", "-o", "wide").describe()).append('\n');
            d.append(kubectl.run("get", "nodes", "-o", "jsonpath={range .items[*]}{.metadata.name}: {range .status.conditions[*]}{.type}={.status} {end}{\"\\n\"}{end}").describe()).append('\n');
            d.append(kubectl.run("get", "pods", "-A", "-o", "wide").describe()).append('\n');
            d.append(kubectl.run("get", "endpoints", "-A").describe()).append('\n');
            d.append(kubectl.run("get", "events", "-A", "--sort-by=.lastTimestamp").describe()).append('\n');
            d.append(kubectl.run("exec", "client", "--", "sh", "-c", "wc -l /tmp/log; grep -v '^ok' /tmp/log | head; tail -30 /tmp/log").describe()).append('\n');
        }
        d.append(tail(dir.resolve("server.log")));
        for (int i = 2; i <= 3; i++) d.append(tail(dir.resolve("agent" + i + ".log")));
        return d.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no " + log + ")\n";
        }
    }

    /** Pods are deleted through the API while the agents run; whatever is left is removed by process and namespace. */
    private void cleanUp() throws Exception {
        if (kubectl != null && server != null && server.isAlive()) {
            kubectl.run("delete", "deployment", "web", "--ignore-not-found", "--wait=false");
            kubectl.run("delete", "svc", "web", "--ignore-not-found");
            if (agents.values().stream().allMatch(Process::isAlive)) {
                kubectl.run("delete", "pods", "--all", "--grace-period=1", "--timeout=60s");
            } // else a dead node's pods would never finish: ContainerdLeftovers removes them below
        }
        for (Process agent : agents.values()) agent.destroy();
        if (server != null) server.destroy();
        for (Process p : agents.values()) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        if (server != null && !server.waitFor(30, TimeUnit.SECONDS)) server.destroyForcibly();
        if (dir != null) ContainerdLeftovers.removeUnder(dir);
        if (machines != null) machines.close();
        if (dir != null) new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
}
