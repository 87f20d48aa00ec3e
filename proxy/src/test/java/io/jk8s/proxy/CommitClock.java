package io.jk8s.proxy;

import io.jk8s.proxy.nftables.Nft;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * For benchmarks: wraps the real {@link Iptables} or {@link Nft} and notes when each restore/transaction returned
 * (the kernel has committed it by then) and what it held, so that "rule in place" is timed without polling the
 * kernel.
 */
final class CommitClock {

    private record Commit(long nanos, String input) {
    }

    private final List<Commit> commits = new CopyOnWriteArrayList<>();

    Iptables wrap(Iptables real) {
        return new Iptables() {
            @Override
            public void restore(String input) throws IptablesException {
                real.restore(input);
                commits.add(new Commit(System.nanoTime(), input));
            }

            @Override
            public Set<String> chains(String table) throws IptablesException {
                return real.chains(table);
            }

            @Override
            public boolean ensureRule(String table, String chain, List<String> rule) throws IptablesException {
                return real.ensureRule(table, chain, rule);
            }

            @Override
            public boolean deleteRule(String table, String chain, List<String> rule) throws IptablesException {
                return real.deleteRule(table, chain, rule);
            }
        };
    }

    Nft wrap(Nft real) {
        return new Nft() {
            @Override
            public void apply(String script) throws NftException {
                real.apply(script);
                commits.add(new Commit(System.nanoTime(), script));
            }

            @Override
            public Set<String> chains(String family, String table) throws NftException {
                return real.chains(family, table);
            }
        };
    }

    /** When the first commit after {@code since} whose input contains {@code text} returned; null after {@code timeout}. */
    Long awaitCommitHolding(String text, long since, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (System.nanoTime() < until) {
            for (; checked < commits.size(); checked++) {
                Commit c = commits.get(checked);
                if (c.nanos() >= since && c.input().contains(text)) return c.nanos();
            }
            Thread.sleep(1); // an in-process list: costs nothing measurable
        }
        return null;
    }

    /** CPU seconds of this JVM's finished child processes (nft, iptables-restore, ip netns exec): cutime + cstime. */
    static double childCpuSeconds() throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        // After the ")" that ends the command name come fields 3…: cutime and cstime are fields 16 and 17.
        List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        return (Long.parseLong(f.get(13)) + Long.parseLong(f.get(14))) / 100.0;
    }
}
