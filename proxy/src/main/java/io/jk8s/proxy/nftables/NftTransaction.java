package io.jk8s.proxy.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.jk8s.proxy.nftables.NftNames.FAMILY;
import static io.jk8s.proxy.nftables.NftNames.TABLE;

/**
 * The {@code nft -f} script that turns one state of the service ports into another, touching only what differs:
 * a Service added or removed is a few map elements and its chains; an endpoint change rewrites that Service's
 * service chain (and, with session affinity, the changed endpoint chains) and adds or deletes hairpin elements. The kernel applies the whole script as one transaction.
 *
 * <p>Order matters inside the transaction: chains and sets are declared before anything refers to them, and a
 * chain or set is deleted only after every element and rule that refers to it is gone:
 * <ol>
 *   <li>add new chains and affinity sets;</li>
 *   <li>delete changed and removed map elements (an element's verdict cannot be replaced in place) and hairpin
 *       elements no port needs any more;</li>
 *   <li>flush and refill changed chains; flush removed chains;</li>
 *   <li>add new and changed map elements and new hairpin elements;</li>
 *   <li>delete removed chains, then removed sets.</li>
 * </ol>
 */
final class NftTransaction {

    private NftTransaction() {
    }

    /**
     * @param before what the kernel holds now, per service port key (empty after a table rebuild)
     * @param after  what it should hold
     * @return script lines (empty when nothing changed)
     */
    static String diff(Map<String, PortRules> before, Map<String, PortRules> after) {
        Map<String, PortRules.Element> oldElements = new LinkedHashMap<>();
        Map<String, List<String>> oldChains = new LinkedHashMap<>();
        Map<String, Integer> oldSets = new LinkedHashMap<>();
        Map<String, PortRules.Element> newElements = new LinkedHashMap<>();
        Map<String, List<String>> newChains = new LinkedHashMap<>();
        Map<String, Integer> newSets = new LinkedHashMap<>();
        Set<String> oldHairpin = new LinkedHashSet<>();
        Set<String> newHairpin = new LinkedHashSet<>();
        Set<String> keys = new LinkedHashSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String key : keys) {
            PortRules old = before.getOrDefault(key, PortRules.NONE);
            PortRules now = after.getOrDefault(key, PortRules.NONE);
            if (old.equals(now)) {
                continue; // the common case: untouched Services cost nothing
            }
            oldHairpin.addAll(old.hairpinIps());
            newHairpin.addAll(now.hairpinIps());
            old.elements().forEach(e -> oldElements.put(e.id(), e));
            oldChains.putAll(old.chains());
            oldSets.putAll(old.affinitySets());
            now.elements().forEach(e -> newElements.put(e.id(), e));
            newChains.putAll(now.chains());
            newSets.putAll(now.affinitySets());
        }

        StringBuilder out = new StringBuilder();
        String prefix = FAMILY + " " + TABLE + " ";
        // 1. declare
        newChains.keySet().stream().filter(c -> !oldChains.containsKey(c))
                .forEach(c -> out.append("add chain ").append(prefix).append(c).append('\n'));
        newSets.forEach((set, timeout) -> {
            if (!oldSets.containsKey(set)) {
                out.append("add set ").append(prefix).append(set).append(" { type ipv4_addr; flags dynamic,timeout; timeout ")
                        .append(timeout).append("s; }\n");
            }
        });
        // 2. elements that go or change
        List<PortRules.Element> adds = new ArrayList<>();
        oldElements.forEach((id, e) -> {
            PortRules.Element now = newElements.get(id);
            if (now == null || !now.verdict().equals(e.verdict())) {
                out.append("delete element ").append(prefix).append(e.map()).append(" { ").append(e.key()).append(" }\n");
            }
        });
        newElements.forEach((id, e) -> {
            PortRules.Element old = oldElements.get(id);
            if (old == null || !old.verdict().equals(e.verdict())) {
                adds.add(e);
            }
        });
        Set<String> hairpinGone = new LinkedHashSet<>(oldHairpin);
        hairpinGone.removeAll(newHairpin);
        Set<String> hairpinCome = new LinkedHashSet<>(newHairpin);
        hairpinCome.removeAll(oldHairpin);
        if (!hairpinGone.isEmpty() || !hairpinCome.isEmpty()) {
            // The set is shared: an element stays while any port has that endpoint, and exists already if an
            // untouched port has it (deleting a missing element would fail the whole transaction).
            Set<String> heldElsewhere = hairpinIpsOfUnchanged(before, after);
            hairpinGone.removeAll(heldElsewhere);
            hairpinCome.removeAll(heldElsewhere);
        }
        if (!hairpinGone.isEmpty()) {
            out.append("delete element ").append(prefix).append(NftNames.HAIRPIN).append(" { ").append(hairpinElements(hairpinGone)).append(" }\n");
        }
        // 3. chain contents
        newChains.forEach((chain, rules) -> {
            List<String> old = oldChains.get(chain);
            if (Objects.equals(old, rules)) {
                return;
            }
            if (old != null) {
                out.append("flush chain ").append(prefix).append(chain).append('\n');
            }
            for (String rule : rules) {
                out.append("add rule ").append(prefix).append(chain).append(' ').append(rule).append('\n');
            }
        });
        List<String> staleChains = oldChains.keySet().stream().filter(c -> !newChains.containsKey(c)).toList();
        staleChains.forEach(c -> out.append("flush chain ").append(prefix).append(c).append('\n'));
        // 4. elements that come or change
        for (PortRules.Element e : adds) {
            out.append("add element ").append(prefix).append(e.map()).append(" { ").append(e.key())
                    .append(" comment \"").append(comment(e.comment())).append("\" : ").append(e.verdict()).append(" }\n");
        }
        if (!hairpinCome.isEmpty()) {
            out.append("add element ").append(prefix).append(NftNames.HAIRPIN).append(" { ").append(hairpinElements(hairpinCome)).append(" }\n");
        }
        // 5. delete what nothing refers to any more
        staleChains.forEach(c -> out.append("delete chain ").append(prefix).append(c).append('\n'));
        oldSets.keySet().stream().filter(s -> !newSets.containsKey(s))
                .forEach(s -> out.append("delete set ").append(prefix).append(s).append('\n'));
        return out.toString();
    }

    private static Set<String> hairpinIpsOfUnchanged(Map<String, PortRules> before, Map<String, PortRules> after) {
        Set<String> out = new HashSet<>();
        after.forEach((key, now) -> {
            if (now.equals(before.get(key))) {
                out.addAll(now.hairpinIps());
            }
        });
        return out;
    }

    private static String hairpinElements(Set<String> ips) {
        StringBuilder out = new StringBuilder();
        for (String ip : ips) {
            out.append(out.isEmpty() ? "" : ", ").append(ip).append(" . ").append(ip);
        }
        return out.toString();
    }

    /** nft refuses comments over 128 characters; a service port name may be longer. */
    private static String comment(String text) {
        return text.length() <= 128 ? text : text.substring(0, 125) + "...";
    }
}
