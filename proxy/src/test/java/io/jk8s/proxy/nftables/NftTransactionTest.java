package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ServicePortInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jk8s.proxy.nftables.Ports.ep;
import static io.jk8s.proxy.nftables.Ports.port;
import static io.jk8s.proxy.nftables.Ports.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

/** Transactions hold only the difference, in an order the kernel accepts (declare → unlink → rewrite → link → delete). */
class NftTransactionTest {

    private static final String T = "ip jk8s-proxy ";
    private final NftRuleBuilder builder = new NftRuleBuilder("node-a", List.of(), "10.244.0.0/16");

    @Test
    void endpointReplacedRewritesTheServiceChainAndSwapsOneHairpinElementWithoutAddingOrDeletingChains() {
        ServicePortInfo before = port("web", "10.96.0.50", ep("10.244.1.2", "node-a"), ep("10.244.1.3", "node-a"));
        ServicePortInfo after = port("web", "10.96.0.50", ep("10.244.1.2", "node-a"), ep("10.244.1.4", "node-a"));
        String service = NftNames.service(after);

        List<String> lines = lines(NftTransaction.diff(Map.of("web", builder.forPort(before)), Map.of("web", builder.forPort(after))));

        assertThat(lines).containsExactly(
                "delete element " + T + "hairpin-endpoints { 10.244.1.3 . 10.244.1.3 }",
                "flush chain " + T + service,
                "add rule " + T + service + " ip daddr 10.96.0.50 tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
                "add rule " + T + service + " meta l4proto tcp dnat to numgen random mod 2 map { 0 : 10.244.1.2 . 8080, 1 : 10.244.1.4 . 8080 }",
                "add element " + T + "hairpin-endpoints { 10.244.1.4 . 10.244.1.4 }");
    }

    @Test
    void aHairpinElementSharedByTwoPortsStaysUntilTheLastOneLetsGoAndIsNotAddedTwice() {
        PortRules a = builder.forPort(port("a", "10.96.0.1", ep("10.244.1.2", "node-a")));
        PortRules b = builder.forPort(port("b", "10.96.0.2", ep("10.244.1.2", "node-a")));
        PortRules bMoved = builder.forPort(port("b", "10.96.0.2", ep("10.244.1.9", "node-a")));

        assertThat(NftTransaction.diff(Map.of("a", a), Map.of("a", a, "b", b))).as("b added while a holds the element")
                .doesNotContain("hairpin-endpoints");
        assertThat(NftTransaction.diff(Map.of("a", a, "b", b), Map.of("a", a, "b", bMoved))).as("b moves away, a still holds it")
                .doesNotContain("delete element " + T + "hairpin-endpoints")
                .contains("add element " + T + "hairpin-endpoints { 10.244.1.9 . 10.244.1.9 }");
        assertThat(NftTransaction.diff(Map.of("a", a, "b", b), Map.of("b", bMoved))).as("both let go in one transaction")
                .contains("delete element " + T + "hairpin-endpoints { 10.244.1.2 . 10.244.1.2 }");
        PortRules aMoved = builder.forPort(port("a", "10.96.0.1", ep("10.244.1.9", "node-a")));
        assertThat(NftTransaction.diff(Map.of("a", a, "b", bMoved), Map.of("a", aMoved, "b", b)))
                .as("two changed ports trading endpoints").doesNotContain("hairpin-endpoints");
    }

    @Test
    void serviceRemovedUnlinksItsElementsBeforeDeletingItsChainsAndSets() {
        ServicePortInfo sticky = withAffinity(port("sticky", "10.96.0.51", ep("10.244.1.2", "node-a")), 60);
        String service = NftNames.service(sticky);
        String endpoint = NftNames.endpoint(sticky, sticky.endpoints().getFirst());
        String set = NftNames.affinity(sticky, sticky.endpoints().getFirst());

        List<String> lines = lines(NftTransaction.diff(Map.of("s", builder.forPort(sticky)), Map.of()));

        assertThat(lines).containsExactly(
                "delete element " + T + "service-ips { 10.96.0.51 . tcp . 80 }",
                "delete element " + T + "hairpin-endpoints { 10.244.1.2 . 10.244.1.2 }",
                "flush chain " + T + endpoint,
                "flush chain " + T + service,
                "delete chain " + T + endpoint,
                "delete chain " + T + service,
                "delete set " + T + set);
    }

