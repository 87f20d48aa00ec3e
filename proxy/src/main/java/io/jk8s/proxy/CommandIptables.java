package io.jk8s.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@link Iptables} by running {@code iptables}, {@code iptables-save} and {@code iptables-restore}, optionally in a netns. */
public final class CommandIptables implements Iptables {

    private static final long TIMEOUT_SECONDS = 30;

    private final String binary;
    private final String netns;

    /** @param netns network namespace name for {@code ip netns exec}, or null for the current namespace */
    public CommandIptables(String binary, String netns) {
        this.binary = binary;
        this.netns = netns;
    }

    public CommandIptables(ProxyConfig cfg) {
        this(cfg.iptablesBinary(), cfg.netns());
    }

    @Override
    public void restore(String input) throws IptablesException {
        // -w: wait for the xtables lock instead of failing when another program holds it.
        HostCommand.Result r = run(List.of(binary + "-restore", "-w", "5", "--noflush"), input);
        if (r.exit() != 0) {
            throw new IptablesException("iptables-restore failed (" + r.exit() + "): " + r.output() + "\ninput:\n" + input);
        }
    }

    @Override
    public Set<String> chains(String table) throws IptablesException {
        HostCommand.Result r = run(List.of(binary + "-save", "-t", table), null);
        if (r.exit() != 0) {
            throw new IptablesException("iptables-save -t " + table + " failed (" + r.exit() + "): " + r.output());
        }
        Set<String> chains = new TreeSet<>();
        for (String line : r.output().split("\n")) {
            if (line.startsWith(":")) {
                chains.add(line.substring(1, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length()));
            }
        }
        return chains;
    }

    @Override
    public boolean ensureRule(String table, String chain, List<String> rule) throws IptablesException {
        if (run(command(table, "-C", chain, rule), null).exit() == 0) {
            return false;
        }
        HostCommand.Result r = run(command(table, "-I", chain, rule), null);
        if (r.exit() != 0) {
            throw new IptablesException("iptables -I " + chain + " failed: " + r.output());
        }
        return true;
    }

    @Override
    public boolean deleteRule(String table, String chain, List<String> rule) throws IptablesException {
        if (run(command(table, "-C", chain, rule), null).exit() != 0) {
            return false;
        }
        HostCommand.Result r = run(command(table, "-D", chain, rule), null);
        if (r.exit() != 0) {
            throw new IptablesException("iptables -D " + chain + " failed: " + r.output());
        }
        return true;
    }

    private List<String> command(String table, String op, String chain, List<String> rule) {
        List<String> cmd = new ArrayList<>(List.of(binary, "-w", "5", "-t", table, op, chain));
        cmd.addAll(rule);
        return cmd;
    }

    private HostCommand.Result run(List<String> command, String stdin) throws IptablesException {
        try {
            return HostCommand.run(netns, command, stdin, TIMEOUT_SECONDS);
        } catch (HostCommand.Failure e) {
            throw new IptablesException(e.getMessage(), e.getCause());
        }
    }
}
