package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.kubelet.cni.CniNetwork;
import io.jk8s.kubelet.NodeRuntime;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.ContainerFilter;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.ExecSyncResponse;
import io.jk8s.kubelet.cri.v1.PodSandbox;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A real containerd for tests: own data dir under /tmp, own bridge and pod subnet, images
 * imported. {@link #close()} removes every sandbox, stops containerd and checks that nothing
 * (process, mount, bridge) is left behind.
 */
final class ContainerdFixture implements AutoCloseable {

    /** A subnet and bridge no real agent uses, so tests never collide with a running cluster. */
    static final String POD_CIDR = "10.250.77.0/24";
    static final String BRIDGE = "jk8s-it0";

    final Path dataDir;
    final Path agentDir;
    final NodeRuntime runtime;
    final ContainerdSupervisor supervisor;
    final ContainerRuntime cri;

    private ContainerdFixture(Path dataDir, NodeRuntime runtime) {
        this.dataDir = dataDir;
        this.agentDir = dataDir.resolve("agent");
        this.runtime = runtime;
        this.supervisor = runtime.supervisor().orElseThrow();
        this.cri = runtime.cri();
    }

    static void assumeRootWithContainerd() {
        assumeThat(isRoot()).as("containerd tests need root (they start containerd, create netns)").isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/containerd")))
                .as("containerd tests need /usr/bin/containerd (scripts/install-deps)").isTrue();
    }

    static ContainerdFixture start() throws Exception {
        assumeRootWithContainerd();
        Path dataDir = Files.createTempDirectory("jk8s-kubelet-it");
        Path agent = dataDir.resolve("agent");
        NodeRuntime runtime = NodeRuntime.start(NodeRuntime.Options.defaults(agent)
                .withNetwork(new CniNetwork("jk8s-it", BRIDGE, POD_CIDR, agent.resolve("cni/networks"))));
        return new ContainerdFixture(dataDir, runtime);
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops and removes all sandboxes (and so all containers) this containerd knows. */
    void removeAllPods() {
        for (PodSandbox sandbox : cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())) {
            cri.listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandbox.getId()).build())
                    .forEach(c -> cri.removeContainer(c.getId()));
            cri.stopPodSandbox(sandbox.getId());
            cri.removePodSandbox(sandbox.getId());
        }
    }

    /** Mount points under the data dir (overlay rootfs, shm) that are still mounted. */
    List<String> leftoverMounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4]).filter(m -> m.startsWith(dataDir.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes whose command line mentions the data dir (containerd, shims). */
    List<String> leftoverProcesses() {
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmdline = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline")).replace('\0', ' ');
                if (cmdline.contains(dataDir.toString())) {
                    found.add(p.pid() + ": " + cmdline);
                }
            } catch (IOException e) {
                // process gone meanwhile
            }
        });
        return found;
    }

    private boolean stopped;

    /** Removes all pods and stops containerd; afterwards the leftover checks are meaningful. */
    void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            removeAllPods();
        } catch (CriException e) {
            // containerd may already be down; the leftover checks tell what remains
        }
        runtime.close();
    }

    /**
     * A test's teardown: closes {@code parts} in the order given (nulls skipped: set-up may have failed
     * half way), then stops containerd, checks that no process or mount is left, and removes the fixture.
     */
    /** Runs {@code sh -c script} in the pod's (first) running container, asserts exit code 0 and returns its stdout. */
    String exec(Pod pod, String script) {
        String id = cri.listContainers(ContainerFilter.newBuilder()
                        .putLabelSelector("io.kubernetes.pod.uid", pod.getMetadata().getUid()).build()).stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).findFirst().orElseThrow().getId();
        ExecSyncResponse r = cri.execSync(id, List.of("sh", "-c", script), Duration.ofSeconds(10));
        assertThat(r.getExitCode()).as("exit code of %s (stderr %s)", script, r.getStderr().toStringUtf8()).isZero();
        return r.getStdout().toStringUtf8();
    }

    static void tearDown(ContainerdFixture fixture, AutoCloseable... parts) throws Exception {
        for (AutoCloseable part : parts) {
            if (part != null) part.close();
        }
        if (fixture == null) {
            return;
        }
        try {
            fixture.stopAll();
            assertThat(fixture.leftoverProcesses()).as("containerd and shims are gone").isEmpty();
            assertThat(fixture.leftoverMounts()).as("no rootfs or shm mounts remain").isEmpty();
        } finally {
            fixture.close();
        }
    }

    @Override
    public void close() throws Exception {
        stopAll();
        // Keep containerd's log for diagnosis; the data dir itself goes away.
        Path log = supervisor.config().logFile();
        if (Files.exists(log) && Files.isDirectory(Path.of("target"))) {
            Files.copy(log, Path.of("target", "containerd-it.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        run("ip", "link", "delete", BRIDGE);
        if (leftoverMounts().isEmpty()) {
            deleteTree(dataDir);
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
