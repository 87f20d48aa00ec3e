package io.jk8s.network;

import java.util.List;

/**
 * The node-wide part of the pod network, independent of other nodes:
 * <ul>
 *   <li>IP forwarding on (pods are routed through the host);</li>
 *   <li>an {@code unreachable} route for the cluster CIDR, so an address no node holds is refused
 *       here instead of following the default route off the machine (the node's own range and
 *       its peers' are more specific routes);</li>
 *   <li>the service CIDR routed to {@value NetworkConfig#SERVICE_DEVICE}, a bridge without ports.
 *       Not {@code unreachable}: the host's own connections are routed <em>before</em> the nat
 *       OUTPUT DNAT of the proxy, so an unreachable route would fail {@code curl <ClusterIP>} on
 *       the node. Routed to a portless device the lookup succeeds, DNAT then re-routes to the pod,
 *       and a VIP without rules is rejected by {@code JK8S-NET-OUTPUT}/{@code JK8S-NET-FORWARD}
 *       (only packets that were not DNATed) — nothing addressed to the service CIDR leaves the host.
 *       (kube-proxy's IPVS mode binds VIPs to kube-ipvs0 for the same reason; a dummy device would
 *       do, but not every kernel has the dummy driver);</li>
 *   <li>masquerade for pod traffic leaving the cluster CIDR ({@code JK8S-NET-POSTROUTING}); pod to
 *       pod keeps its source address, as the Kubernetes network model requires.</li>
 * </ul>
 * All of it is idempotent: {@link #install()} may run on every start.
 */
public final class HostRules {

    static final String NAT_CHAIN = "JK8S-NET-POSTROUTING";
    static final String FORWARD_CHAIN = "JK8S-NET-FORWARD";
    static final String OUTPUT_CHAIN = "JK8S-NET-OUTPUT";

    private record Jump(String table, String chain, String target) {
        List<String> spec() {
            return List.of("-m", "comment", "--comment", "jk8s pod network", "-j", target);
        }
    }

    private static final List<Jump> JUMPS = List.of(
            new Jump("nat", "POSTROUTING", NAT_CHAIN),
            new Jump("filter", "FORWARD", FORWARD_CHAIN),
            new Jump("filter", "OUTPUT", OUTPUT_CHAIN));

    private final Host host;
    private final NetworkConfig cfg;

    public HostRules(Host host, NetworkConfig cfg) {
        this.host = host;
        this.cfg = cfg;
    }

    public void install() {
        host.check("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        host.check("ip", "route", "replace", "unreachable", cfg.clusterCidr());
        if (!host.run("ip", "link", "show", "dev", NetworkConfig.SERVICE_DEVICE).ok()) {
            host.check("ip", "link", "add", NetworkConfig.SERVICE_DEVICE, "type", "bridge");
        }
        host.check("ip", "link", "set", NetworkConfig.SERVICE_DEVICE, "up");
        host.check("ip", "route", "replace", cfg.serviceCidr(), "dev", NetworkConfig.SERVICE_DEVICE);
        Host.Result r = host.run(List.of("iptables-restore", "-w", "5", "--noflush"), iptablesRules());
        if (!r.ok()) throw new Host.HostCommandException("iptables-restore failed: " + r.output().strip());
        for (Jump j : JUMPS) {
            if (!host.run(iptables(j.table(), "-C", j.chain(), j.spec()), null).ok()) {
                host.check(iptables(j.table(), "-A", j.chain(), j.spec()).toArray(String[]::new));
            }
        }
    }

    /** The chains' contents, replaced as a whole by {@code iptables-restore --noflush}. */
    String iptablesRules() {
        String cluster = cfg.clusterCidr();
        String notDnated = "-o " + NetworkConfig.SERVICE_DEVICE + " -m conntrack ! --ctstate DNAT -m comment --comment \"service VIP without rules\" -j REJECT --reject-with icmp-net-unreachable";
        return String.join("\n",
                "*nat",
                ":" + NAT_CHAIN + " - [0:0]",
                "-A " + NAT_CHAIN + " -s " + cluster + " -d " + cluster + " -m comment --comment \"pod to pod: keep the source\" -j RETURN",
                "-A " + NAT_CHAIN + " -s " + cluster + " ! -d 224.0.0.0/4 -m comment --comment \"pods leaving the cluster\" -j MASQUERADE --random-fully",
                "COMMIT",
                "*filter",
                ":" + FORWARD_CHAIN + " - [0:0]",
                ":" + OUTPUT_CHAIN + " - [0:0]",
                "-A " + FORWARD_CHAIN + " " + notDnated,
                "-A " + FORWARD_CHAIN + " -s " + cluster + " -m comment --comment \"pod traffic\" -j ACCEPT",
                "-A " + FORWARD_CHAIN + " -d " + cluster + " -m comment --comment \"pod traffic\" -j ACCEPT",
                "-A " + OUTPUT_CHAIN + " " + notDnated,
                "COMMIT",
                "");
    }

    /** Removes everything {@link #install()} and the agent's peer routes and VXLAN device added. */
    public void teardown() {
        for (Jump j : JUMPS) {
            while (host.run(iptables(j.table(), "-D", j.chain(), j.spec()), null).ok()) {
                // a rule appended twice (e.g. by two agents in one namespace) is removed twice
            }
        }
        for (String[] chain : new String[][]{{"nat", NAT_CHAIN}, {"filter", FORWARD_CHAIN}, {"filter", OUTPUT_CHAIN}}) {
            host.run("iptables", "-w", "5", "-t", chain[0], "-F", chain[1]);
            host.run("iptables", "-w", "5", "-t", chain[0], "-X", chain[1]);
        }
        host.run("ip", "route", "flush", "proto", NetworkConfig.ROUTE_PROTO);
        host.run("ip", "route", "del", "unreachable", cfg.clusterCidr());
        host.run("ip", "route", "del", cfg.serviceCidr(), "dev", NetworkConfig.SERVICE_DEVICE);
        host.run("ip", "link", "del", NetworkConfig.SERVICE_DEVICE);
        host.run("ip", "link", "del", NetworkConfig.VXLAN_DEVICE);
    }

    private static List<String> iptables(String table, String op, String chain, List<String> spec) {
        List<String> cmd = new java.util.ArrayList<>(List.of("iptables", "-w", "5", "-t", table, op, chain));
        cmd.addAll(spec);
        return cmd;
    }
}
