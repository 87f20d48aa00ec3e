package io.jk8s.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link Iptables}: keeps chains and jump rules per table and records every restore input. */
final class RecordingIptables implements Iptables {

    final List<String> restores = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> chains = new ConcurrentHashMap<>();
    final Set<String> jumps = ConcurrentHashMap.newKeySet();

    RecordingIptables() {
        chains.put("nat", new TreeSet<>(List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")));
        chains.put("filter", new TreeSet<>(List.of("INPUT", "FORWARD", "OUTPUT")));
    }

    @Override
    public synchronized void restore(String input) {
        restores.add(input);
        Set<String> table = null;
        for (String line : input.split("\n")) {
            if (line.startsWith("*")) {
                table = chains.get(line.substring(1));
            } else if (line.startsWith(":")) {
                table.add(line.substring(1, line.indexOf(' ')));
            } else if (line.startsWith("-X ")) {
                table.remove(line.substring(3));
            }
        }
    }

    @Override
    public synchronized Set<String> chains(String table) {
        return new TreeSet<>(chains.get(table));
    }

    synchronized Set<String> allChains() {
        Set<String> all = new TreeSet<>();
        chains.forEach((t, c) -> c.forEach(name -> all.add(t + "/" + name)));
        return all;
    }

    String lastRestore() {
        return restores.isEmpty() ? "" : restores.getLast();
    }

    @Override
    public boolean ensureRule(String table, String chain, List<String> rule) {
        return jumps.add(table + "/" + chain + " " + String.join(" ", rule));
    }

    @Override
    public boolean deleteRule(String table, String chain, List<String> rule) {
        return jumps.remove(table + "/" + chain + " " + String.join(" ", new ArrayList<>(rule)));
    }
}
