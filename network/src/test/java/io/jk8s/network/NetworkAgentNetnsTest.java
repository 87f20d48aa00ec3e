package io.jk8s.network;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three "machines" (network namespaces on one L2 segment, each with a pod behind a bridge) and one
 * real network agent per machine against the real API server: pods reach each other by pod IP
 * with their source address intact, reach outside through masquerade, unassigned cluster and
 * service addresses stay on the host, and a deleted Node's routes disappear — with direct routes
 * and with VXLAN.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NetworkAgentNetnsTest {

    static final String CLUSTER_CIDR = "10.244.0.0/16";
    static final String SERVICE_CIDR = "10.96.0.0/12";

    TestServer api;
    KubernetesClient client;
    NetnsHosts hosts;
    final List<NetworkAgent> agents = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(NetnsHosts.available(), "needs root, ip, iptables-restore and busybox");
        api = TestServer.withBuiltinKinds();
        client = api.client;
        hosts = new NetnsHosts("jk8snet-", 3).create();
        for (int i = 1; i <= 3; i++) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n" + i).endMetadata()
                    .withNewSpec().withPodCIDR(NetnsHosts.podCidr(i)).withPodCIDRs(NetnsHosts.podCidr(i)).endSpec()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress(NetnsHosts.nodeIp(i)).endAddress().endStatus()
                    .build()).create();
        }
    }

    @AfterEach
    void tearDown() {
        agents.forEach(NetworkAgent::close);
        if (hosts != null) hosts.close();
        if (api != null) api.close();
    }

    private NetworkAgent startAgent(int i, NetworkConfig.Backend backend) throws Exception {
        NetworkAgent agent = new NetworkAgent(client, NetworkConfig.of("n" + i, NetnsHosts.nodeIp(i), CLUSTER_CIDR, SERVICE_CIDR)
                .withBackend(backend), hosts.host(hosts.node(i)));
        agents.add(agent);
        agent.start().get(30, TimeUnit.SECONDS);
        return agent;
    }

    private String routes(int i) {
        return hosts.host(hosts.node(i)).check("ip", "route", "show");
    }

    /** What pod {@code from}'s request to {@code ip} looked like from there: the source address seen. */
    private String seenSource(String fromNs, String ip) {
        Host.Result r = hosts.get(fromNs, "http://" + ip + ":8080/cgi-bin/ip");
        assertThat(r.ok()).as("GET %s from %s: %s", ip, fromNs, r.output()).isTrue();
        return r.output().strip();
    }

    @Test
    void directRoutesOnOneSubnetCarryPodTrafficUnNatedAndMasqueradeTheRest() throws Exception {
        for (int i = 1; i <= 3; i++) startAgent(i, NetworkConfig.Backend.AUTO);
        assertThat(routes(1)).contains("10.244.2.0/24 via 192.168.77.12 dev eth0 proto 77")
                .contains("10.244.3.0/24 via 192.168.77.13 dev eth0 proto 77").contains("unreachable 10.244.0.0/16");

        // Pod to pod across nodes keeps the pod's address (no NAT), in every direction.
        assertThat(seenSource(hosts.pod(1), NetnsHosts.podIp(2))).isEqualTo(NetnsHosts.podIp(1));
        assertThat(seenSource(hosts.pod(3), NetnsHosts.podIp(1))).isEqualTo(NetnsHosts.podIp(3));
        assertThat(seenSource(hosts.pod(2), NetnsHosts.podIp(3))).isEqualTo(NetnsHosts.podIp(2));
        // Leaving the cluster: masqueraded to the node's address (the switch has no route to pods).
        assertThat(seenSource(hosts.pod(1), NetnsHosts.SWITCH_IP)).isEqualTo(NetnsHosts.nodeIp(1));
        // A node reaches another node's pods too.
        assertThat(hosts.get(hosts.node(2), "http://" + NetnsHosts.podIp(3) + ":8080/cgi-bin/ip").ok()).isTrue();

        // An unassigned pod address is refused on the host, not sent to the default route.
        Host n1 = hosts.host(hosts.node(1));
        assertThat(n1.run("ip", "route", "get", "10.244.77.7").output()).contains("No route to host");

        // Service VIPs: a VIP with a DNAT rule works from the node itself (routed before nat OUTPUT),
        // one without rules is refused at once instead of leaving the host.
        n1.check("iptables", "-t", "nat", "-A", "OUTPUT", "-d", "10.96.0.10/32", "-p", "tcp", "--dport", "80",
                "-j", "DNAT", "--to-destination", NetnsHosts.podIp(2) + ":8080");
        Host.Result viaVip = hosts.get(hosts.node(1), "http://10.96.0.10:80/cgi-bin/ip");
        assertThat(viaVip.ok()).as(viaVip.output()).isTrue();
        long t = System.nanoTime();
        Host.Result stray = hosts.get(hosts.node(1), "http://10.96.0.11:80/");
        assertThat(stray.ok()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(2));
        assertThat(n1.run("ip", "route", "get", "10.96.0.11").output()).contains("dev " + NetworkConfig.SERVICE_DEVICE);

        // A deleted Node's range is no longer routed anywhere.
        client.nodes().withName("n2").delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(routes(1)).doesNotContain("10.244.2.0/24");
            assertThat(routes(3)).doesNotContain("10.244.2.0/24");
        });
        assertThat(hosts.get(hosts.pod(1), "http://" + NetnsHosts.podIp(2) + ":8080/cgi-bin/ip").ok()).isFalse();
    }

    @Test
    void vxlanCarriesPodTrafficAndARestartedAgentDropsRoutesOfNodesDeletedMeanwhile() throws Exception {
        for (int i = 1; i <= 3; i++) startAgent(i, NetworkConfig.Backend.VXLAN);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(routes(1)).contains("10.244.2.0/24 via 10.244.2.0 dev jk8s.1").contains("10.244.3.0/24 via 10.244.3.0 dev jk8s.1"));
        Node n2 = client.nodes().withName("n2").get();
        assertThat(n2.getMetadata().getAnnotations()).containsEntry(NetworkConfig.PUBLIC_IP_ANNOTATION, NetnsHosts.nodeIp(2))
                .containsKey(NetworkConfig.VTEP_MAC_ANNOTATION);
        assertThat(hosts.host(hosts.node(1)).check("bridge", "fdb", "show", "dev", "jk8s.1"))
                .contains(n2.getMetadata().getAnnotations().get(NetworkConfig.VTEP_MAC_ANNOTATION) + " dst " + NetnsHosts.nodeIp(2));

        assertThat(seenSource(hosts.pod(1), NetnsHosts.podIp(2))).isEqualTo(NetnsHosts.podIp(1));
        assertThat(seenSource(hosts.pod(3), NetnsHosts.podIp(1))).isEqualTo(NetnsHosts.podIp(3));
        assertThat(seenSource(hosts.pod(2), NetnsHosts.SWITCH_IP)).isEqualTo(NetnsHosts.nodeIp(2));

        // Agent 1 stops; node 3 goes away meanwhile; the new agent 1 removes the stale route and keeps the rest.
        agents.removeFirst().close();
        client.nodes().withName("n3").delete();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(routes(2)).doesNotContain("10.244.3.0/24"));
        assertThat(routes(1)).contains("10.244.3.0/24");
        startAgent(1, NetworkConfig.Backend.VXLAN);
        assertThat(routes(1)).doesNotContain("10.244.3.0/24").contains("10.244.2.0/24 via 10.244.2.0 dev jk8s.1");
        assertThat(seenSource(hosts.pod(1), NetnsHosts.podIp(2))).isEqualTo(NetnsHosts.podIp(1));
    }

    @Test
    void teardownRemovesEveryRouteDeviceAndChain() throws Exception {
        startAgent(1, NetworkConfig.Backend.VXLAN);
        startAgent(2, NetworkConfig.Backend.VXLAN);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(routes(1)).contains("dev jk8s.1"));
        agents.forEach(NetworkAgent::close);
        Host n1 = hosts.host(hosts.node(1));
        new HostRules(n1, NetworkConfig.of("n1", NetnsHosts.nodeIp(1), CLUSTER_CIDR, SERVICE_CIDR)).teardown();
        assertThat(routes(1)).doesNotContain("unreachable").doesNotContain("jk8s").doesNotContain("10.96.0.0");
        assertThat(n1.check("ip", "-o", "link")).doesNotContain(NetworkConfig.VXLAN_DEVICE).doesNotContain(NetworkConfig.SERVICE_DEVICE);
        assertThat(n1.check("iptables-save")).doesNotContain("JK8S-NET");
    }
}
