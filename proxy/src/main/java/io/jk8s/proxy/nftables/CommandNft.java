package io.jk8s.proxy.nftables;

import io.jk8s.proxy.HostCommand;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@link Nft} by running {@code nft}, optionally inside a network namespace ({@code ip netns exec}). */
public final class CommandNft implements Nft {

    private static final long TIMEOUT_SECONDS = 60;

    private final String netns;

    /** @param netns network namespace name, or null for the current namespace */
    public CommandNft(String netns) {
        this.netns = netns;
    }

    @Override
    public void apply(String script) throws NftException {
        HostCommand.Result r = run(List.of("nft", "-f", "-"), script);
        if (r.exit() != 0) {
            throw new NftException("nft -f failed (" + r.exit() + "): " + r.output() + "\nscript:\n" + excerpt(script));
        }
    }

    @Override
    public Set<String> chains(String family, String table) throws NftException {
        HostCommand.Result r = run(List.of("nft", "list", "chains", family), null);
        if (r.exit() != 0) {
            throw new NftException("nft list chains failed (" + r.exit() + "): " + r.output());
        }
        // Text output: "table ip NAME {" then "\tchain NAME {" lines; chain names never hold spaces.
        Set<String> chains = new TreeSet<>();
        boolean inTable = false;
        for (String line : r.output().split("\n")) {
            String t = line.strip();
            if (t.startsWith("table ")) {
                inTable = t.equals("table " + family + " " + table + " {");
            } else if (inTable && t.startsWith("chain ")) {
                chains.add(t.substring("chain ".length(), t.lastIndexOf(' ')));
            }
        }
        return chains;
    }

    private static String excerpt(String script) {
        return script.length() <= 4000 ? script : script.substring(0, 4000) + "\n... (" + script.length() + " characters)";
    }

    private HostCommand.Result run(List<String> command, String stdin) throws NftException {
        try {
            return HostCommand.run(netns, command, stdin, TIMEOUT_SECONDS);
        } catch (HostCommand.Failure e) {
            throw new NftException(e.getMessage(), e.getCause());
        }
    }
}
