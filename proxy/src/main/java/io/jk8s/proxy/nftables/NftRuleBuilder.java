package io.jk8s.proxy.nftables;

import io.jk8s.proxy.ProxyConfig;
import io.jk8s.proxy.ServicePortInfo;
import io.jk8s.proxy.ServicePortInfo.EndpointInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.jk8s.proxy.nftables.NftNames.*;

/**
 * Pure functions from service ports to nftables rules, in the layout of kube-proxy's nftables mode (KEP-3866):
 * <ul>
 *   <li>dispatch is one lookup in verdict maps, not a rule per Service: {@code services} looks up
 *       {@code ip daddr . meta l4proto . th dport} in {@code service-ips} (cluster and external IPs), then
 *       NodePorts ({@code meta l4proto . th dport} on node addresses) in {@code service-nodeports}; adding or
 *       removing a Service is an element change;</li>
 *   <li>{@code service-<hash>-ns/name/proto/port}: masquerade mark for clients outside the cluster CIDR, then one
 *       rule that picks and DNATs: {@code dnat to numgen random mod N map { 0 : ip . port, … }} — no chain per
 *       endpoint, because nft reads every chain of the table before each transaction and ~11,000 endpoint chains
 *       made every change cost tens of milliseconds;</li>
 *   <li>with sessionAffinity ClientIP only: affinity lookups, then {@code numgen random mod N vmap} over
 *       {@code endpoint-…} chains (affinity set update, DNAT), since each endpoint needs its own set update;</li>
 *   <li>hairpin (an endpoint reaching itself through its Service): one table-wide set {@code hairpin-endpoints} of
 *       (endpoint IP . endpoint IP), matched after DNAT in postrouting as {@code ct status dnat ip saddr . ip daddr};</li>
 *   <li>{@code external-…}: NodePort/external IP entry (masquerade, or with {@code externalTrafficPolicy: Local}
 *       pods and the node to every endpoint, others to {@code local-…});</li>
 *   <li>ports without (local) endpoints: elements of the {@code no-endpoint-*} maps checked in filter chains for
 *       new connections (reject, or drop for a Local policy without local endpoints).</li>
 * </ul>
 * Hooks: DNAT in prerouting and output at priority dstnat (-100), masquerade in postrouting at srcnat (100), filter
 * chains at filter - 10 — the same places as iptables' nat and filter tables, so both coexist (the network module's
 * masquerade and CNI portmap stay in iptables).
 */
public final class NftRuleBuilder {

    static final String MASQ_BIT = "0x4000";

    /** The chains of {@link #baseTable()}. */
    static final List<String> BASE_CHAINS = List.of("filter-input", "filter-forward", "filter-output", "nat-prerouting",
            "nat-output", "nat-postrouting", MARK_FOR_MASQUERADE, MASQUERADING, REJECT, SERVICE_ENDPOINTS_CHECK,
            EXTERNAL_ENDPOINTS_CHECK, SERVICES);

    private final String nodeName;
    private final List<String> nodeIps;
    private final String clusterCidr;

    public NftRuleBuilder(String nodeName, List<String> nodeIps, String clusterCidr) {
        this.nodeName = nodeName;
        this.nodeIps = List.copyOf(nodeIps);
        this.clusterCidr = clusterCidr;
    }

    public NftRuleBuilder(ProxyConfig cfg) {
        this(cfg.nodeName(), cfg.nodeIps(), cfg.clusterCidr());
    }

