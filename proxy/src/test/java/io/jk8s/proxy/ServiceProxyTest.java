package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.service;
import static io.jk8s.proxy.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The informer loop against the real API server, with iptables recorded in memory. */
class ServiceProxyTest {

    private ApiFixture api;
    private KubernetesClient proxyClient;
    private RecordingIptables iptables;
    private ServiceProxy proxy;
    private final List<Conntrack.UdpFlush> flushes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
        proxyClient = api.newClient();
        iptables = new RecordingIptables();
        proxy = new ServiceProxy(proxyClient, ProxyConfig.of("node-a", List.of(), "10.244.0.0/16"), iptables, flushes::add);
        proxy.start().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (proxyClient != null) {
            proxyClient.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void firstSyncInstallsBaseChainsAndJumps() {
        assertThat(iptables.allChains()).contains("nat/KUBE-SERVICES", "nat/KUBE-POSTROUTING", "filter/KUBE-EXTERNAL-SERVICES");
        assertThat(iptables.jumps).hasSize(JumpRules.ALL.size());
    }

    @Test
    void endpointChangesAreProgrammedAndServiceDeletionRemovesItsChains() {
        api.client.services().resource(service("web", "10.96.0.50").build()).create();
        EndpointSlice slice = api.client.discovery().v1().endpointSlices().resource(slice("web-abc", "web", 8080,
                List.of(endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true)))).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .contains("--to-destination 10.244.1.2:8080", "--to-destination 10.244.2.2:8080"));

        slice.setEndpoints(List.of(endpoint("10.244.2.2", "node-b", true)));
        api.client.discovery().v1().endpointSlices().resource(slice).update();
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .doesNotContain("10.244.1.2").contains("--to-destination 10.244.2.2:8080"));

        api.client.services().withName("web").delete();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.allChains())
                .noneMatch(c -> c.contains("KUBE-SVC-") || c.contains("KUBE-SEP-")));
    }

    @Test
    void anEndpointChangeRewritesOnlyThatServicesChains() {
        api.client.services().resource(service("web", "10.96.0.50").build()).create();
        api.client.services().resource(service("api", "10.96.0.60").build()).create();
        EndpointSlice web = api.client.discovery().v1().endpointSlices().resource(slice("web-abc", "web", 8080,
                List.of(endpoint("10.244.1.2", "node-a", true)))).create();
        api.client.discovery().v1().endpointSlices().resource(slice("api-abc", "api", 8080,
                List.of(endpoint("10.244.1.3", "node-a", true)))).create();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .contains("--to-destination 10.244.1.3:8080"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.allChains())
                .anyMatch(c -> c.contains(ChainNames.endpoint("default/web:http", "TCP", "10.244.1.2:8080"))));

        web.setEndpoints(List.of(endpoint("10.244.1.9", "node-a", true)));
        api.client.discovery().v1().endpointSlices().resource(web).update();

        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .contains("--to-destination 10.244.1.9:8080"));
        assertThat(iptables.lastRestore()).as("api's chains and the unchanged KUBE-SERVICES are left alone")
                .doesNotContain("10.244.1.3", ":" + ChainNames.service("default/api:http", "TCP"), ":KUBE-SERVICES");
        assertThat(iptables.allChains()).anyMatch(c -> c.contains(ChainNames.endpoint("default/api:http", "TCP", "10.244.1.3:8080")))
                .noneMatch(c -> c.contains(ChainNames.endpoint("default/web:http", "TCP", "10.244.1.2:8080")));
    }

    @Test
    void removedUdpEndpointsAreFlushedFromConntrack() {
        api.client.services().resource(new io.fabric8.kubernetes.api.model.ServiceBuilder(service("dns", "10.96.0.10").build())
                .editSpec().editFirstPort().withProtocol("UDP").withPort(53).endPort().endSpec().build()).create();
        EndpointSlice slice = slice("dns-abc", "dns", 10053, List.of(endpoint("10.244.1.2", "node-a", true),
                endpoint("10.244.1.3", "node-a", true)));
        slice.getPorts().getFirst().setProtocol("UDP");
        slice = api.client.discovery().v1().endpointSlices().resource(slice).create();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .contains("--to-destination 10.244.1.3:10053"));

        slice.setEndpoints(List.of(endpoint("10.244.1.3", "node-a", true)));
        api.client.discovery().v1().endpointSlices().resource(slice).update();

        await().atMost(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(flushes).contains(new Conntrack.UdpFlush("10.96.0.10", 0, "10.244.1.2")));
        assertThat(flushes).doesNotContain(new Conntrack.UdpFlush("10.96.0.10", 0, "10.244.1.3"));
    }

    @Test
    void burstsOfChangesAreDebounced() {
        long before = proxy.syncCount();
        api.client.services().resource(service("web", "10.96.0.50").build()).create();
        for (int i = 0; i < 20; i++) {
            api.client.discovery().v1().endpointSlices().resource(slice("web-" + i, "web", 8080,
                    List.of(endpoint("10.244.3." + (i + 1), "node-a", true)))).create();
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(iptables.lastRestore())
                .contains("--to-destination 10.244.3.20:8080"));
        // 21 events; with a 100 ms debounce far fewer syncs.
        assertThat(proxy.syncCount() - before).isLessThan(21);
    }

    @Test
    void closeRemovesEveryChainAndJump() {
        api.client.services().resource(service("web", "10.96.0.50").build()).create();
        api.client.discovery().v1().endpointSlices().resource(slice("web-abc", "web", 8080,
                List.of(endpoint("10.244.1.2", "node-a", true)))).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> iptables.lastRestore().contains("DNAT"));

        proxy.close();
        proxy = null;

        assertThat(iptables.allChains()).noneMatch(c -> c.contains("KUBE-"));
        assertThat(iptables.jumps).isEmpty();
    }
}
