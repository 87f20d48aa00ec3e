package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.nodePortService;
import static io.jk8s.proxy.Fixtures.service;
import static io.jk8s.proxy.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

class RuleBuilderTest {

    private static final String SPN = "default/web:http";
    private static final String SVC = ChainNames.service(SPN, "TCP");
    private static final String EXT = ChainNames.external(SPN, "TCP");
    private static final String SVL = ChainNames.serviceLocal(SPN, "TCP");

    private final RuleBuilder builder = new RuleBuilder("node-a", List.of(), "10.244.0.0/16");

    private String build(List<Service> services, List<EndpointSlice> slices) {
        return builder.build(services, slices, Set.of());
    }

    private static List<String> lines(String rules) {
        return Arrays.asList(rules.split("\n"));
    }

    private static String sep(String hostPort) {
        return ChainNames.endpoint(SPN, "TCP", hostPort);
    }

    @Test
    void emptyClusterStillHasBaseChainsAndMasqueradeRules() {
        String rules = build(List.of(), List.of());

        assertThat(lines(rules)).contains("*filter", "*nat", ":KUBE-SERVICES - [0:0]", ":KUBE-EXTERNAL-SERVICES - [0:0]",
                ":KUBE-NODEPORTS - [0:0]", ":KUBE-FORWARD - [0:0]", ":KUBE-POSTROUTING - [0:0]", ":KUBE-MARK-MASQ - [0:0]",
                "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
                "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
                "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE");
        assertThat(rules.split("COMMIT\n", -1)).hasSize(3);
        assertThat(rules).doesNotContain("KUBE-SVC-", "KUBE-SEP-");
    }

