package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ServicePortInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jk8s.proxy.nftables.Ports.ep;
import static io.jk8s.proxy.nftables.Ports.port;
import static io.jk8s.proxy.nftables.Ports.withAffinity;
import static io.jk8s.proxy.nftables.Ports.withExternalIps;
import static io.jk8s.proxy.nftables.Ports.withInternalLocal;
import static io.jk8s.proxy.nftables.Ports.withNodePort;
import static io.jk8s.proxy.nftables.Ports.withServingTerminating;
import static org.assertj.core.api.Assertions.assertThat;

/** The nft text generated per service port and for the base table (applied for real in NftablesProxyNetnsTest). */
class NftRuleBuilderTest {

    private final NftRuleBuilder builder = new NftRuleBuilder("node-a", List.of(), "10.244.0.0/16");

    @Test
    void clusterIpIsOneMapElementToAServiceChainThatPicksAndDnatsToAnEndpointInOneRule() {
        ServicePortInfo web = port("web", "10.96.0.50", ep("10.244.1.2", "node-a"), ep("10.244.2.2", "node-b"));
        PortRules rules = builder.forPort(web);

        String service = NftNames.service(web);
        assertThat(service).matches("service-[A-Z2-7]{8}-default/web/tcp/http");
        assertThat(rules.elements()).containsExactly(
                new PortRules.Element("service-ips", "10.96.0.50 . tcp . 80", "goto " + service, "default/web:http"));
        assertThat(rules.chains().get(service)).containsExactly(
                "ip daddr 10.96.0.50 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
                "meta l4proto tcp dnat to numgen random mod 2 map { 0 : 10.244.1.2 . 8080, 1 : 10.244.2.2 . 8080 }");
        assertThat(rules.chains()).as("no chain per endpoint").containsOnlyKeys(service);
        assertThat(rules.affinitySets()).isEmpty();
        assertThat(rules.hairpinIps()).as("hairpin masquerade through the shared set").containsExactly("10.244.1.2", "10.244.2.2");

        ServicePortInfo single = port("one", "10.96.0.57", ep("10.244.1.2", "node-a"));
        assertThat(builder.forPort(single).chains().get(NftNames.service(single))).last()
                .isEqualTo("meta l4proto tcp dnat to numgen random mod 1 map { 0 : 10.244.1.2 . 8080 }");
    }

    @Test
    void serviceWithoutEndpointsIsRejectedThroughTheNoEndpointMapsAndHasNoChains() {
        ServicePortInfo empty = withExternalIps(withNodePort(port("empty", "10.96.0.52"), 30082, false), "203.0.113.7");
        PortRules rules = builder.forPort(empty);

        assertThat(rules.chains()).isEmpty();
        assertThat(rules.hairpinIps()).isEmpty();
        assertThat(rules.elements()).extracting(e -> e.map() + " " + e.key() + " : " + e.verdict()).containsExactly(
                "no-endpoint-services 10.96.0.52 . tcp . 80 : goto reject-chain",
                "no-endpoint-external 203.0.113.7 . tcp . 80 : goto reject-chain",
                "no-endpoint-nodeports tcp . 30082 : goto reject-chain");
    }

    @Test
    void nodePortWithClusterPolicyMasqueradesAndUsesEveryEndpoint() {
        ServicePortInfo np = withExternalIps(withNodePort(port("np", "10.96.0.53", ep("10.244.1.2", "node-b")), 30080, false), "203.0.113.7");
        PortRules rules = builder.forPort(np);

        String external = NftNames.external(np);
        assertThat(rules.elements()).extracting(e -> e.map() + " " + e.key() + " : " + e.verdict()).containsExactly(
                "service-ips 10.96.0.53 . tcp . 80 : goto " + NftNames.service(np),
                "service-nodeports tcp . 30080 : goto " + external,
                "service-ips 203.0.113.7 . tcp . 80 : goto " + external);
        assertThat(rules.chains().get(external)).containsExactly("jump mark-for-masquerade", "goto " + NftNames.service(np));
    }

