package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jk8s.proxy.ServicePortInfo.EndpointInfo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Pure function from Services and EndpointSlices to {@code iptables-restore --noflush} input that rewrites every
 * jk8s chain, in the layout of kube-proxy's iptables mode:
 * <ul>
 *   <li>nat {@code KUBE-SERVICES}: one rule per cluster IP:port jumping to {@code KUBE-SVC-<hash>}, last a jump
 *       to {@code KUBE-NODEPORTS} for node addresses;</li>
 *   <li>{@code KUBE-SVC-<hash>}: masquerade mark for traffic from outside the cluster CIDR, session affinity
 *       ({@code -m recent}), then {@code statistic --mode random} over {@code KUBE-SEP-<hash>} chains;</li>
 *   <li>{@code KUBE-SEP-<hash>}: hairpin masquerade mark and the DNAT to one endpoint;</li>
 *   <li>{@code KUBE-EXT-<hash>}: NodePort entry; with {@code externalTrafficPolicy: Local} it goes to
 *       {@code KUBE-SVL-<hash>} (this node's endpoints only, no masquerade);</li>
 *   <li>filter {@code KUBE-SERVICES}/{@code KUBE-EXTERNAL-SERVICES}: REJECT for ports without endpoints
 *       (DROP for a Local NodePort without local endpoints).</li>
 *   <li>external IPs and LoadBalancer ingress IPs enter {@code KUBE-EXT-<hash>} from {@code KUBE-SERVICES}, like
 *       the NodePort does from {@code KUBE-NODEPORTS};</li>
 *   <li>{@code internalTrafficPolicy: Local}: the cluster IP jumps to {@code KUBE-SVL-<hash>} (DROP in filter
 *       when this node has no endpoint).</li>
 * </ul>
 * Per-service chains that exist but are no longer wanted are flushed and deleted in the same transaction.
 *
 * <p>Partial writes (what kube-proxy does between full syncs): the base chains ({@code KUBE-SERVICES},
 * {@code KUBE-NODEPORTS}, the filter chains …) are always rewritten, but the per-service chains of a port that
 * {@code rewrite} rejects are neither declared nor filled, so {@code --noflush} leaves them as they are. With
 * 1,000 Services × 10 endpoints that turns a 40,000-line restore into about 1,100 lines per change.
 */
public final class RuleBuilder {

    static final String MASQ_MARK = "0x4000/0x4000";

    private final String nodeName;
    private final List<String> nodeIps;
    private final String clusterCidr;

    public RuleBuilder(String nodeName, List<String> nodeIps, String clusterCidr) {
        this.nodeName = nodeName;
        this.nodeIps = List.copyOf(nodeIps);
        this.clusterCidr = clusterCidr;
    }

    public RuleBuilder(ProxyConfig cfg) {
        this(cfg.nodeName(), cfg.nodeIps(), cfg.clusterCidr());
    }

    /** Rules for these objects; {@code existingNatChains} are the nat chains present now (to delete stale ones). */
    public String build(Collection<Service> services, Collection<EndpointSlice> slices, Set<String> existingNatChains) {
        return build(ServicePorts.resolve(services, slices), existingNatChains);
    }

    public String build(List<ServicePortInfo> ports, Set<String> existingNatChains) {
        return plan(ports, existingNatChains, sp -> true, Map.of()).input();
    }

    /**
     * Restore input and the nat chains that exist once it is applied.
     *
     * @param input     {@code iptables-restore --noflush} text for the filter and nat tables
     * @param natChains every nat chain after the restore (the caller's "existing" for the next partial plan)
     * @param baseChains the rules of every base chain ({@code table/chain} → rules) once applied: the caller's
     *                   {@code previousBase} for the next plan
     */
    public record Plan(String input, Set<String> natChains, Map<String, List<String>> baseChains) {
    }

    /**
     * @param existingNatChains the nat chains present now
     * @param rewrite           which ports get their per-service chains written; the others must be in place from an
     *                          earlier write of the same {@link ServicePortInfo} (they are rewritten anyway when their
     *                          service chain is missing from {@code existingNatChains})
     * @param previousBase      base chain rules as last applied ({@link Plan#baseChains()}); a base chain whose rules
     *                          are the same is left out of the input (a pure endpoint change then touches no base
     *                          chain at all). Empty map: write every base chain.
     */
    public Plan plan(List<ServicePortInfo> ports, Set<String> existingNatChains, Predicate<ServicePortInfo> rewrite,
                     Map<String, List<String>> previousBase) {
        Table filter = new Table("filter");
        Table nat = new Table("nat");
        ChainNames.FILTER_BASE.forEach(filter::chain);
        ChainNames.NAT_BASE.forEach(nat::chain);

        filter.rule("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP");
        filter.rule("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark " + MASQ_MARK + " -j ACCEPT");
        filter.rule("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

        nat.rule("-A KUBE-POSTROUTING -m mark ! --mark " + MASQ_MARK + " -j RETURN");
        // Clear the mark so that a re-traversal (e.g. IPsec) does not masquerade twice.
        nat.rule("-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000");
        nat.rule("-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE");
        nat.rule("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000");

        for (ServicePortInfo sp : ports) {
            boolean write = rewrite.test(sp) || sp.endpoints().isEmpty()
                    || !existingNatChains.contains(ChainNames.service(sp.servicePortName(), sp.protocol()));
            nat.writing = write;
            addServicePort(sp, filter, nat);
            nat.writing = true;
        }

        List<String> nodePortJumps = new ArrayList<>();
        if (nodeIps.isEmpty()) {
            nodePortJumps.add("-m addrtype --dst-type LOCAL");
        } else {
            nodeIps.forEach(ip -> nodePortJumps.add("-d " + ip + "/32"));
        }
        for (String match : nodePortJumps) {
            nat.rule("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" "
                    + match + " -j KUBE-NODEPORTS");
        }

        // Stale per-service chains: flush all first (they may reference each other), then delete.
        Set<String> stale = new TreeSet<>();
        for (String chain : existingNatChains) {
            if (ChainNames.isPerService(chain) && !nat.chains.contains(chain) && !nat.kept.contains(chain)) {
                stale.add(chain);
            }
        }
        stale.forEach(nat::chain);
        stale.forEach(chain -> nat.rule("-X " + chain));

        Set<String> after = new TreeSet<>(existingNatChains);
        after.addAll(nat.chains);
        after.removeAll(stale);
        Map<String, List<String>> base = new java.util.HashMap<>();
        String input = filter.render(previousBase, base) + nat.render(previousBase, base);
        return new Plan(input, after, base);
    }

    private void addServicePort(ServicePortInfo sp, Table filter, Table nat) {
        String spn = sp.servicePortName();
        String proto = sp.iptablesProtocol();
        String protoMatch = "-m " + proto + " -p " + proto;
        String clusterDst = "-d " + sp.clusterIp() + "/32 --dport " + sp.port();
        List<EndpointInfo> endpoints = sp.endpoints();

        if (endpoints.isEmpty()) {
            filter.rule("-A KUBE-SERVICES -m comment --comment \"" + spn + " has no endpoints\" " + protoMatch + " " + clusterDst + " -j REJECT");
            for (String entry : externalEntries(sp, protoMatch)) {
                filter.rule("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"" + spn + " has no endpoints\" " + entry + " -j REJECT");
            }
            return;
        }

        String svcChain = ChainNames.service(spn, sp.protocol());
        nat.chain(svcChain);
        Map<EndpointInfo, String> sepOf = new java.util.HashMap<>();
        for (EndpointInfo ep : sp.endpointsUsedOn(nodeName)) {
            String sep = ChainNames.endpoint(spn, sp.protocol(), ep.hostPort());
            sepOf.put(ep, sep);
            nat.chain(sep);
            nat.rule("-A " + sep + " -m comment --comment \"" + spn + "\" -s " + ep.ip() + "/32 -j KUBE-MARK-MASQ");
            String affinity = sp.affinitySeconds() > 0 ? " -m recent --name " + sep + " --set" : "";
            nat.rule("-A " + sep + " -m comment --comment \"" + spn + "\" " + protoMatch + affinity + " -j DNAT --to-destination " + ep.hostPort());
        }
        if (!clusterCidr.isEmpty()) {
            // Without a known pod network we cannot tell off-cluster clients apart; upstream then skips this too.
            nat.rule("-A " + svcChain + " -m comment --comment \"" + spn + " cluster IP\" " + protoMatch + " " + clusterDst
                    + " ! -s " + clusterCidr + " -j KUBE-MARK-MASQ");
        }
        addBalancing(nat, svcChain, spn, sp, endpoints, endpoints.stream().map(sepOf::get).toList());

        List<EndpointInfo> local = sp.localEndpoints(nodeName);
        List<String> localSeps = local.stream().map(sepOf::get).toList();
        String svlChain = ChainNames.serviceLocal(spn, sp.protocol());
        if (!local.isEmpty() && (sp.internalLocal() || sp.externalLocal())) {
            nat.chain(svlChain);
            addBalancing(nat, svlChain, spn, sp, local, localSeps);
        }

        if (!sp.internalLocal()) {
            nat.rule("-A KUBE-SERVICES -m comment --comment \"" + spn + " cluster IP\" " + protoMatch + " " + clusterDst + " -j " + svcChain);
        } else if (!local.isEmpty()) {
            nat.rule("-A KUBE-SERVICES -m comment --comment \"" + spn + " cluster IP\" " + protoMatch + " " + clusterDst + " -j " + svlChain);
        } else {
            filter.rule("-A KUBE-SERVICES -m comment --comment \"" + spn + " has no local endpoints\" " + protoMatch + " " + clusterDst + " -j DROP");
        }

        if (sp.hasExternalEntry()) {
            addExternal(sp, filter, nat, svcChain, local.isEmpty() ? null : svlChain, protoMatch);
        }
    }

    /** Matches for traffic entering from outside: the NodePort on node addresses, then each external IP:port. */
    private static List<String> externalEntries(ServicePortInfo sp, String protoMatch) {
        List<String> entries = new ArrayList<>();
        if (sp.nodePort() > 0) {
            entries.add("-m addrtype --dst-type LOCAL " + protoMatch + " --dport " + sp.nodePort());
        }
        for (String ip : sp.externalIps()) {
            entries.add(protoMatch + " -d " + ip + "/32 --dport " + sp.port());
        }
        return entries;
    }

    /** @param svlChain the local-endpoints chain, or null when this node has none */
    private void addExternal(ServicePortInfo sp, Table filter, Table nat, String svcChain, String svlChain, String protoMatch) {
        String spn = sp.servicePortName();
        String extChain = ChainNames.external(spn, sp.protocol());
        nat.chain(extChain);
        if (sp.nodePort() > 0) {
            nat.rule("-A KUBE-NODEPORTS -m comment --comment \"" + spn + "\" " + protoMatch + " --dport " + sp.nodePort() + " -j " + extChain);
        }
        for (String ip : sp.externalIps()) {
            nat.rule("-A KUBE-SERVICES -m comment --comment \"" + spn + " external IP\" " + protoMatch + " -d " + ip + "/32 --dport " + sp.port() + " -j " + extChain);
        }
        if (!sp.externalLocal()) {
            nat.rule("-A " + extChain + " -m comment --comment \"masquerade traffic for " + spn + " external destinations\" -j KUBE-MARK-MASQ");
            nat.rule("-A " + extChain + " -j " + svcChain);
            return;
        }
        // Local policy keeps the client address, so only this node's endpoints may answer. Pods and the node
        // itself still reach every endpoint (as upstream does), the node with masquerade.
        if (!clusterCidr.isEmpty()) {
            nat.rule("-A " + extChain + " -m comment --comment \"pod traffic for " + spn + " external destinations\" -s " + clusterCidr + " -j " + svcChain);
        }
        nat.rule("-A " + extChain + " -m comment --comment \"masquerade LOCAL traffic for " + spn + " external destinations\" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ");
        nat.rule("-A " + extChain + " -m comment --comment \"route LOCAL traffic for " + spn + " external destinations\" -m addrtype --src-type LOCAL -j " + svcChain);
        if (svlChain == null) {
            for (String entry : externalEntries(sp, protoMatch)) {
                filter.rule("-A KUBE-EXTERNAL-SERVICES -m comment --comment \"" + spn + " has no local endpoints\" " + entry + " -j DROP");
            }
            return;
        }
        nat.rule("-A " + extChain + " -j " + svlChain);
    }

    /** Affinity lookups first (a remembered client sticks to its endpoint), then the random split: rule i of n
     *  takes 1/(n-i) of what is left, so every endpoint gets 1/n overall. */
    private static void addBalancing(Table nat, String chain, String spn, ServicePortInfo sp, List<EndpointInfo> endpoints, List<String> seps) {
        if (sp.affinitySeconds() > 0) {
            for (int i = 0; i < endpoints.size(); i++) {
                nat.rule("-A " + chain + " -m comment --comment \"" + spn + " -> " + endpoints.get(i).hostPort() + "\" -m recent --name "
                        + seps.get(i) + " --rcheck --seconds " + sp.affinitySeconds() + " --reap -j " + seps.get(i));
            }
        }
        int n = endpoints.size();
        for (int i = 0; i < n; i++) {
            String probability = i < n - 1
                    ? " -m statistic --mode random --probability " + String.format(Locale.ROOT, "%.10f", 1.0 / (n - i))
                    : "";
            nat.rule("-A " + chain + " -m comment --comment \"" + spn + " -> " + endpoints.get(i).hostPort() + "\"" + probability + " -j " + seps.get(i));
        }
    }

    /**
     * Input that removes every jk8s chain that exists now (cleanup mode). The jumps from built-in chains must
     * have been deleted before, or the deletion of the chains they reference fails.
     */
    public static String cleanup(Set<String> existingFilterChains, Set<String> existingNatChains) {
        return cleanupTable("filter", existingFilterChains, ChainNames.FILTER_BASE)
                + cleanupTable("nat", existingNatChains, ChainNames.NAT_BASE);
    }

    private static String cleanupTable(String name, Set<String> existing, List<String> base) {
        Table table = new Table(name);
        Set<String> ours = new TreeSet<>();
        for (String chain : existing) {
            if (base.contains(chain) || ChainNames.isPerService(chain)) {
                ours.add(chain);
            }
        }
        ours.forEach(table::chain);
        ours.forEach(chain -> table.rule("-X " + chain));
        return table.render();
    }

    /**
     * One table of restore input: chain declarations (which flush under --noflush) before the rules. While
     * {@code writing} is off, per-service chains are only recorded as kept and rules appended to kept chains are
     * dropped; rules for base chains are always written.
     */
    private static final class Table {
        private final String name;
        private final Set<String> chains = new LinkedHashSet<>();
        private final Set<String> kept = new java.util.HashSet<>();
        private final List<String> rules = new ArrayList<>();
        boolean writing = true;

        Table(String name) {
            this.name = name;
        }

        void chain(String chain) {
            if (writing || !ChainNames.isPerService(chain)) {
                chains.add(chain);
            } else {
                kept.add(chain);
            }
        }

        void rule(String rule) {
            if (!writing && rule.startsWith("-A ")) {
                int end = rule.indexOf(' ', 3);
                if (kept.contains(rule.substring(3, end < 0 ? rule.length() : end))) return;
            }
            rules.add(rule);
        }

        /** Renders, leaving out base chains whose rules equal {@code previous}; records base chain rules in {@code out}. */
        String render(Map<String, List<String>> previous, Map<String, List<String>> out) {
            Map<String, List<String>> byChain = new java.util.HashMap<>();
            for (String rule : rules) {
                if (rule.startsWith("-A ")) {
                    String chain = rule.substring(3, rule.indexOf(' ', 3));
                    if (!ChainNames.isPerService(chain)) byChain.computeIfAbsent(chain, c -> new ArrayList<>()).add(rule);
                }
            }
            Set<String> unchanged = new java.util.HashSet<>();
            for (String chain : chains) {
                if (ChainNames.isPerService(chain)) continue;
                List<String> now = byChain.getOrDefault(chain, List.of());
                out.put(name + "/" + chain, now);
                if (now.equals(previous.get(name + "/" + chain))) unchanged.add(chain);
            }
            StringBuilder text = new StringBuilder("*").append(name).append('\n');
            chains.stream().filter(c -> !unchanged.contains(c)).forEach(c -> text.append(':').append(c).append(" - [0:0]\n"));
            for (String rule : rules) {
                if (rule.startsWith("-A ") && unchanged.contains(rule.substring(3, rule.indexOf(' ', 3)))) continue;
                text.append(rule).append('\n');
            }
            return text.append("COMMIT\n").toString();
        }

        String render() {
            StringBuilder out = new StringBuilder("*").append(name).append('\n');
            chains.forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
            rules.forEach(r -> out.append(r).append('\n'));
            return out.append("COMMIT\n").toString();
        }
    }
}
