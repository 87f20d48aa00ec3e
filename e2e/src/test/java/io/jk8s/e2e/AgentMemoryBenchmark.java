package io.jk8s.e2e;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.jk8s.e2e.Expect.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The agent's memory with 30 pods (issue 5's target: RSS < 150 MB): {@code jk8s server --disable-agent} and
 * {@code jk8s agent} joined by token, both in one network namespace of their own (its only link is a veth pair
 * inside it, so nothing the agent programs touches the host's network), the agent started through the launcher so it
 * runs with the JVM options users get ({@code -Dagent.javaOpts=...} adds {@code JK8S_JAVA_OPTS} to compare flags). a Deployment of 30 busybox pods runs on the agent's node (the only one); once all run, the agent
 * process's VmRSS is sampled for {@value #SAMPLE_SECONDS} s (G1 gives memory back on a 15 s period) and the
 * last and highest values are printed. Not part of the suite (no *Test name); run on demand:
 * {@code mvn -B -o -pl e2e test -Dtest=AgentMemoryBenchmark} (report in {@code target/agent-memory.txt};
 * {@code -Dagent.jcmd='GC.class_histogram;Thread.print'} appends those jcmd outputs).
 */
@Tag("containerd")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class AgentMemoryBenchmark {

    private static final Pattern PRINTED = Pattern.compile("jk8s agent --server (https://\\S+) --token (K10\\S+)");
    private static final int API_PORT = 6443;
    private static final int PODS = 30;
    private static final int SAMPLE_SECONDS = 40;
    private static final String NODE = "mem-agent";
    private static final String NETNS = "jk8smem";
    private static final String ADDRESS = "10.254.77.1";
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void agentRssWithThirtyPods() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the agent needs root (containerd, netns, iptables)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/containerd")), "containerd is not installed (scripts/install-deps)");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jk8s-mem-");
        Process server = null;
        Process agent = null;
        Kubectl kubectl = null;
        try {
            createNetns();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            server = inNetns(dir.resolve("server.log"), List.of(java, "-jar", Jk8sServer.jar().toString(), "server",
                    "--disable-agent", "--data-dir", dir.resolve("s").toString(), "--https-port", Integer.toString(API_PORT)));
            Path adminKubeconfig = dir.resolve("s/admin.kubeconfig");
            Process s = server;
            await("admin kubeconfig").atMost(WAIT).until(() -> alive(s) && Files.exists(adminKubeconfig));
            // kubectl runs inside the namespace too: the API is reachable only there.
            Path kubectlInNetns = Files.writeString(dir.resolve("kubectl"), "#!/bin/sh\nexec nsenter --net=/var/run/netns/" + NETNS
                    + " -- " + Kubectl.DEFAULT_BINARY + " \"$@\"\n");
            kubectlInNetns.toFile().setExecutable(true);
            Kubectl k = kubectl = new Kubectl(kubectlInNetns, adminKubeconfig, dir.resolve("kube-cache"));
            await("API ready").atMost(WAIT).until(() -> alive(s) && k.run("get", "--raw", "/readyz").ok());
            Process tokenCreate = inNetns(dir.resolve("token.out"), List.of(java, "-jar", Jk8sServer.jar().toString(),
                    "token", "create", "--kubeconfig", adminKubeconfig.toString()));
            assertThat(tokenCreate.waitFor(180, TimeUnit.SECONDS)).as("jk8s token create finished").isTrue();
            String printed = Files.readString(dir.resolve("token.out"));
            Matcher join = PRINTED.matcher(printed);
            assertThat(join.find()).as("token create printed the agent command:%n%s", printed).isTrue();

            // Through the launcher, as a user runs it: its JVM options are part of what is measured.
            agent = inNetns(dir.resolve("agent.log"), List.of("env", "JK8S_JAR=" + Jk8sServer.jar(), "JK8S_NO_BUILD=1",
                    "JK8S_JAVA_OPTS=" + System.getProperty("agent.javaOpts", ""), "JAVA_HOME=" + System.getProperty("java.home"),
                    Path.of("..", "jk8s").toAbsolutePath().normalize().toString(),
                    "agent", "--server", "https://" + ADDRESS + ":" + API_PORT, "--token", join.group(2),
                    "--data-dir", dir.resolve("a").toString(), "--node-name", NODE, "--node-ip", ADDRESS));
            Process a = agent;
            await("node Ready").atMost(WAIT).untilAsserted(() -> {
                assertThat(alive(a)).isTrue();
                assertThat(k.run("get", "node", NODE, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").stdout())
                        .isEqualTo("True");
            });
            long idleKb = status(agent.pid()).get("VmRSS");
            boolean nmt = System.getProperty("agent.javaOpts", "").contains("NativeMemoryTracking");
            if (nmt) { // what the pods add is then reported as a diff against the idle agent
                NetnsMachines.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(agent.pid()),
                        "VM.native_memory", "baseline");
            }

            // One request (30 single creates outlast kubectl's timeout on a loaded machine); the only node is the agent's.
            long cpuBeforeTicks = cpuTicks(agent.pid());
            long createdNanos = System.nanoTime();
            ok(kubectl.run("create", "deployment", "mem", "--image=busybox:1.35", "--replicas=" + PODS, "--", "sleep", "3600"));
            await(PODS + " pods Running").atMost(WAIT).untilAsserted(() -> {
                assertThat(alive(a)).isTrue();
                String phases = ok(k.run("get", "pods", "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"));
                assertThat(phases.lines().filter("Running"::equals).count()).as(phases).isEqualTo(PODS);
            });

            double startSeconds = (System.nanoTime() - createdNanos) / 1e9;
            // JVM flags trade memory for CPU (e.g. fewer compiled methods): the agent's CPU for the burst is part of the result.
            long startCpuMs = (cpuTicks(agent.pid()) - cpuBeforeTicks) * 10;
            long maxKb = 0;
            Map<String, Long> last = Map.of();
            for (int second = 0; second < SAMPLE_SECONDS; second++) {
                last = status(agent.pid());
                maxKb = Math.max(maxKb, last.get("VmRSS"));
                Thread.sleep(1000); // sampling period of the measurement, not a wait for a condition
            }
            String report = "jk8s agent (kubelet + proxy + network agent, launcher JVM options) with " + PODS + " pods running:\n"
                    + "  JK8S_JAVA_OPTS: '" + System.getProperty("agent.javaOpts", "") + "'\n"
                    + "  VmRSS " + last.get("VmRSS") / 1024 + " MiB after " + SAMPLE_SECONDS + " s (max while sampling "
                    + maxKb / 1024 + " MiB; idle before pods " + idleKb / 1024 + " MiB), threads " + last.get("Threads") + "\n"
                    + "  of which RssAnon " + last.get("RssAnon") / 1024 + " MiB, RssFile " + last.get("RssFile") / 1024
                    + " MiB (mapped jar and class-data-sharing archive: clean pages the kernel can drop or share)\n"
                    + "  agent CPU while the " + PODS + " pods started: " + startCpuMs + " ms (" + startCpuMs / PODS
                    + " ms per pod); all Running " + String.format("%.1f", startSeconds) + " s after the create\n"
                    + "  load average: " + Files.readString(Path.of("/proc/loadavg")).strip() + "\n";
            if (nmt) {
                report += NetnsMachines.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(agent.pid()), "VM.native_memory", "summary").output();
                report += "Change since the idle agent (before the pods):\n" + NetnsMachines.run(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(agent.pid()),
                        "VM.native_memory", "summary.diff").output();
                report += NetnsMachines.run(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(agent.pid()), "GC.heap_info").output();
            }
            // -Dagent.jcmd='GC.class_histogram;Thread.print' appends those diagnostic commands' output (after the samples).
            for (String command : System.getProperty("agent.jcmd", "").split(";")) {
                if (command.isBlank()) continue;
                List<String> jcmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(agent.pid())));
                jcmd.addAll(List.of(command.strip().split("\\s+")));
                report += NetnsMachines.run(jcmd.toArray(String[]::new)).output();
            }
            if (!System.getProperty("agent.jcmd", "").isBlank()) { // e.g. how much a full collection (GC.run) gives back
                Map<String, Long> after = status(agent.pid());
                report += "VmRSS after the jcmd commands: " + after.get("VmRSS") / 1024 + " MiB (RssAnon "
                        + after.get("RssAnon") / 1024 + " MiB)\n";
            }
            System.out.println(report);
            Files.writeString(Path.of("target", "agent-memory.txt"), report);
            // What each mapping holds (scripts/rss-breakdown reads this file format): -Dagent.smaps=true.
            if (Boolean.getBoolean("agent.smaps")) {
                Files.copy(Path.of("/proc", Long.toString(agent.pid()), "smaps"), Path.of("target", "agent-memory-smaps.txt"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (kubectl != null && server != null && server.isAlive() && agent != null && agent.isAlive()) {
                kubectl.run("delete", "deployment", "mem", "--ignore-not-found", "--wait=false");
                kubectl.run("delete", "pods", "--all", "--grace-period=0", "--timeout=90s");
            }
            for (Process p : new Process[]{agent, server}) {
                if (p != null) {
                    p.destroy();
                    if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
                }
            }
            for (String log : List.of("server.log", "agent.log")) { // kept for a failed or surprising run
                if (Files.exists(dir.resolve(log))) Files.copy(dir.resolve(log), Path.of("target", "agent-memory-" + log),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            ContainerdLeftovers.removeUnder(dir);
            NetnsMachines.run("ip", "netns", "del", NETNS); // cni0, the agent's iptables rules and routes go with it
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The namespace with one address on a veth pair whose both ends stay inside it. */
    private static void createNetns() throws IOException {
        NetnsMachines.run("ip", "netns", "del", NETNS); // left over from a killed run
        for (String[] command : new String[][]{{"ip", "netns", "add", NETNS}, {"ip", "-n", NETNS, "link", "set", "lo", "up"},
                {"ip", "-n", NETNS, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1"},
                {"ip", "-n", NETNS, "addr", "add", ADDRESS + "/24", "dev", "eth0"},
                {"ip", "-n", NETNS, "link", "set", "eth0", "up"}, {"ip", "-n", NETNS, "link", "set", "eth1", "up"}}) {
            NetnsMachines.Result r = NetnsMachines.run(command);
            if (r.exitCode() != 0) throw new IOException(String.join(" ", command) + ": " + r.output());
        }
    }

    /** Only the network namespace changes ({@code ip netns exec} would remount /sys without the cgroup mount runc needs). */
    private static Process inNetns(Path log, List<String> command) throws IOException {
        List<String> c = new ArrayList<>(List.of("nsenter", "--net=/var/run/netns/" + NETNS, "--"));
        c.addAll(command);
        Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "jk8s-mem-reaper"));
        return p;
    }

    private static boolean alive(Process p) {
        if (!p.isAlive()) throw new IllegalStateException("process exited with " + p.exitValue());
        return true;
    }

    /** User + system CPU of a process in clock ticks (USER_HZ, 100 per second on Linux), from /proc/PID/stat. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // fields from the 3rd (state) on
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime: fields 14 and 15
    }

    /** VmRSS, RssAnon, RssFile (kB) and Threads of a process, from /proc. */
    private static Map<String, Long> status(long pid) throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            String[] kv = line.split(":\\s+", 2);
            if (kv.length == 2 && List.of("VmRSS", "RssAnon", "RssFile", "Threads").contains(kv[0])) {
                values.put(kv[0], Long.parseLong(kv[1].replaceAll("\\D", "")));
            }
        }
        return values;
    }
}