    /** The table with its base chains, maps and sets and no service in it (nft -f syntax). */
    String baseTable() {
        String nodePortMatch = nodeIps.isEmpty()
                // Like upstream, NodePorts are not served on 127.0.0.0/8: DNAT from loopback needs route_localnet.
                ? "fib daddr type local ip daddr != 127.0.0.0/8"
                : "ip daddr @" + NODEPORT_IPS;
        StringBuilder t = new StringBuilder();
        t.append("table ").append(FAMILY).append(' ').append(TABLE).append(" {\n");
        t.append("  comment \"jk8s Service proxy: rules for Services\"\n");
        t.append("  map ").append(SERVICE_IPS).append(" { type ipv4_addr . inet_proto . inet_service : verdict; comment \"ClusterIP, ExternalIP and LoadBalancer IP traffic\"; }\n");
        t.append("  map ").append(SERVICE_NODEPORTS).append(" { type inet_proto . inet_service : verdict; comment \"NodePort traffic\"; }\n");
        t.append("  map ").append(NO_ENDPOINT_SERVICES).append(" { type ipv4_addr . inet_proto . inet_service : verdict; comment \"cluster IPs without endpoints\"; }\n");
        t.append("  map ").append(NO_ENDPOINT_EXTERNAL).append(" { type ipv4_addr . inet_proto . inet_service : verdict; comment \"external IPs without endpoints\"; }\n");
        t.append("  set ").append(HAIRPIN).append(" { type ipv4_addr . ipv4_addr; comment \"endpoints reaching themselves through a Service\"; }\n");
        t.append("  map ").append(NO_ENDPOINT_NODEPORTS).append(" { type inet_proto . inet_service : verdict; comment \"NodePorts without endpoints\"; }\n");
        if (!nodeIps.isEmpty()) {
            t.append("  set ").append(NODEPORT_IPS).append(" { type ipv4_addr; elements = { ").append(String.join(", ", nodeIps)).append(" }; }\n");
        }
        t.append("  chain filter-input { type filter hook input priority filter - 10; policy accept; ")
                .append("ct state new jump ").append(EXTERNAL_ENDPOINTS_CHECK).append("; }\n");
        t.append("  chain filter-forward { type filter hook forward priority filter - 10; policy accept; ct state invalid drop; ")
                .append("ct state new jump ").append(SERVICE_ENDPOINTS_CHECK).append("; ct state new jump ").append(EXTERNAL_ENDPOINTS_CHECK).append("; }\n");
        t.append("  chain filter-output { type filter hook output priority filter - 10; policy accept; ")
                .append("ct state new jump ").append(SERVICE_ENDPOINTS_CHECK).append("; }\n");
        t.append("  chain nat-prerouting { type nat hook prerouting priority dstnat; policy accept; jump ").append(SERVICES).append("; }\n");
        // "dstnat" is not accepted for the output hook by nft 1.0.6; -100 is its value.
        t.append("  chain nat-output { type nat hook output priority -100; policy accept; jump ").append(SERVICES).append("; }\n");
        t.append("  chain nat-postrouting { type nat hook postrouting priority srcnat; policy accept; ")
                .append("ct status dnat ip saddr . ip daddr @").append(HAIRPIN).append(" jump ").append(MARK_FOR_MASQUERADE)
                .append("; jump ").append(MASQUERADING).append("; }\n");
        t.append("  chain ").append(MARK_FOR_MASQUERADE).append(" { meta mark set meta mark | ").append(MASQ_BIT).append("; }\n");
        // Clear the bit so that a re-traversal (e.g. IPsec) does not masquerade twice.
        t.append("  chain ").append(MASQUERADING).append(" { meta mark & ").append(MASQ_BIT).append(" == 0 return; meta mark set meta mark ^ ")
                .append(MASQ_BIT).append("; masquerade fully-random; }\n");
        t.append("  chain ").append(REJECT).append(" { reject; }\n");
        t.append("  chain ").append(SERVICE_ENDPOINTS_CHECK).append(" { ip daddr . meta l4proto . th dport vmap @").append(NO_ENDPOINT_SERVICES).append("; }\n");
        t.append("  chain ").append(EXTERNAL_ENDPOINTS_CHECK).append(" { ip daddr . meta l4proto . th dport vmap @").append(NO_ENDPOINT_EXTERNAL)
                .append("; fib daddr type local meta l4proto . th dport vmap @").append(NO_ENDPOINT_NODEPORTS).append("; }\n");
        // NodePorts last: a cluster or external IP:port that happens to equal a NodePort wins.
        t.append("  chain ").append(SERVICES).append(" { ip daddr . meta l4proto . th dport vmap @").append(SERVICE_IPS).append("; ")
                .append(nodePortMatch).append(" meta l4proto . th dport vmap @").append(SERVICE_NODEPORTS).append("; }\n");
        t.append("}\n");
        return t.toString();
    }