    @Test
    void serviceAddedDeclaresChainsAndSetsBeforeFillingThemAndLinksItLast() {
        ServicePortInfo sticky = withAffinity(port("sticky", "10.96.0.51", ep("10.244.1.2", "node-a")), 60);
        List<String> lines = lines(NftTransaction.diff(Map.of(), Map.of("s", builder.forPort(sticky))));

        String set = NftNames.affinity(sticky, sticky.endpoints().getFirst());
        assertThat(lines.subList(0, 3)).containsExactly(
                "add chain " + T + NftNames.endpoint(sticky, sticky.endpoints().getFirst()),
                "add chain " + T + NftNames.service(sticky),
                "add set " + T + set + " { type ipv4_addr; flags dynamic,timeout; timeout 60s; }");
        assertThat(lines.subList(lines.size() - 2, lines.size())).containsExactly(
                "add element " + T + "service-ips { 10.96.0.51 . tcp . 80 comment \"default/sticky:http\" : goto " + NftNames.service(sticky) + " }",
                "add element " + T + "hairpin-endpoints { 10.244.1.2 . 10.244.1.2 }");
        assertThat(lines).noneMatch(l -> l.startsWith("flush") || l.startsWith("delete"));
    }

    @Test
    void lastEndpointGoingAwayMovesTheClusterIpFromTheServiceMapToTheRejectMap() {
        ServicePortInfo with = port("web", "10.96.0.50", ep("10.244.1.2", "node-a"));
        ServicePortInfo without = port("web", "10.96.0.50");

        List<String> lines = lines(NftTransaction.diff(Map.of("web", builder.forPort(with)), Map.of("web", builder.forPort(without))));

        assertThat(lines).first().isEqualTo("delete element " + T + "service-ips { 10.96.0.50 . tcp . 80 }");
        int add = lines.indexOf("add element " + T + "no-endpoint-services { 10.96.0.50 . tcp . 80 comment \"default/web:http\" : goto reject-chain }");
        assertThat(add).isPositive().isLessThan(lines.indexOf("delete chain " + T + NftNames.service(with)));
    }

    @Test
    void anElementWhoseVerdictChangesIsDeletedAndAddedAgain() {
        // internalTrafficPolicy Local with this node's endpoint gone: the cluster IP turns from goto local-… into drop.
        ServicePortInfo local = Ports.withInternalLocal(port("il", "10.96.0.56", ep("10.244.1.2", "node-a"), ep("10.244.2.2", "node-b")));
        ServicePortInfo remote = Ports.withInternalLocal(port("il", "10.96.0.56", ep("10.244.2.2", "node-b")));

        List<String> lines = lines(NftTransaction.diff(Map.of("il", builder.forPort(local)), Map.of("il", builder.forPort(remote))));

        assertThat(lines).contains("delete element " + T + "service-ips { 10.96.0.56 . tcp . 80 }",
                "add element " + T + "no-endpoint-services { 10.96.0.56 . tcp . 80 comment \"default/il:http\" : drop }");
    }

    @Test
    void longServiceNamesGetCommentsNftAccepts() {
        String name = "s".repeat(63);
        ServicePortInfo sp = new ServicePortInfo("n".repeat(63), name, "p".repeat(15), "TCP", "10.96.0.9", 80, 0, 0, false, false,
                List.of(), List.of());
        String script = NftTransaction.diff(Map.of(), Map.of("x", builder.forPort(sp)));
        String comment = script.substring(script.indexOf("comment \"") + 9, script.indexOf("\" :"));
        assertThat(comment).hasSizeLessThanOrEqualTo(128);
    }

    private static List<String> lines(String script) {
        return script.lines().toList();
    }
}
