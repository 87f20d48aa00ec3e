package io.jk8s.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several "machines" as network namespaces {@code <prefix>1..n} on one L2 segment: a bridge in the
 * test's own namespace holds {@value #HOST_IP} by default (so the test process, kubectl and HTTP clients reach the
 * machines as from outside) and machine {@code i} has eth0 = {@code 192.168.79.1i/24}. No default
 * route: nothing a machine sends can leave this segment. The mount namespace is shared, so every
 * machine's containerd needs its own data directory.
 *
 * <p>With {@link #create(int, int)} the machines from {@code firstRouted} on sit on a second segment,
 * by default {@value #ROUTED_SUBNET}.0/24 ({@code 192.168.80.1i}), reached only through a router namespace
 * ({@code <prefix>r}, .254 on both segments): they share no L2 subnet with the others, as machines in
 * another rack, so the pod network must tunnel to them (VXLAN).
 *
 * <p>{@link #close()} kills what still runs in the namespaces and deletes them with the bridges; pod
 * namespaces and shims the machines' containerds created are the caller's to remove first.
 */
final class NetnsMachines implements AutoCloseable {

    static final String HOST_IP = "192.168.79.1";
    static final String ROUTED_SUBNET = "192.168.80";

    private final String prefix;
    /** First three octets of each segment: tests running at once need distinct ones (the host routes to both). */
    private final String subnet;
    private final String routedSubnet;
    private final String bridge;
    private final String routedBridge;
    private final String router;
    private final List<String> created = new ArrayList<>();
    private int firstRouted = Integer.MAX_VALUE;

    NetnsMachines(String prefix) {
        this(prefix, "192.168.79", ROUTED_SUBNET);
    }

    /** Machines on {@code subnet}.0/24 and, behind the router, {@code routedSubnet}.0/24 (e.g. "192.168.81"). */
    NetnsMachines(String prefix, String subnet, String routedSubnet) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.routedSubnet = routedSubnet;
        this.bridge = prefix + "br";
        this.routedBridge = prefix + "br2";
        this.router = prefix + "r";
    }

    String name(int i) {
        return prefix + i;
    }

    /** Machine {@code i}'s address on the default first segment (all machines of {@link #create(int)}). */
    static String ip(int i) {
        return "192.168.79.1" + i;
    }

    /** Machine {@code i}'s address, on whichever segment it sits. */
    String address(int i) {
        return (i >= firstRouted ? routedSubnet : subnet) + ".1" + i;
    }

    NetnsMachines create(int count) throws IOException {
        return create(count, count + 1);
    }

    /** {@code count} machines; those numbered {@code firstRouted} and up behind the router on the second segment. */
    NetnsMachines create(int count, int firstRouted) throws IOException {
        this.firstRouted = firstRouted;
        boolean routed = firstRouted <= count;
        run("ip", "link", "del", bridge); // left over from a killed run
        run("ip", "link", "del", routedBridge);
        // A plain switch: frames between machines skip this namespace's iptables (br_netfilter), where
        // another test's agent on the host may have rules of its own.
        check("ip", "link", "add", bridge, "type", "bridge", "nf_call_iptables", "0");
        check("ip", "addr", "add", subnet + ".1/24", "dev", bridge);
        check("ip", "link", "set", bridge, "up");
        if (routed) {
            check("ip", "link", "add", routedBridge, "type", "bridge", "nf_call_iptables", "0");
            check("ip", "link", "set", routedBridge, "up");
            addNamespace(router);
            plug(router, router + "a", bridge, "eth0", subnet + ".254");
            plug(router, router + "b", routedBridge, "eth1", routedSubnet + ".254");
            check("nsenter", "--net=/var/run/netns/" + router, "--", "sysctl", "-qw", "net.ipv4.ip_forward=1");
            // The test's own namespace reaches the routed machines through the router too (goes with the bridge).
            check("ip", "route", "replace", routedSubnet + ".0/24", "via", subnet + ".254", "dev", bridge);
        }
        for (int i = 1; i <= count; i++) {
            String ns = name(i);
            addNamespace(ns);
            boolean behindRouter = i >= firstRouted;
            plug(ns, ns + "h", behindRouter ? routedBridge : bridge, "eth0", address(i));
            if (behindRouter) {
                check("ip", "-n", ns, "route", "add", subnet + ".0/24", "via", routedSubnet + ".254");
            } else if (routed) {
                check("ip", "-n", ns, "route", "add", routedSubnet + ".0/24", "via", subnet + ".254");
            }
        }
        return this;
    }

    private void addNamespace(String ns) throws IOException {
        run("ip", "netns", "del", ns);
        check("ip", "netns", "add", ns);
        created.add(ns);
        check("ip", "-n", ns, "link", "set", "lo", "up");
    }

    /** A veth from {@code switchBridge} (host end {@code hostEnd}) to {@code ns}'s {@code device} holding {@code address}/24. */
    private static void plug(String ns, String hostEnd, String switchBridge, String device, String address) throws IOException {
        // A deleted namespace can outlive its run for a while (the kernel frees it lazily) and keep this end alive.
        run("ip", "link", "del", hostEnd);
        check("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", device, "netns", ns);
        check("ip", "link", "set", hostEnd, "master", switchBridge, "up");
        check("ip", "-n", ns, "addr", "add", address + "/24", "dev", device);
        check("ip", "-n", ns, "link", "set", device, "up");
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
        run("ip", "link", "del", routedBridge);
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
