package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.jk8s.kubelet.cri.v1.DNSConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod's resolv.conf as upstream's kubelet makes it ({@code pkg/kubelet/network/dns}), by {@code dnsPolicy}:
 * <ul>
 *   <li>{@code ClusterFirst} (the default; for host-network pods only as {@code ClusterFirstWithHostNet}): the
 *       cluster DNS, searches {@code <ns>.svc.<domain> svc.<domain> <domain>} then the host's, {@code ndots:5};
 *       without a cluster DNS it falls back to {@code Default};</li>
 *   <li>{@code Default}: the host's resolv.conf (the node's, not the cluster's);</li>
 *   <li>{@code None}: only what {@code dnsConfig} says;</li>
 * </ul>
 * then {@code spec.dnsConfig} is merged in: nameservers and searches appended (duplicates dropped), options by
 * name with the pod's value winning. At most 3 nameservers and 32 search domains are kept, as upstream does.
 */
public final class PodDns {

    static final int MAX_NAMESERVERS = 3;
    static final int MAX_SEARCHES = 32;

    /** The host's resolver settings, parsed from its resolv.conf. */
    public record HostResolv(List<String> nameservers, List<String> searches, List<String> options) {
        public static final HostResolv EMPTY = new HostResolv(List.of(), List.of(), List.of());

        public static HostResolv parse(String text) {
            List<String> servers = new ArrayList<>();
            List<String> searches = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || f[0].startsWith("#") || f[0].startsWith(";")) continue;
                List<String> rest = List.of(f).subList(1, f.length);
                switch (f[0]) {
                    case "nameserver" -> servers.add(f[1]);
                    // The last "search" or "domain" line wins, as in glibc.
                    case "search", "domain" -> {
                        searches.clear();
                        searches.addAll(rest);
                    }
                    case "options" -> options.addAll(rest);
                    default -> { }
                }
            }
            return new HostResolv(servers, searches, options);
        }
    }

    private final Optional<String> clusterDns;
    private final String clusterDomain;
    private final HostResolv host;

    public PodDns(Optional<String> clusterDns, String clusterDomain, HostResolv host) {
        this.clusterDns = clusterDns;
        this.clusterDomain = clusterDomain;
        this.host = host;
    }

    /** The CRI DNS config for {@code pod}; empty means "let the runtime copy the host's resolv.conf". */
    public Optional<DNSConfig> forPod(Pod pod) {
        var spec = pod.getSpec();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        String policy = Objects.requireNonNullElse(spec.getDnsPolicy(), "ClusterFirst");
        PodDNSConfig extra = spec.getDnsConfig();
        boolean clusterFirst = policy.equals("ClusterFirstWithHostNet") || policy.equals("ClusterFirst") && !hostNetwork;

        List<String> servers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        if (policy.equals("None")) {
            // nothing from the node or the cluster
        } else if (clusterFirst && clusterDns.isPresent()) {
            servers.add(clusterDns.get());
            String ns = pod.getMetadata().getNamespace();
            searches.addAll(List.of(ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain));
            searches.addAll(host.searches());
            options.add("ndots:5");
        } else if (extra == null) {
            return Optional.empty();
        } else {
            servers.addAll(host.nameservers());
            searches.addAll(host.searches());
            options.addAll(host.options());
        }
        if (extra != null) {
            servers.addAll(Objects.requireNonNullElse(extra.getNameservers(), List.of()));
            searches.addAll(Objects.requireNonNullElse(extra.getSearches(), List.of()));
            for (PodDNSConfigOption o : Objects.requireNonNullElse(extra.getOptions(), List.<PodDNSConfigOption>of())) {
                options.add(o.getValue() == null ? o.getName() : o.getName() + ":" + o.getValue());
            }
        }
        return Optional.of(DNSConfig.newBuilder()
                .addAllServers(new LinkedHashSet<>(servers).stream().limit(MAX_NAMESERVERS).toList())
                .addAllSearches(new LinkedHashSet<>(searches).stream().limit(MAX_SEARCHES).toList())
                .addAllOptions(mergeOptions(options))
                .build());
    }

    /** Options by name, the later value winning (so the pod's {@code ndots:2} replaces the default {@code ndots:5}). */
    private static List<String> mergeOptions(List<String> options) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String o : options) byName.put(o.contains(":") ? o.substring(0, o.indexOf(':')) : o, o);
        return List.copyOf(byName.values());
    }
}