    @Test
    void clusterIpBalancesOverReadyEndpointsWithEqualShares() {
        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true), endpoint("10.244.3.2", "node-b", true)))));

        assertThat(lines(rules)).contains(
                "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j " + SVC,
                "-A " + SVC + " -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ",
                "-A " + SVC + " -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m statistic --mode random --probability 0.3333333333 -j " + sep("10.244.1.2:8080"),
                "-A " + SVC + " -m comment --comment \"default/web:http -> 10.244.2.2:8080\" -m statistic --mode random --probability 0.5000000000 -j " + sep("10.244.2.2:8080"),
                "-A " + SVC + " -m comment --comment \"default/web:http -> 10.244.3.2:8080\" -j " + sep("10.244.3.2:8080"),
                "-A " + sep("10.244.1.2:8080") + " -m comment --comment \"default/web:http\" -s 10.244.1.2/32 -j KUBE-MARK-MASQ",
                "-A " + sep("10.244.1.2:8080") + " -m comment --comment \"default/web:http\" -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080");
        assertThat(rules).doesNotContain("REJECT");
    }

    @Test
    void serviceRulesComeBeforeTheNodePortJumpWhichIsLast() {
        String rules = build(List.of(service("web", "10.96.0.50").build()),
                List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))));

        List<String> services = lines(rules).stream().filter(l -> l.startsWith("-A KUBE-SERVICES")).toList();
        assertThat(services.getLast()).contains("-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        assertThat(services.getFirst()).contains("-j " + SVC);
    }

    @Test
    void nodeIpsRestrictNodePortsToThoseAddresses() {
        RuleBuilder withIps = new RuleBuilder("node-a", List.of("192.168.1.10", "192.168.2.10"), "10.244.0.0/16");

        String rules = withIps.build(List.of(), List.of(), Set.of());

        assertThat(rules).contains("-d 192.168.1.10/32 -j KUBE-NODEPORTS", "-d 192.168.2.10/32 -j KUBE-NODEPORTS")
                .doesNotContain("--dst-type LOCAL -j KUBE-NODEPORTS");
    }

    @Test
    void notReadyEndpointsAreLeftOutAndUnsetReadyCountsAsReady() {
        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", false), endpoint("10.244.2.2", "node-a", null)))));

        assertThat(rules).doesNotContain("10.244.1.2").contains("--to-destination 10.244.2.2:8080");
    }

    @Test
    void serviceWithoutEndpointsIsRejectedInTheFilterTable() {
        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", false)))));

        String filter = rules.substring(0, rules.indexOf("*nat"));
        assertThat(lines(filter)).contains(
                "-A KUBE-SERVICES -m comment --comment \"default/web:http has no endpoints\" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j REJECT");
        assertThat(rules).doesNotContain("KUBE-SVC-");
    }

    @Test
    void nodePortWithoutEndpointsIsRejectedForExternalTraffic() {
        String rules = build(List.of(nodePortService("web", "10.96.0.50", 30080, "Cluster")), List.of());

        assertThat(lines(rules)).contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/web:http has no endpoints\" "
                + "-m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT");
    }

    @Test
    void headlessExternalNameAndUnallocatedServicesAreSkipped() {
        Service headless = service("headless", "None").build();
        Service unallocated = service("pending", null).build();
        Service external = new ServiceBuilder(service("ext", null).build()).editSpec().withType("ExternalName")
                .withExternalName("example.org").endSpec().build();

        String rules = build(List.of(headless, unallocated, external), List.of(
                slice("h-1", "headless", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))));

        assertThat(rules).doesNotContain("KUBE-SVC-", "KUBE-SEP-", "REJECT", "headless", "pending", "ext:");
    }

    @Test
    void targetPortNumberComesFromTheSlicePortWithTheSameName() {
        Service named = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().editFirstPort()
                .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("web-port")).endPort().endSpec().build();
        EndpointSlice slice = slice("web-1", "web", 9376, List.of(endpoint("10.244.1.2", "node-a", true)));
        slice.getPorts().add(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder()
                .withName("metrics").withProtocol("TCP").withPort(9100).build());

        String rules = build(List.of(named), List.of(slice));

        assertThat(rules).contains("--to-destination 10.244.1.2:9376").doesNotContain("9100");
    }

    @Test
    void slicePortWithAnotherNameOrProtocolDoesNotServeThePort() {
        EndpointSlice udp = slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)));
        udp.getPorts().getFirst().setProtocol("UDP");

        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(udp));

        assertThat(rules).contains("has no endpoints").doesNotContain("DNAT");
    }

    @Test
    void endpointsOfSeveralSlicesAreMergedAndDeduplicated() {
        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(
                slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true))),
                slice("web-2", "web", 8080, List.of(endpoint("10.244.2.2", "node-b", true), endpoint("10.244.1.2", "node-a", true)))));

        assertThat(lines(rules).stream().filter(l -> l.contains("-j DNAT"))).hasSize(2);
        assertThat(rules).contains("--probability 0.5000000000");
    }

    @Test
    void slicesOfOtherServicesOrNamespacesAreIgnored() {
        EndpointSlice otherNamespace = slice("web-1", "web", 8080, List.of(endpoint("10.244.9.9", "node-a", true)));
        otherNamespace.getMetadata().setNamespace("other");

        String rules = build(List.of(service("web", "10.96.0.50").build()), List.of(otherNamespace,
                slice("api-1", "api", 8080, List.of(endpoint("10.244.8.8", "node-a", true)))));

        assertThat(rules).doesNotContain("10.244.9.9", "10.244.8.8").contains("has no endpoints");
    }

    @Test
    void clientIpAffinityChecksRecentBeforeTheRandomSplitAndSetsItInTheEndpoint() {
        Service sticky = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(600).endClientIP().endSessionAffinityConfig()
                .endSpec().build();

        String rules = build(List.of(sticky), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true)))));

        String sep1 = sep("10.244.1.2:8080");
        List<String> svc = lines(rules).stream().filter(l -> l.startsWith("-A " + SVC)).toList();
        assertThat(svc.get(1)).isEqualTo("-A " + SVC + " -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -m recent --name "
                + sep1 + " --rcheck --seconds 600 --reap -j " + sep1);
        assertThat(svc.get(3)).contains("--probability 0.5");
        assertThat(lines(rules)).contains("-A " + sep1 + " -m comment --comment \"default/web:http\" -m tcp -p tcp -m recent --name "
                + sep1 + " --set -j DNAT --to-destination 10.244.1.2:8080");
    }

    @Test
    void clientIpAffinityDefaultsToThreeHours() {
        Service sticky = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withSessionAffinity("ClientIP").endSpec().build();

        String rules = build(List.of(sticky), List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))));

        assertThat(rules).contains("--rcheck --seconds 10800 --reap");
    }

    @Test
    void nodePortWithClusterPolicyMasqueradesAndUsesEveryEndpoint() {
        String rules = build(List.of(nodePortService("web", "10.96.0.50", 30080, "Cluster")), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true)))));

        assertThat(lines(rules)).containsSubsequence(
                "-A KUBE-NODEPORTS -m comment --comment \"default/web:http\" -m tcp -p tcp --dport 30080 -j " + EXT,
                "-A " + EXT + " -m comment --comment \"masquerade traffic for default/web:http external destinations\" -j KUBE-MARK-MASQ",
                "-A " + EXT + " -j " + SVC);
        assertThat(rules).doesNotContain("KUBE-SVL-");
    }

    @Test
    void nodePortWithLocalPolicySendsExternalTrafficOnlyToThisNodesEndpoints() {
        String rules = build(List.of(nodePortService("web", "10.96.0.50", 30080, "Local")), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true)))));

        List<String> svl = lines(rules).stream().filter(l -> l.startsWith("-A " + SVL)).toList();
        assertThat(svl).containsExactly("-A " + SVL + " -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -j " + sep("10.244.1.2:8080"));
        List<String> ext = lines(rules).stream().filter(l -> l.startsWith("-A " + EXT)).toList();
        assertThat(ext.getLast()).isEqualTo("-A " + EXT + " -j " + SVL);
        assertThat(ext).noneMatch(l -> l.endsWith(EXT + " -m comment --comment \"masquerade traffic for default/web:http external destinations\" -j KUBE-MARK-MASQ"));
        assertThat(ext.getFirst()).contains("-s 10.244.0.0/16 -j " + SVC);
    }

    @Test
    void nodePortWithLocalPolicyFallsBackToThisNodesServingTerminatingEndpoint() {
        var draining = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder().withAddresses("10.244.1.9").withNodeName("node-a")
                .withNewConditions().withReady(false).withServing(true).withTerminating(true).endConditions().build();
        String rules = build(List.of(nodePortService("web", "10.96.0.50", 30080, "Local")), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.2.2", "node-b", true), draining))));

        List<String> svl = lines(rules).stream().filter(l -> l.startsWith("-A " + SVL)).toList();
        assertThat(svl).containsExactly("-A " + SVL + " -m comment --comment \"default/web:http -> 10.244.1.9:8080\" -j " + sep("10.244.1.9:8080"));
        assertThat(lines(rules)).contains("-A " + sep("10.244.1.9:8080") + " -m comment --comment \"default/web:http\" -m tcp -p tcp -j DNAT --to-destination 10.244.1.9:8080");
        assertThat(lines(rules).stream().filter(l -> l.startsWith("-A " + SVC + " ") && l.contains("-j KUBE-SEP-")))
                .as("cluster-wide traffic stays on the ready endpoint").singleElement().asString().endsWith(sep("10.244.2.2:8080"));
        assertThat(rules).doesNotContain("has no local endpoints");
    }

    @Test
    void nodePortWithLocalPolicyAndNoLocalEndpointDropsExternalTraffic() {
        String rules = build(List.of(nodePortService("web", "10.96.0.50", 30080, "Local")), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.2.2", "node-b", true)))));

        assertThat(lines(rules)).contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/web:http has no local endpoints\" "
                + "-m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP");
        assertThat(rules).doesNotContain("KUBE-SVL-").contains("-j " + SVC);
    }

    @Test
    void internalLocalPolicySendsClusterIpTrafficOnlyToThisNodesEndpoints() {
        Service local = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withInternalTrafficPolicy("Local").endSpec().build();

        String rules = build(List.of(local), List.of(slice("web-1", "web", 8080, List.of(
                endpoint("10.244.1.2", "node-a", true), endpoint("10.244.2.2", "node-b", true)))));

        assertThat(lines(rules)).contains(
                "-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j " + SVL,
                "-A " + SVL + " -m comment --comment \"default/web:http -> 10.244.1.2:8080\" -j " + sep("10.244.1.2:8080"));
        assertThat(lines(rules)).doesNotContain("-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\" -m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j " + SVC);
    }

    @Test
    void internalLocalPolicyWithoutLocalEndpointDropsClusterIpTraffic() {
        Service local = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withInternalTrafficPolicy("Local").endSpec().build();

        String rules = build(List.of(local), List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.2.2", "node-b", true)))));

        assertThat(lines(rules)).contains("-A KUBE-SERVICES -m comment --comment \"default/web:http has no local endpoints\" "
                + "-m tcp -p tcp -d 10.96.0.50/32 --dport 80 -j DROP");
        assertThat(rules).doesNotContain("-j " + SVL, "-j KUBE-SVC-");
    }

    @Test
    void externalAndLoadBalancerIpsEnterTheExternalChainBeforeTheNodePortJump() {
        Service lb = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withExternalIPs("203.0.113.7").endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("198.51.100.9").endIngress().endLoadBalancer().endStatus().build();

        String rules = build(List.of(lb), List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))));

        List<String> services = lines(rules).stream().filter(l -> l.startsWith("-A KUBE-SERVICES")).toList();
        assertThat(services).containsSubsequence(
                "-A KUBE-SERVICES -m comment --comment \"default/web:http external IP\" -m tcp -p tcp -d 198.51.100.9/32 --dport 80 -j " + EXT,
                "-A KUBE-SERVICES -m comment --comment \"default/web:http external IP\" -m tcp -p tcp -d 203.0.113.7/32 --dport 80 -j " + EXT,
                "-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS");
        assertThat(lines(rules)).contains("-A " + EXT + " -j " + SVC).noneMatch(l -> l.startsWith("-A KUBE-NODEPORTS"));
    }

    @Test
    void externalIpWithoutEndpointsIsRejected() {
        Service ext = new ServiceBuilder(service("web", "10.96.0.50").build()).editSpec().withExternalIPs("203.0.113.7").endSpec().build();

        String rules = build(List.of(ext), List.of());

        assertThat(lines(rules)).contains("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"default/web:http has no endpoints\" "
                + "-m tcp -p tcp -d 203.0.113.7/32 --dport 80 -j REJECT");
    }

    @Test
    void udpPortsUseTheUdpMatch() {
        Service dns = new ServiceBuilder(service("dns", "10.96.0.10").build()).editSpec().editFirstPort()
                .withName("dns").withProtocol("UDP").withPort(53).endPort().endSpec().build();
        EndpointSlice slice = slice("dns-1", "dns", 53, List.of(endpoint("10.244.1.5", "node-a", true)));
        slice.getPorts().getFirst().setName("dns");
        slice.getPorts().getFirst().setProtocol("UDP");

        String rules = build(List.of(dns), List.of(slice));

        assertThat(rules).contains("-m udp -p udp -d 10.96.0.10/32 --dport 53 -j KUBE-SVC-", "-m udp -p udp -j DNAT --to-destination 10.244.1.5:53");
    }

    @Test
    void staleServiceChainsAreFlushedThenDeletedButOthersAreLeftAlone() {
        String stale = ChainNames.service("default/gone:http", "TCP");
        String staleSep = ChainNames.endpoint("default/gone:http", "TCP", "10.244.7.7:80");

        String rules = builder.build(List.of(service("web", "10.96.0.50").build()),
                List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))),
                Set.of(stale, staleSep, SVC, "DOCKER", "PREROUTING", "KUBE-SERVICES"));

        List<String> nat = lines(rules.substring(rules.indexOf("*nat")));
        assertThat(nat).contains(":" + stale + " - [0:0]", "-X " + stale, "-X " + staleSep);
        assertThat(nat.indexOf(":" + staleSep + " - [0:0]")).isLessThan(nat.indexOf("-X " + stale));
        assertThat(nat).doesNotContain("-X " + SVC, "-X DOCKER", "-X KUBE-SERVICES", ":DOCKER - [0:0]");
    }

    @Test
    void outputIsDeterministicWhateverTheInputOrder() {
        List<Service> services = List.of(service("b", "10.96.0.2").build(), service("a", "10.96.0.1").build());
        List<EndpointSlice> slices = List.of(
                slice("b-1", "b", 8080, List.of(endpoint("10.244.2.2", "n", true), endpoint("10.244.1.2", "n", true))),
                slice("a-1", "a", 8080, List.of(endpoint("10.244.3.2", "n", true))));

        assertThat(build(services, slices)).isEqualTo(build(services.reversed(), slices.reversed()));
    }

    @Test
    void chainNamesAreStableShortAndDistinct() {
        assertThat(SVC).isEqualTo(ChainNames.service(SPN, "TCP")).hasSize(25).matches("KUBE-SVC-[A-Z2-7]{16}");
        assertThat(SVC).isNotEqualTo(ChainNames.service(SPN, "UDP"));
        assertThat(sep("10.244.1.2:8080")).isNotEqualTo(sep("10.244.1.2:8081"));
    }

    @Test
    void withoutClusterCidrNoSourceBasedMasqueradeIsWritten() {
        RuleBuilder noCidr = new RuleBuilder("node-a", List.of(), "");

        String rules = noCidr.build(List.of(nodePortService("web", "10.96.0.50", 30080, "Local")),
                List.of(slice("web-1", "web", 8080, List.of(endpoint("10.244.1.2", "node-a", true)))), Set.of());

        assertThat(rules).doesNotContain("! -s ", "-s  ").contains("-j DNAT --to-destination 10.244.1.2:8080");
    }

    @Test
    void cleanupRemovesOnlyJk8sChains() {
        String rules = RuleBuilder.cleanup(Set.of("KUBE-SERVICES", "KUBE-FORWARD", "INPUT", "OTHER"),
                Set.of("KUBE-SERVICES", "KUBE-MARK-MASQ", SVC, "POSTROUTING", "DOCKER"));

        assertThat(lines(rules)).contains("-X KUBE-SERVICES", "-X KUBE-FORWARD", "-X KUBE-MARK-MASQ", "-X " + SVC)
                .doesNotContain("-X INPUT", "-X OTHER", "-X POSTROUTING", "-X DOCKER");
    }
}