    /** What {@code sp} owns in the table. */
    PortRules forPort(ServicePortInfo sp) {
        String proto = sp.protocol().toLowerCase(Locale.ROOT);
        String spn = sp.servicePortName();
        List<PortRules.Element> elements = new ArrayList<>();
        Map<String, List<String>> chains = new LinkedHashMap<>();
        Map<String, Integer> sets = new LinkedHashMap<>();
        String clusterKey = sp.clusterIp() + " . " + proto + " . " + sp.port();
        List<EndpointInfo> endpoints = sp.endpoints();

        if (endpoints.isEmpty()) {
            String reject = "goto " + REJECT;
            elements.add(new PortRules.Element(NO_ENDPOINT_SERVICES, clusterKey, reject, spn));
            for (String ip : sp.externalIps()) {
                elements.add(new PortRules.Element(NO_ENDPOINT_EXTERNAL, ip + " . " + proto + " . " + sp.port(), reject, spn));
            }
            if (sp.nodePort() > 0) {
                elements.add(new PortRules.Element(NO_ENDPOINT_NODEPORTS, proto + " . " + sp.nodePort(), reject, spn));
            }
            return new PortRules(elements, chains, sets, Set.of());
        }

        List<EndpointInfo> used = sp.endpointsUsedOn(nodeName);
        Set<String> hairpin = new LinkedHashSet<>();
        used.forEach(ep -> hairpin.add(ep.ip()));
        List<EndpointInfo> localEndpoints = sp.localEndpoints(nodeName);
        if (sp.affinitySeconds() > 0) {
            for (EndpointInfo ep : used) {
                String set = NftNames.affinity(sp, ep);
                sets.put(set, sp.affinitySeconds());
                chains.put(NftNames.endpoint(sp, ep), List.of("update @" + set + " { ip saddr }",
                        "meta l4proto " + proto + " dnat to " + ep.ip() + ":" + ep.port()));
            }
        }

        String service = NftNames.service(sp);
        List<String> serviceRules = new ArrayList<>();
        if (!clusterCidr.isEmpty()) {
            // Without a known pod network off-cluster clients cannot be told apart; upstream then skips this too.
            serviceRules.add("ip daddr " + sp.clusterIp() + " " + proto + " dport " + sp.port() + " ip saddr != " + clusterCidr
                    + " jump " + MARK_FOR_MASQUERADE);
        }
        serviceRules.addAll(balancing(sp, endpoints));
        chains.put(service, serviceRules);

        String local = NftNames.local(sp);
        boolean hasLocal = !localEndpoints.isEmpty();
        if (hasLocal && (sp.internalLocal() || sp.externalLocal())) {
            chains.put(local, balancing(sp, localEndpoints));
        }

        if (!sp.internalLocal()) {
            elements.add(new PortRules.Element(SERVICE_IPS, clusterKey, "goto " + service, spn));
        } else if (hasLocal) {
            elements.add(new PortRules.Element(SERVICE_IPS, clusterKey, "goto " + local, spn));
        } else {
            elements.add(new PortRules.Element(NO_ENDPOINT_SERVICES, clusterKey, "drop", spn));
        }

        if (sp.hasExternalEntry()) {
            String external = NftNames.external(sp);
            if (sp.nodePort() > 0) {
                elements.add(new PortRules.Element(SERVICE_NODEPORTS, proto + " . " + sp.nodePort(), "goto " + external, spn));
            }
            for (String ip : sp.externalIps()) {
                elements.add(new PortRules.Element(SERVICE_IPS, ip + " . " + proto + " . " + sp.port(), "goto " + external, spn));
            }
            List<String> externalRules = new ArrayList<>();
            if (!sp.externalLocal()) {
                externalRules.add("jump " + MARK_FOR_MASQUERADE);
                externalRules.add("goto " + service);
            } else {
                // Local policy keeps the client address, so only this node's endpoints may answer. Pods and the
                // node itself still reach every endpoint (as upstream does), the node with masquerade.
                if (!clusterCidr.isEmpty()) {
                    externalRules.add("ip saddr " + clusterCidr + " goto " + service);
                }
                externalRules.add("fib saddr type local jump " + MARK_FOR_MASQUERADE);
                externalRules.add("fib saddr type local goto " + service);
                if (hasLocal) {
                    externalRules.add("goto " + local);
                } else {
                    // Everyone else falls through un-NATed and is dropped by the filter chains.
                    for (String ip : sp.externalIps()) {
                        elements.add(new PortRules.Element(NO_ENDPOINT_EXTERNAL, ip + " . " + proto + " . " + sp.port(), "drop", spn));
                    }
                    if (sp.nodePort() > 0) {
                        elements.add(new PortRules.Element(NO_ENDPOINT_NODEPORTS, proto + " . " + sp.nodePort(), "drop", spn));
                    }
                }
            }
            chains.put(external, externalRules);
        }
        return new PortRules(elements, chains, sets, hairpin);
    }

    /** Picks one of {@code endpoints} uniformly at random; with affinity a remembered client first sticks to its endpoint. */
    private static List<String> balancing(ServicePortInfo sp, List<EndpointInfo> endpoints) {
        String proto = sp.protocol().toLowerCase(Locale.ROOT);
        if (sp.affinitySeconds() <= 0) {
            StringBuilder map = new StringBuilder("meta l4proto ").append(proto).append(" dnat to numgen random mod ")
                    .append(endpoints.size()).append(" map { ");
            for (int i = 0; i < endpoints.size(); i++) {
                map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(endpoints.get(i).ip()).append(" . ").append(endpoints.get(i).port());
            }
            return List.of(map.append(" }").toString());
        }
        List<String> rules = new ArrayList<>();
        for (EndpointInfo ep : endpoints) {
            rules.add("ip saddr @" + NftNames.affinity(sp, ep) + " goto " + NftNames.endpoint(sp, ep));
        }
        StringBuilder vmap = new StringBuilder("numgen random mod ").append(endpoints.size()).append(" vmap { ");
        for (int i = 0; i < endpoints.size(); i++) {
            vmap.append(i == 0 ? "" : ", ").append(i).append(" : goto ").append(NftNames.endpoint(sp, endpoints.get(i)));
        }
        rules.add(vmap.append(" }").toString());
        return rules;
    }
}
