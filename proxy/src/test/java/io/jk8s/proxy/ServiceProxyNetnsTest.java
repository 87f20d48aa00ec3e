package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.nodePortService;
import static io.jk8s.proxy.Fixtures.service;
import static io.jk8s.proxy.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real iptables in network namespaces the test creates (never the host's): a "node" namespace programmed by the
 * proxy, two endpoint namespaces running busybox httpd behind veth pairs, and a "client" namespace outside the
 * cluster network that reaches the node through a third veth pair.
 *
 * <pre>
 *   client 192.168.77.20 ── 192.168.77.10 node 10.244.1.1 ── 10.244.1.2 ep-a
 *                                              10.244.2.1 ── 10.244.2.2 ep-b
 * </pre>
 */
@Tag("iptables")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceProxyNetnsTest {

    private static final String CLUSTER_IP = "10.96.0.50";
    private static final String NODE_IP = "192.168.77.10";

    private final String prefix = "jk8s-proxy-test-" + UUID.randomUUID().toString().substring(0, 6);
    private final List<Netns> namespaces = new ArrayList<>();
    Netns node;
    Netns client;
    private Netns endpointA;
    ApiFixture api;
    private ServiceProxy proxy;

    @BeforeAll
    void setUp(@TempDir Path www) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        for (String tool : requiredTools()) {
            assumeTrue(onPath(tool), "needs " + tool + " on PATH");
        }
        node = ns("node");
        client = ns("client");
        Netns a = ns("a");
        endpointA = a;
        Netns b = ns("b");
        node.vethTo(a, "veth-a", "10.244.1.1/24", "10.244.1.2/24");
        node.vethTo(b, "veth-b", "10.244.2.1/24", "10.244.2.2/24");
        node.vethTo(client, "uplink", NODE_IP + "/24", "192.168.77.20/24");
        a.ip("route", "add", "default", "via", "10.244.1.1");
        b.ip("route", "add", "default", "via", "10.244.2.1");
        client.ip("route", "add", "10.96.0.0/12", "via", NODE_IP);
        client.ip("route", "add", "203.0.113.0/24", "via", NODE_IP);
        // Locally generated service traffic needs a route before the nat OUTPUT chain sees it.
        node.ip("route", "add", "10.96.0.0/12", "via", "192.168.77.20");
        assertThat(node.exec("sysctl", "-w", "net.ipv4.ip_forward=1").exit()).isZero();
        for (Netns ep : List.of(a, b)) {
            Path dir = Files.createDirectories(www.resolve(ep.name));
            Files.writeString(dir.resolve("name"), ep == a ? "a\n" : "b\n");
            ep.spawn("busybox", "httpd", "-f", "-p", "8080", "-h", dir.toString());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "a".equals(get(node, "http://10.244.1.2:8080/name"))
                && "b".equals(get(node, "http://10.244.2.2:8080/name")));

        api = new ApiFixture();
        ProxyConfig cfg = new ProxyConfig("node-1", List.of(NODE_IP), "10.244.0.0/16", "iptables", node.name, null, null);
        proxy = new ServiceProxy(api.newClient(), cfg, mode());
        proxy.start().get(30, TimeUnit.SECONDS);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private Netns ns(String role) {
        Netns ns = new Netns(prefix + "-" + role);
        namespaces.add(ns);
        return ns;
    }

    @AfterAll
    void tearDown() {
        try {
            if (proxy != null) {
                proxy.close();
                assertRulesRemoved();
            }
        } finally {
            if (api != null) {
                api.close();
            }
            Collections.reverse(namespaces);
            namespaces.forEach(Netns::close);
        }
    }

    @Test
    void clusterIpAndNodePortReachBothEndpointsAndEndpointRemovalMovesTrafficWithinOneSecond() {
        Service web = new ServiceBuilder(nodePortService("web", CLUSTER_IP, 30080, "Cluster")).editSpec()
                .withExternalIPs("203.0.113.7").endSpec().build();
        api.client.services().resource(web).create();
        EndpointSlice slice = api.client.discovery().v1().endpointSlices().resource(slice("web-1", "web", 8080,
                List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-1", true)))).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> dnatsTo("10.244.2.2:8080"));

        assertThat(answers(node, "http://" + CLUSTER_IP + "/name", 20)).as("cluster IP from the node").containsExactlyInAnyOrder("a", "b");
        assertThat(answers(client, "http://" + CLUSTER_IP + "/name", 20)).as("cluster IP routed from outside").containsExactlyInAnyOrder("a", "b");
        assertThat(answers(client, "http://" + NODE_IP + ":30080/name", 20)).as("NodePort from outside").containsExactlyInAnyOrder("a", "b");
        assertThat(answers(node, "http://" + NODE_IP + ":30080/name", 10)).as("NodePort from the node").containsAnyOf("a", "b");
        assertThat(answers(client, "http://203.0.113.7/name", 20)).as("external IP from outside").containsExactlyInAnyOrder("a", "b");
        // "a" reaching itself through the Service only works with the hairpin masquerade in its KUBE-SEP chain.
        assertThat(answers(endpointA, "http://" + CLUSTER_IP + "/name", 20)).as("hairpin from an endpoint").containsExactlyInAnyOrder("a", "b");

        // Endpoint-change → rule-in-place latency, measured in the kernel's rule set (iptables-save).
        List<Long> millis = new ArrayList<>();
        // Odd rounds add "a" back, even rounds remove it; the last round (20) removes it.
        for (int i = 0; i <= 20; i++) {
            boolean withA = i % 2 == 1;
            slice.setEndpoints(withA ? List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-1", true))
                    : List.of(endpoint("10.244.2.2", "node-1", true)));
            long started = System.nanoTime();
            slice = api.client.discovery().v1().endpointSlices().resource(slice).update();
            // 2 s per round so that one outlier on an overloaded CI box is measured rather than fatal; the
            // one-second target is asserted on the distribution below.
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> dnatsTo("10.244.1.2:8080") == withA);
            millis.add((System.nanoTime() - started) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.printf("proxy endpoint change -> rule in place (ms, n=%d): p50=%d p99=%d max=%d%n",
                millis.size(), millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.99) - 1), millis.getLast());
        assertThat(millis.get((int) Math.ceil(millis.size() * 0.9) - 1)).as("p90 of endpoint change -> rule in place, ms").isLessThan(1000);

        assertThat(answers(node, "http://" + CLUSTER_IP + "/name", 10)).as("only b left").containsExactly("b");

        api.client.services().withName("web").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> !nat().contains(serviceChainMarker()));
        assertThat(get(node, "http://" + CLUSTER_IP + "/name")).isNull();
    }

    @Test
    void udpServiceIsDnatedAndFlowsToARemovedEndpointAreDeletedFromConntrack() {
        assumeTrue(onPath("conntrack"), "needs the conntrack tool");
        Service dns = new ServiceBuilder(service("dns", "10.96.0.54").build()).editSpec().editFirstPort()
                .withProtocol("UDP").withPort(53).endPort().endSpec().build();
        api.client.services().resource(dns).create();
        EndpointSlice slice = slice("dns-1", "dns", 5353, List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-1", true)));
        slice.getPorts().getFirst().setProtocol("UDP");
        slice = api.client.discovery().v1().endpointSlices().resource(slice).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> dnatsTo("10.244.1.2:5353") && dnatsTo("10.244.2.2:5353"));

        // Datagrams from fresh source ports until the random split has sent one to each endpoint; nothing listens,
        // but the DNAT'ed flow is tracked all the same.
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            client.exec("bash", "-c", "for i in 1 2 3 4 5; do echo q > /dev/udp/10.96.0.54/53; done");
            return flowsTo("10.244.1.2") && flowsTo("10.244.2.2");
        });

        slice.setEndpoints(List.of(endpoint("10.244.2.2", "node-1", true)));
        api.client.discovery().v1().endpointSlices().resource(slice).update();

        await().atMost(Duration.ofSeconds(2)).until(() -> !flowsTo("10.244.1.2"));
        assertThat(flowsTo("10.244.2.2")).as("flows to the endpoint that stays are kept").isTrue();
        api.client.services().withName("dns").delete();
        api.client.discovery().v1().endpointSlices().withName("dns-1").delete();
    }

    /** Whether the node tracks a UDP flow to the dns Service's cluster IP that was DNATed to {@code endpoint}. */
    private boolean flowsTo(String endpoint) {
        return node.exec("conntrack", "-L", "-p", "udp", "--orig-dst", "10.96.0.54", "--dst-nat", endpoint).output()
                .contains("dst=10.96.0.54");
    }

    @Test
    void serviceWithoutEndpointsIsRejectedImmediately() {
        api.client.services().resource(service("empty", "10.96.0.52").build()).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> rejectProgrammed("default/empty:http"));

        long started = System.nanoTime();
        Netns.Result r = node.exec("curl", "-sS", "--max-time", "5", "http://10.96.0.52/name");
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.exit()).as("curl: 7 = could not connect").isEqualTo(7);
        assertThat(tookMs).as("REJECT answers at once instead of timing out").isLessThan(2000);
        api.client.services().withName("empty").delete();
    }

    @Test
    void localTrafficPolicySendsNodePortTrafficOnlyToThisNodesEndpoint() {
        api.client.services().resource(nodePortService("local", "10.96.0.53", 30081, "Local")).create();
        api.client.discovery().v1().endpointSlices().resource(slice("local-1", "local", 8080,
                List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-2", true)))).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> nat().contains(localChainMarker()));

        assertThat(answers(client, "http://" + NODE_IP + ":30081/name", 15)).as("external NodePort traffic").containsExactly("a");
        assertThat(answers(client, "http://10.96.0.53/name", 20)).as("cluster IP still uses every endpoint").containsExactlyInAnyOrder("a", "b");
        api.client.services().withName("local").delete();
        api.client.discovery().v1().endpointSlices().withName("local-1").delete();
    }

    @Test
    void clientIpAffinityKeepsOneClientOnOneEndpoint() {
        Service sticky = new ServiceBuilder(service("sticky", "10.96.0.51").build()).editSpec().withSessionAffinity("ClientIP").endSpec().build();
        api.client.services().resource(sticky).create();
        api.client.discovery().v1().endpointSlices().resource(slice("sticky-1", "sticky", 8080,
                List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-1", true)))).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> affinityProgrammed("default/sticky:http", "10.244.2.2:8080"));

        assertThat(answers(client, "http://10.96.0.51/name", 15)).hasSize(1);
        api.client.services().withName("sticky").delete();
        api.client.discovery().v1().endpointSlices().withName("sticky-1").delete();
    }

    // What differs between the proxy modes: overridden by NftablesProxyNetnsTest.

    ProxyMode mode() {
        return ProxyMode.IPTABLES;
    }

    List<String> requiredTools() {
        return List.of("ip", "iptables", "iptables-save", "iptables-restore", "busybox", "curl");
    }

    /** The node's NAT rules as text: DNAT targets appear as {@code ip:port}. */
    String nat() {
        return node.exec("iptables-save", "-t", "nat").output();
    }

    /** Whether {@link #nat()} DNATs to {@code endpoint} (ip:port). */
    boolean dnatsTo(String endpoint) {
        return nat().contains(endpoint);
    }

    /** Present in {@link #nat()} while any Service has a service chain. */
    String serviceChainMarker() {
        return "KUBE-SVC-";
    }

    /** Present in {@link #nat()} while a Service routes to this node's endpoints only. */
    String localChainMarker() {
        return "KUBE-SVL-";
    }

    boolean rejectProgrammed(String servicePort) {
        return node.exec("iptables-save", "-t", "filter").output().contains(servicePort + " has no endpoints");
    }

    boolean affinityProgrammed(String servicePort, String endpoint) {
        return nat().contains(servicePort + " -> " + endpoint);
    }

    void assertRulesRemoved() {
        assertThat(nat()).as("nat table after close").doesNotContain("KUBE-");
        assertThat(node.exec("iptables-save", "-t", "filter").output()).as("filter table after close").doesNotContain("KUBE-");
    }

    static Set<String> answers(Netns from, String url, int requests) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < requests; i++) {
            String body = get(from, url);
            assertThat(body).as("answer %d from %s", i, url).isNotNull();
            seen.add(body);
        }
        return seen;
    }

    /** One HTTP GET with curl inside {@code from}; the trimmed body, or null on failure. */
    static String get(Netns from, String url) {
        Netns.Result r = from.exec("curl", "-sf", "--max-time", "2", url);
        return r.exit() == 0 ? r.output().trim() : null;
    }
}