    @Test
    void localExternalPolicyGoesToLocalEndpointsOnlyAndDropsWhenThisNodeHasNone() {
        ServicePortInfo local = withNodePort(port("local", "10.96.0.54", ep("10.244.1.2", "node-a"), ep("10.244.2.2", "node-b")), 30081, true);
        PortRules rules = builder.forPort(local);
        String localChain = NftNames.local(local);
        assertThat(rules.chains().get(localChain)).containsExactly("meta l4proto tcp dnat to numgen random mod 1 map { 0 : 10.244.1.2 . 8080 }");
        assertThat(rules.chains().get(NftNames.external(local))).containsExactly(
                "ip saddr 10.244.0.0/16 goto " + NftNames.service(local),
                "fib saddr type local jump mark-for-masquerade",
                "fib saddr type local goto " + NftNames.service(local),
                "goto " + localChain);

        ServicePortInfo remoteOnly = withNodePort(port("remote", "10.96.0.55", ep("10.244.2.2", "node-b")), 30083, true);
        PortRules remote = builder.forPort(remoteOnly);
        assertThat(remote.chains()).doesNotContainKey(NftNames.local(remoteOnly));
        assertThat(remote.chains().get(NftNames.external(remoteOnly))).doesNotContain("goto " + NftNames.local(remoteOnly));
        assertThat(remote.elements()).extracting(e -> e.map() + " " + e.key() + " : " + e.verdict())
                .contains("no-endpoint-nodeports tcp . 30083 : drop");
    }

    @Test
    void localPolicyFallsBackToThisNodesServingTerminatingEndpointWhileOtherNodesHaveReadyOnes() {
        ServicePortInfo draining = withServingTerminating(withNodePort(withInternalLocal(
                port("drain", "10.96.0.58", ep("10.244.2.2", "node-b"))), 30084, true), ep("10.244.1.9", "node-a"));
        PortRules rules = builder.forPort(draining);
        String localChain = NftNames.local(draining);
        assertThat(rules.chains().get(localChain)).containsExactly("meta l4proto tcp dnat to numgen random mod 1 map { 0 : 10.244.1.9 . 8080 }");
        assertThat(rules.chains().get(NftNames.service(draining))).as("cluster-wide traffic stays on the ready endpoint")
                .last().isEqualTo("meta l4proto tcp dnat to numgen random mod 1 map { 0 : 10.244.2.2 . 8080 }");
        assertThat(rules.chains().get(NftNames.external(draining))).last().isEqualTo("goto " + localChain);
        assertThat(rules.elements()).extracting(PortRules.Element::verdict).contains("goto " + localChain)
                .doesNotContain("drop");
        assertThat(rules.hairpinIps()).containsExactlyInAnyOrder("10.244.2.2", "10.244.1.9");

        PortRules onNodeB = new NftRuleBuilder("node-b", List.of(), "10.244.0.0/16").forPort(draining);
        assertThat(onNodeB.chains().get(localChain)).as("a node with a ready endpoint ignores terminating ones")
                .containsExactly("meta l4proto tcp dnat to numgen random mod 1 map { 0 : 10.244.2.2 . 8080 }");
    }

    @Test
    void internalLocalPolicyWithoutLocalEndpointsDropsClusterIpTraffic() {
        ServicePortInfo sp = withInternalLocal(port("il", "10.96.0.56", ep("10.244.2.2", "node-b")));
        assertThat(builder.forPort(sp).elements()).extracting(e -> e.map() + " " + e.key() + " : " + e.verdict())
                .containsExactly("no-endpoint-services 10.96.0.56 . tcp . 80 : drop");

        ServicePortInfo withLocal = withInternalLocal(port("il", "10.96.0.56", ep("10.244.1.2", "node-a"), ep("10.244.2.2", "node-b")));
        assertThat(builder.forPort(withLocal).elements()).extracting(PortRules.Element::verdict)
                .containsExactly("goto " + NftNames.local(withLocal));
    }

