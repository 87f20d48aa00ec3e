package io.jk8s.network;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opt-in measurement ({@code -Djk8s.network.scale=N}): one agent in a network namespace programs
 * routes to N peer nodes (first full pass, then one node added and one deleted), with direct
 * routes and with VXLAN. Prints the times; asserts only that every route arrived.
 */
class NetworkAgentScaleTest {

    @ParameterizedTest
    @EnumSource(NetworkConfig.Backend.class)
    void programsRoutesToManyPeers(NetworkConfig.Backend backend) throws Exception {
        int peers = Integer.getInteger("jk8s.network.scale", 0);
        assumeTrue(peers > 0 && NetnsHosts.available(), "opt-in: -Djk8s.network.scale=N (root)");
        String ns = "jk8snet-scale";
        Host root = ProcessHost.current();
        TestServer api = TestServer.withBuiltinKinds();
        KubernetesClient client = api.client;
        root.run("ip", "netns", "del", ns);
        root.check("ip", "netns", "add", ns);
        NetworkAgent agent = null;
        try {
            Host h = new ProcessHost(Optional.of(ns));
            h.check("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
            h.check("ip", "addr", "add", "10.200.0.1/16", "dev", "eth0");
            h.check("ip", "link", "set", "eth0", "up");
            h.check("ip", "link", "set", "eth1", "up");
            node(client, 0);
            for (int i = 1; i <= peers; i++) node(client, i);
            agent = new NetworkAgent(client, NetworkConfig.of("n0", "10.200.0.1", "10.244.0.0/16", "10.96.0.0/12")
                    .withBackend(backend), h);
            long t0 = System.nanoTime();
            agent.start().get(300, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(100)).until(() -> routes(h) == peers);
            long full = System.nanoTime() - t0;

            long t1 = System.nanoTime();
            node(client, peers + 1);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> routes(h) == peers + 1);
            long add = System.nanoTime() - t1;
            long t2 = System.nanoTime();
            client.nodes().withName("n1").delete();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> routes(h) == peers);
            long del = System.nanoTime() - t2;
            System.out.printf("network scale %s: %d peers programmed in %d ms (start + first pass); one node added %d ms, one deleted %d ms%n",
                    backend, peers, ms(full), ms(add), ms(del));
            assertThat(routes(h)).isEqualTo(peers);
        } finally {
            if (agent != null) agent.close();
            root.run("ip", "netns", "del", ns);
            api.close();
        }
    }

    private static void node(KubernetesClient client, int i) {
        String cidr = "10.244." + (i % 256) + ".0/24";
        String ip = "10.200." + (i / 250 + 1) + "." + (i % 250 + 1);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n" + i)
                .addToAnnotations(NetworkConfig.VTEP_MAC_ANNOTATION, String.format("02:00:00:00:%02x:%02x", i / 256, i % 256))
                .endMetadata()
                .withNewSpec().withPodCIDR(cidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus().build()).create();
    }

    private static long routes(Host h) {
        return h.check("ip", "-o", "route", "show", "proto", NetworkConfig.ROUTE_PROTO).lines().filter(l -> !l.isBlank()).count();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
