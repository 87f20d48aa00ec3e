package io.jk8s.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several "machines" as network namespaces {@code <prefix>1..n} on one L2 segment: a bridge in the
 * test's own namespace holds {@value #HOST_IP} (so the test process, kubectl and HTTP clients reach the
 * machines as from outside) and machine {@code i} has eth0 = {@code 192.168.79.1i/24}. No default
 * route: nothing a machine sends can leave this segment. The mount namespace is shared, so every
 * machine's containerd needs its own data directory.
 *
 * <p>{@link #close()} kills what still runs in the namespaces and deletes them with the bridge; pod
 * namespaces and shims the machines' containerds created are the caller's to remove first.
 */
final class NetnsMachines implements AutoCloseable {

    static final String HOST_IP = "192.168.79.1";

    private final String prefix;
    private final String bridge;
    private final List<String> created = new ArrayList<>();

    NetnsMachines(String prefix) {
        this.prefix = prefix;
        this.bridge = prefix + "br";
    }

    String name(int i) {
        return prefix + i;
    }

    static String ip(int i) {
        return "192.168.79.1" + i;
    }

    NetnsMachines create(int count) throws IOException {
        run("ip", "link", "del", bridge); // left over from a killed run
        // A plain switch: frames between machines skip this namespace's iptables (br_netfilter), where
        // another test's agent on the host may have rules of its own.
        check("ip", "link", "add", bridge, "type", "bridge", "nf_call_iptables", "0");
        check("ip", "addr", "add", HOST_IP + "/24", "dev", bridge);
        check("ip", "link", "set", bridge, "up");
        for (int i = 1; i <= count; i++) {
            String ns = name(i);
            run("ip", "netns", "del", ns);
            check("ip", "netns", "add", ns);
            created.add(ns);
            check("ip", "link", "add", ns + "h", "type", "veth", "peer", "name", "eth0", "netns", ns);
            check("ip", "link", "set", ns + "h", "master", bridge, "up");
            check("ip", "-n", ns, "addr", "add", ip(i) + "/24", "dev", "eth0");
            check("ip", "-n", ns, "link", "set", "eth0", "up");
            check("ip", "-n", ns, "link", "set", "lo", "up");
        }
        return this;
    }

    /** {@code command} as a process inside machine {@code i}'s network namespace, output appended to {@code log}. */
    Process start(int i, Path log, List<String> command) throws IOException {
        List<String> c = inNetns(i);
        c.addAll(command);
        // nsenter execs the command: the Process is the command itself, and destroy() reaches it.
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "jk8s-e2e-netns-reaper"));
        return p;
    }

    /** Runs a command in machine {@code i}; its output (stdout and stderr). */
    String exec(int i, String... command) throws IOException {
        List<String> c = inNetns(i);
        c.addAll(List.of(command));
        return run(c.toArray(String[]::new)).output;
    }

    /**
     * Only the network namespace changes: {@code ip netns exec} would also give the command a mount namespace
     * with a fresh /sys, without the cgroup mount runc needs to start containers.
     */
    private List<String> inNetns(int i) {
        return new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + name(i), "--"));
    }

    @Override
    public void close() throws IOException {
        for (String ns : created.reversed()) {
            for (String pid : run("ip", "netns", "pids", ns).output.strip().split("\\s+")) {
                if (!pid.isEmpty()) run("kill", "-9", pid);
            }
            run("ip", "netns", "del", ns);
        }
        run("ip", "link", "del", bridge);
    }

    record Result(int exitCode, String output) {}

    static Result run(String... command) throws IOException {
        Path out = Files.createTempFile("jk8s-netns-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " did not finish");
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void check(String... command) throws IOException {
        Result r = run(command);
        if (r.exitCode != 0) throw new IOException(String.join(" ", command) + " failed: " + r.output);
    }
}
