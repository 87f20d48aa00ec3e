package io.jk8s.proxy.nftables;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

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
        Result r = run(List.of("nft", "-f", "-"), script);
        if (r.exit != 0) {
            throw new NftException("nft -f failed (" + r.exit + "): " + r.output + "\nscript:\n" + excerpt(script));
        }
    }

    @Override
    public Set<String> chains(String family, String table) throws NftException {
        Result r = run(List.of("nft", "list", "chains", family), null);
        if (r.exit != 0) {
            throw new NftException("nft list chains failed (" + r.exit + "): " + r.output);
        }
        // Text output: "table ip NAME {" then "\tchain NAME {" lines; chain names never hold spaces.
        Set<String> chains = new TreeSet<>();
        boolean inTable = false;
        for (String line : r.output.split("\n")) {
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

    private record Result(int exit, String output) {
    }

    private Result run(List<String> command, String stdin) throws NftException {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.addAll(List.of("ip", "netns", "exec", netns));
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
            // Write on another thread: a large script and a chatty error output must not block each other.
            Thread writer = Thread.ofVirtual().start(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // nft exited early; its output says why
                }
            });
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new NftException("timed out: " + full);
            }
            writer.join();
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new NftException("cannot run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException("interrupted: " + full, e);
        }
    }
}