    @Test
    void clientIpAffinityRemembersClientsPerEndpointInDynamicSetsWithTheTimeout() {
        ServicePortInfo sticky = withAffinity(port("sticky", "10.96.0.51", ep("10.244.1.2", "node-a"), ep("10.244.2.2", "node-a")), 600);
        PortRules rules = builder.forPort(sticky);

        String a = NftNames.endpoint(sticky, sticky.endpoints().get(0));
        String b = NftNames.endpoint(sticky, sticky.endpoints().get(1));
        assertThat(a).endsWith("-default/sticky/tcp/http__10.244.1.2/8080");
        String setA = NftNames.affinity(sticky, sticky.endpoints().get(0));
        assertThat(rules.affinitySets()).hasSize(2).containsEntry(setA, 600);
        assertThat(rules.chains().get(a)).containsExactly(
                "update @" + setA + " { ip saddr }",
                "meta l4proto tcp dnat to 10.244.1.2:8080");
        assertThat(rules.chains().get(NftNames.service(sticky))).element(1).isEqualTo("ip saddr @" + setA + " goto " + a);
        assertThat(rules.chains().get(NftNames.service(sticky))).last()
                .isEqualTo("numgen random mod 2 vmap { 0 : goto " + a + ", 1 : goto " + b + " }");
        assertThat(rules.hairpinIps()).containsExactly("10.244.1.2", "10.244.2.2");
        assertThat(NftNames.affinity(withAffinity(sticky, 60), sticky.endpoints().get(0)))
                .as("another timeout is another set").isNotEqualTo(setA);
    }

    @Test
    void portsWithoutNameAndUdpAreNamedByNumberAndMatchTheirProtocol() {
        ServicePortInfo dns = new ServicePortInfo("kube-system", "kube-dns", "", "UDP", "10.96.0.10", 53, 0, 0, false, false,
                List.of(), List.of(ep("10.244.1.5", "node-a")));
        PortRules rules = builder.forPort(dns);
        assertThat(NftNames.service(dns)).endsWith("-kube-system/kube-dns/udp/p53");
        assertThat(rules.elements().getFirst().key()).isEqualTo("10.96.0.10 . udp . 53");
        assertThat(rules.chains().get(NftNames.service(dns))).contains("meta l4proto udp dnat to numgen random mod 1 map { 0 : 10.244.1.5 . 8080 }");
    }

    @Test
    void baseTableHooksDnatAtDstnatAndMasqueradeAtSrcnatAndServesNodePortsOnTheGivenAddresses() {
        String all = builder.baseTable();
        assertThat(all).contains("chain nat-prerouting { type nat hook prerouting priority dstnat;",
                "chain nat-output { type nat hook output priority -100;",
                "chain nat-postrouting { type nat hook postrouting priority srcnat;",
                "masquerade fully-random",
                "set hairpin-endpoints { type ipv4_addr . ipv4_addr;",
                "policy accept; ct status dnat ip saddr . ip daddr @hairpin-endpoints jump mark-for-masquerade; jump masquerading; }",
                "fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports");
        for (String chain : NftRuleBuilder.BASE_CHAINS) {
            assertThat(all).contains("chain " + chain + " {");
        }
        String pinned = new NftRuleBuilder("node-a", List.of("192.168.77.10"), "10.244.0.0/16").baseTable();
        assertThat(pinned).contains("set nodeport-ips { type ipv4_addr; elements = { 192.168.77.10 }; }",
                "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports");
    }

    @Test
    void unchangedServicesProduceEqualRules() {
        ServicePortInfo web = port("web", "10.96.0.50", ep("10.244.1.2", "node-a"));
        assertThat(builder.forPort(web)).isEqualTo(builder.forPort(port("web", "10.96.0.50", ep("10.244.1.2", "node-a"))));
        assertThat(NftTransaction.diff(Map.of("w", builder.forPort(web)), Map.of("w", builder.forPort(web)))).isEmpty();
    }
}
