package io.jk8s.kubelet.containerd;

import io.jk8s.kubelet.cri.v1.ContainerConfig;
import io.jk8s.kubelet.cri.v1.ContainerMetadata;
import io.jk8s.kubelet.cri.v1.ImageSpec;
import io.jk8s.kubelet.image.ImageBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Time to a running busybox container: CRI RunPodSandbox + CreateContainer + StartContainer
 * (with CNI networking) next to {@code ctr run -d} of the same image (no sandbox, no CNI) on
 * the same containerd. Not part of the normal build; run with
 * {@code mvn -pl kubelet test -Dtest=PodStartupBenchmark -Dkubelet.excludedGroups=none}.
 */
@Tag("containerd")
@Tag("bench")
class PodStartupBenchmark {

    private static final int WARMUP = 2;
    private static final int RUNS = 10;

    @Test
    void measureStartup() throws Exception {
        try (ContainerdFixture fixture = ContainerdFixture.start()) {
            List<Long> cri = new ArrayList<>();
            List<Long> ctr = new ArrayList<>();
            for (int i = 0; i < WARMUP + RUNS; i++) {
                ContainerdIntegrationTest.Pod pod = ContainerdIntegrationTest.Pod.create("bench-" + i, fixture.agentDir);
                ContainerConfig sleeper = ContainerConfig.newBuilder()
                        .setMetadata(ContainerMetadata.newBuilder().setName("sleep"))
                        .setImage(ImageSpec.newBuilder().setImage(ImageBuilder.BUSYBOX))
                        .addAllCommand(List.of("sleep", "3600"))
                        .setLogPath("sleep/0.log").build();
                long start = System.nanoTime();
                String sandbox = fixture.cri.runPodSandbox(pod.config(), "");
                String container = fixture.cri.createContainer(sandbox, sleeper, pod.config());
                fixture.cri.startContainer(container);
                long criNanos = System.nanoTime() - start;
                fixture.removeAllPods();

                String id = "ctr-bench-" + i;
                start = System.nanoTime();
                ctr(fixture, "run", "-d", ImageBuilder.BUSYBOX, id, "sleep", "3600");
                long ctrNanos = System.nanoTime() - start;
                ctr(fixture, "task", "kill", "-s", "SIGKILL", id);
                waitForTaskExit(fixture, id);
                ctr(fixture, "task", "delete", id);
                ctr(fixture, "container", "delete", id);

                if (i >= WARMUP) {
                    cri.add(criNanos / 1_000_000);
                    ctr.add(ctrNanos / 1_000_000);
                }
            }
            String report = "CRI RunPodSandbox+CreateContainer+StartContainer ms: p50=" + p50(cri) + " all=" + cri
                    + "\nctr run -d ms: p50=" + p50(ctr) + " all=" + ctr + "\n";
            System.out.println(report);
            Files.writeString(Path.of("target", "pod-startup-benchmark.txt"), report);
            assertThat(cri).hasSize(RUNS);
        }
    }

    private static long p50(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void waitForTaskExit(ContainerdFixture fixture, String id) throws Exception {
        ctr(fixture, "task", "wait", id);
    }

    private static String ctr(ContainerdFixture fixture, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/ctr", "--address", fixture.supervisor.socket().toString(),
                "--namespace", "k8s.io"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // `task wait` reports the exit status of the killed task (137) as its own.
        if (!args[1].equals("wait")) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        }
        return out;
    }
}
