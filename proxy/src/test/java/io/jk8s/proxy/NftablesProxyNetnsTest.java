package io.jk8s.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.jk8s.proxy.Fixtures.endpoint;
import static io.jk8s.proxy.Fixtures.nodePortService;
import static io.jk8s.proxy.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every scenario of {@link ServiceProxyNetnsTest} (real traffic through real namespaces) in the nftables mode, plus
 * the ruleset as {@code nft -j list table} shows it: hooks at the right priorities, map-based dispatch.
 */
@Tag("iptables")
class NftablesProxyNetnsTest extends ServiceProxyNetnsTest {

    private static final String TABLE = "jk8s-proxy";

    @Override
    ProxyMode mode() {
        return ProxyMode.NFTABLES;
    }

    @Override
    List<String> requiredTools() {
        return List.of("ip", "nft", "iptables-save", "busybox", "curl");
    }

    @Override
    String nat() {
        return node.exec("nft", "list", "table", "ip", TABLE).output();
    }

    @Override
    boolean dnatsTo(String endpoint) {
        // Service chains DNAT through a numgen map ("ip . port" elements), affinity endpoint chains to "ip:port".
        String rules = nat();
        return rules.contains(endpoint) || rules.contains(endpoint.replace(":", " . "));
    }

    @Override
    String serviceChainMarker() {
        return "numgen random"; // in every service chain, nowhere else ("chain service-" would match service-endpoints-check)
    }

    @Override
    String localChainMarker() {
        return "chain local-";
    }

    @Override
    boolean rejectProgrammed(String servicePort) {
        String map = node.exec("nft", "list", "map", "ip", TABLE, "no-endpoint-services").output();
        return map.contains("comment \"" + servicePort + "\" : goto reject-chain");
    }

    @Override
    boolean affinityProgrammed(String servicePort, String endpoint) {
        String rules = nat();
        return rules.contains("ip saddr @affinity-") && rules.contains("dnat to " + endpoint);
    }

    @Override
    void assertRulesRemoved() {
        assertThat(node.exec("nft", "list", "tables").output()).as("nft tables after close").doesNotContain(TABLE);
        super.assertRulesRemoved(); // and nothing in iptables either
    }

    @Test
    void rulesetHasHooksAtNatPrioritiesAndDispatchesThroughVerdictMaps() throws Exception {
        api.client.services().resource(nodePortService("json", "10.96.0.60", 30090, "Cluster")).create();
        api.client.discovery().v1().endpointSlices().resource(slice("json-1", "json", 8080,
                List.of(endpoint("10.244.1.2", "node-1", true), endpoint("10.244.2.2", "node-1", true)))).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> nat().contains("10.96.0.60"));

        JsonNode items = new ObjectMapper().readTree(node.exec("nft", "-j", "list", "table", "ip", TABLE).output()).get("nftables");
        List<JsonNode> chains = new ArrayList<>();
        List<JsonNode> maps = new ArrayList<>();
        List<JsonNode> rules = new ArrayList<>();
        items.forEach(item -> {
            if (item.has("chain")) chains.add(item.get("chain"));
            if (item.has("map")) maps.add(item.get("map"));
            if (item.has("rule")) rules.add(item.get("rule"));
        });
        assertThat(hook(chains, "nat-prerouting")).isEqualTo("nat prerouting -100");
        assertThat(hook(chains, "nat-output")).isEqualTo("nat output -100");
        assertThat(hook(chains, "nat-postrouting")).isEqualTo("nat postrouting 100");

        String serviceChain = chains.stream().map(c -> c.get("name").asText())
                .filter(n -> n.startsWith("service-") && n.endsWith("-default/json/tcp/http")).findFirst().orElseThrow();
        assertThat(element(maps, "service-ips", "[\"10.96.0.60\",\"tcp\",80]"))
                .as("cluster IP element of service-ips").contains("\"goto\":{\"target\":\"" + serviceChain + "\"}");
        String externalChain = serviceChain.replaceFirst("^service-", "external-");
        assertThat(element(maps, "service-nodeports", "[\"tcp\",30090]"))
                .as("NodePort element of service-nodeports").contains("\"goto\":{\"target\":\"" + externalChain + "\"}");
        assertThat(rules.stream().filter(r -> r.get("chain").asText().equals(serviceChain)).map(JsonNode::toString))
                .as("endpoint choice in " + serviceChain)
                .anyMatch(r -> r.contains("\"numgen\":{\"mode\":\"random\",\"mod\":2"));

        api.client.services().withName("json").delete();
        api.client.discovery().v1().endpointSlices().withName("json-1").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> !nat().contains("10.96.0.60") && !nat().contains(serviceChain));
    }

    private static String hook(List<JsonNode> chains, String name) {
        JsonNode c = chains.stream().filter(n -> n.get("name").asText().equals(name)).findFirst().orElseThrow();
        return c.get("type").asText() + " " + c.get("hook").asText() + " " + c.get("prio").asInt();
    }

    /** The JSON of the element of {@code map} whose key's JSON contains {@code key}, or "" when absent. */
    private static String element(List<JsonNode> maps, String map, String key) {
        JsonNode m = maps.stream().filter(n -> n.get("name").asText().equals(map)).findFirst().orElseThrow();
        if (!m.has("elem")) return "";
        for (JsonNode pair : m.get("elem")) {
            if (pair.get(0).toString().contains(key)) return pair.toString();
        }
        return "";
    }
}
