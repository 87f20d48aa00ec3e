package io.jk8s.proxy.nftables;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one service port owns in table {@code ip jk8s-proxy}: its elements in the shared verdict maps, its own
 * chains (name → rules, in order), its affinity sets (name → timeout in seconds) and the endpoint IPs it needs in the
 * table-wide hairpin set (shared: two ports may have the same endpoint). Two of these are compared to write only what
 * changed ({@link NftTransaction}).
 */
record PortRules(List<Element> elements, Map<String, List<String>> chains, Map<String, Integer> affinitySets,
                 Set<String> hairpinIps) {

    static final PortRules NONE = new PortRules(List.of(), Map.of(), Map.of(), Set.of());

    PortRules {
        elements = List.copyOf(elements);
        chains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chains));
        affinitySets = Map.copyOf(affinitySets);
        hairpinIps = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(hairpinIps));
    }

    /**
     * One element of a verdict map.
     *
     * @param key     nft key text, e.g. {@code 10.96.0.10 . udp . 53}
     * @param verdict nft verdict text, e.g. {@code goto service-...} or {@code drop}
     * @param comment the service port, shown by {@code nft list}
     */
    record Element(String map, String key, String verdict, String comment) {

        /** What identifies the element in its map: a second element with the same key would clash. */
        String id() {
            return map + " " + key;
        }
    }
}
