package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.jk8s.apiserver.testing.ManualClock;
import io.jk8s.kubelet.cri.v1.PodSandboxState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PodSyncerTest {

    private static final String IMAGE = "docker.io/library/busybox:1.35";

    @TempDir
    Path dir;

    private final FakeRuntime cri = new FakeRuntime();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private PodSyncer syncer;

    @BeforeEach
    void setUp() {
        cri.images.add(IMAGE);
        Backoff backoff = Backoff.containerRestarts(clock);
        RuntimeConfigs configs = new RuntimeConfigs(new RuntimeConfigs.Settings(dir.resolve("logs"), dir.resolve("pods"),
                Optional.of("10.96.0.10"), "cluster.local", "node-1"));
        syncer = new PodSyncer(cri, configs, new ImageManager(cri, backoff), backoff, new PodStatusBuilder(clock), new Prober(cri, clock), "192.168.1.5");
    }

    private static PodBuilder pod(String restartPolicy, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
                .withNewSpec().withNodeName("node-1").withRestartPolicy(restartPolicy).endSpec();
        for (String c : containers) {
            pod.editSpec().addToContainers(new ContainerBuilder().withName(c).withImage(IMAGE).build()).endSpec();
        }
        return pod;
    }

    /** Syncs, then feeds the status back into the pod as the API server would. */
    private Pod syncAndStore(Pod pod) {
        PodSyncer.Result result = syncer.sync(pod);
        return new PodBuilder(pod).withStatus(result.status()).build();
    }

    private static String condition(PodStatus status, String type) {
        return status.getConditions().stream().filter(c -> c.getType().equals(type)).map(PodCondition::getStatus)
                .findFirst().orElseThrow();
    }

    @Test
    void startsSandboxThenAppContainersAndReportsRunning() {
        Pod pod = syncAndStore(pod("Always", "web", "sidecar").build());

        assertThat(cri.sandboxes).hasSize(1);
        assertThat(cri.running()).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder("web", "sidecar");
        PodStatus status = pod.getStatus();
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(status.getPodIP()).isEqualTo("10.244.0.11");
        assertThat(status.getHostIP()).isEqualTo("192.168.1.5");
        assertThat(condition(status, "Ready")).isEqualTo("True");
        assertThat(condition(status, "Initialized")).isEqualTo("True");
        assertThat(status.getContainerStatuses()).allSatisfy(cs -> {
            assertThat(cs.getState().getRunning()).isNotNull();
            assertThat(cs.getRestartCount()).isZero();
            assertThat(cs.getContainerID()).startsWith("containerd://");
            assertThat(cs.getReady()).isTrue();
        });

        syncAndStore(pod);
        assertThat(cri.calls).filteredOn(c -> c.startsWith("CreateContainer")).hasSize(2); // nothing new on resync
    }

    @Test
    void newPodsStatusComesFromWhatItsSyncStartedWithoutListingTheRuntimeAgain() {
        PodStatus status = syncer.sync(pod("Always", "web", "sidecar").build()).status();

        // One look before the sandbox (is there one already?), the new sandbox's status for its IP, the two started
        // containers' statuses; the image status is asked while the sandbox starts. No second or third re-list.
        assertThat(cri.reads).filteredOn(r -> !r.equals("ImageStatus")).containsExactly(
                "ListPodSandbox", "ListContainers", "PodSandboxStatus", "ContainerStatus", "ContainerStatus");
        assertThat(cri.reads).filteredOn(r -> r.equals("ImageStatus")).hasSize(1); // both containers share the image
        // The same status a full re-list gives.
        Pod pod = pod("Always", "web", "sidecar").build();
        assertThat(status).usingRecursiveComparison().isEqualTo(new PodStatusBuilder(clock).build(pod,
                syncer.observe(pod), java.util.Map.of(), java.util.Set.of(), "192.168.1.5"));
        assertThat(status.getPhase()).isEqualTo("Running");
        assertThat(status.getPodIP()).isEqualTo("10.244.0.11");
    }

    @Test
    void runsInitContainersOneAtATimeBeforeAppContainers() {
        Pod pod = pod("Always", "app").editSpec()
                .addNewInitContainer().withName("init-1").withImage(IMAGE).endInitContainer()
                .addNewInitContainer().withName("init-2").withImage(IMAGE).endInitContainer().endSpec().build();

        pod = syncAndStore(pod);
        assertThat(cri.running()).extracting(c -> c.getMetadata().getName()).containsExactly("init-1");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(condition(pod.getStatus(), "Initialized")).isEqualTo("False");
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason())
                .isEqualTo("PodInitializing");

        cri.exit("init-1", 0);
        pod = syncAndStore(pod);
        assertThat(cri.running()).extracting(c -> c.getMetadata().getName()).containsExactly("init-2");

        cri.exit("init-2", 0);
        pod = syncAndStore(pod);
        assertThat(cri.running()).extracting(c -> c.getMetadata().getName()).containsExactly("app");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(condition(pod.getStatus(), "Initialized")).isEqualTo("True");
        assertThat(pod.getStatus().getInitContainerStatuses())
                .allSatisfy(s -> assertThat(s.getState().getTerminated().getReason()).isEqualTo("Completed"));
    }

    @Test
    void failedInitContainerFailsPodWhenRestartPolicyIsNever() {
        Pod pod = pod("Never", "app").editSpec()
                .addNewInitContainer().withName("init").withImage(IMAGE).endInitContainer().endSpec().build();
        pod = syncAndStore(pod);
        cri.exit("init", 2);
        pod = syncAndStore(pod);

        assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
        assertThat(cri.calls).noneMatch(c -> c.equals("CreateContainer app"));
    }

    @Test
    void restartsCrashedContainerWithBackOff() {
        Pod pod = syncAndStore(pod("Always", "app").build());

        cri.exit("app", 1);
        pod = syncAndStore(pod); // first restart is immediate
        assertThat(cri.running()).hasSize(1);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1);

        cri.exit("app", 1);
        PodSyncer.Result result = syncer.sync(pod);
        var status = result.status().getContainerStatuses().getFirst();
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);
        assertThat(result.status().getPhase()).isEqualTo("Running");
        assertThat(result.resyncAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10)));
        assertThat(cri.running()).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        pod = syncAndStore(pod);
        assertThat(cri.running()).hasSize(1);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(2);
        // Only the newest dead instance is kept, for `logs --previous`.
        assertThat(cri.containers).hasSize(2);
    }

    @Test
    void neverRestartPolicyEndsInSucceededOrFailed() {
        Pod ok = syncAndStore(pod("Never", "job").build());
        cri.exit("job", 0);
        ok = syncAndStore(ok);
        assertThat(ok.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(cri.sandboxes.values()).allMatch(s -> s.getState() == PodSandboxState.SANDBOX_NOTREADY);

        // Terminal pods stay terminal: no new sandbox, no restart.
        syncAndStore(ok);
        assertThat(cri.calls).filteredOn("RunPodSandbox"::equals).hasSize(1);
    }

    @Test
    void onFailureRestartsOnlyFailedContainers() {
        Pod pod = syncAndStore(pod("OnFailure", "a", "b").build());
        cri.exit("a", 0);
        cri.exit("b", 3);
        pod = syncAndStore(pod);
        assertThat(cri.running()).extracting(c -> c.getMetadata().getName()).containsExactly("b");
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void reportsImagePullErrorsThenBacksOff() {
        Pod pod = new PodBuilder(pod("Always").build()).editSpec()
                .addNewContainer().withName("app").withImage("registry.example/app:1").endContainer().endSpec().build();
        pod = syncAndStore(pod);
        assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ErrImagePull");

        pod = syncAndStore(pod);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getState().getWaiting().getReason()).isEqualTo("ImagePullBackOff");
        assertThat(cri.calls).filteredOn(c -> c.startsWith("PullImage")).hasSize(1);
    }

    @Test
    void recreatesDeadSandboxAndRestartsContainers() {
        Pod pod = syncAndStore(pod("Always", "app").build());
        cri.killSandbox(cri.sandboxes.keySet().iterator().next());

        pod = syncAndStore(pod);
        assertThat(cri.sandboxes).hasSize(2);
        assertThat(cri.sandboxes.values()).filteredOn(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                .singleElement().satisfies(s -> assertThat(s.getMetadata().getAttempt()).isEqualTo(1));
        assertThat(cri.running()).hasSize(1);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1);
        assertThat(pod.getStatus().getPodIP()).isEqualTo("10.244.0.13");
    }

    @Test
    void deletedPodIsStoppedAndCleanupRemovesEverything() {
        Pod pod = syncAndStore(pod("Always", "app").build());
        Pod deleting = new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .withDeletionGracePeriodSeconds(5L).endMetadata().build();

        PodSyncer.Result result = syncer.sync(deleting);
        assertThat(cri.running()).isEmpty();
        assertThat(cri.sandboxes.values()).allMatch(s -> s.getState() == PodSandboxState.SANDBOX_NOTREADY);
        assertThat(result.status().getContainerStatuses().getFirst().getState().getTerminated()).isNotNull();

        syncer.cleanup("uid-1");
        assertThat(cri.sandboxes).isEmpty();
        assertThat(cri.containers).isEmpty();
    }

    @Test
    void preStopHookRunsBeforeTheStopSignalWhichGetsTheRestOfTheGracePeriod() {
        Pod pod = syncAndStore(pod("Always", "app", "sidecar").editSpec().editFirstContainer().withNewLifecycle().withNewPreStop()
                .withNewExec().withCommand("sleep", "5").endExec().endPreStop().endLifecycle().endContainer().endSpec().build());
        String app = cri.running().stream().filter(c -> c.getMetadata().getName().equals("app")).findFirst().orElseThrow().getId();
        cri.calls.clear();

        syncer.sync(deleting(pod, 30));

        assertThat(cri.running()).isEmpty();
        assertThat(cri.calls).containsSubsequence("ExecSync sleep 5", "StopContainer");
        assertThat(cri.calls.stream().filter(c -> c.startsWith("ExecSync"))).hasSize(1); // only the container with a hook
        assertThat(cri.stopTimeouts.get(app)).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
    }

    @Test
    void preStopHookIsCutOffAtTheGracePeriodAndTheStopSignalStillGetsTwoSeconds() {
        Pod pod = syncAndStore(pod("Always", "app").editSpec().editFirstContainer().withNewLifecycle().withNewPreStop()
                .withNewSleep(30L).endPreStop().endLifecycle().endContainer().endSpec().build());
        String app = cri.running().getFirst().getId();

        long start = System.nanoTime();
        syncer.sync(deleting(pod, 1));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(cri.running()).isEmpty();
        assertThat(cri.stopTimeouts.get(app)).isEqualTo(Duration.ofSeconds(ContainerStopper.MIN_STOP_SECONDS));
    }

    @Test
    void containerKilledForItsLivenessProbeRunsItsPreStopHookFirst() {
        Pod pod = new PodBuilder(pod("Always", "app").build()).editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewExec().withCommand("alive").endExec().withPeriodSeconds(1)
                .withFailureThreshold(1).endLivenessProbe()
                .withNewLifecycle().withNewPreStop().withNewExec().withCommand("drain").endExec().endPreStop().endLifecycle()
                .endContainer().endSpec().build();
        pod = syncAndStore(pod);
        cri.execExitCode = 1;
        cri.calls.clear();
        clock.advance(Duration.ofSeconds(1));

        pod = syncAndStore(pod);

        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1);
        assertThat(cri.calls).containsSubsequence("ExecSync alive", "ExecSync drain", "StopContainer", "StartContainer");
    }

    @Test
    void forcedDeletionSkipsThePreStopHook() {
        Pod pod = syncAndStore(pod("Always", "app").editSpec().editFirstContainer().withNewLifecycle().withNewPreStop()
                .withNewExec().withCommand("sleep", "5").endExec().endPreStop().endLifecycle().endContainer().endSpec().build());
        cri.calls.clear();

        syncer.sync(deleting(pod, 0));

        assertThat(cri.running()).isEmpty();
        assertThat(cri.calls).noneMatch(c -> c.startsWith("ExecSync"));
    }

    private static Pod deleting(Pod pod, long graceSeconds) {
        return new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .withDeletionGracePeriodSeconds(graceSeconds).endMetadata().build();
    }

    @Test
    void keepsConditionTransitionTimesWhileUnchanged() {
        Pod pod = syncAndStore(pod("Always", "app").build());
        String readySince = pod.getStatus().getConditions().stream().filter(c -> c.getType().equals("Ready"))
                .findFirst().orElseThrow().getLastTransitionTime();
        clock.advance(Duration.ofMinutes(1));
        pod = syncAndStore(pod);
        assertThat(pod.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .singleElement().satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo(readySince));
    }

    @Test
    void replacesRunningContainerWhenItsSpecChanges() {
        Pod pod = syncAndStore(pod("Always", "app").build());
        String before = pod.getStatus().getContainerStatuses().getFirst().getContainerID();
        cri.images.add("docker.io/library/busybox:1.36");
        Pod updated = new PodBuilder(pod).editSpec().editFirstContainer().withImage("docker.io/library/busybox:1.36")
                .endContainer().endSpec().build();

        updated = syncAndStore(updated);
        assertThat(cri.running()).singleElement()
                .satisfies(c -> assertThat(c.getImage().getImage()).isEqualTo("docker.io/library/busybox:1.36"));
        assertThat(updated.getStatus().getContainerStatuses().getFirst().getContainerID()).isNotEqualTo(before);

        syncAndStore(updated); // stable once replaced
        assertThat(cri.calls).filteredOn(c -> c.startsWith("CreateContainer")).hasSize(2);
    }

    @Test
    void readinessProbeDecidesWhetherARunningContainerIsReady() {
        cri.execExitCode = 1;
        Pod pod = new PodBuilder(pod("Always", "app").build()).editSpec().editFirstContainer()
                .withNewReadinessProbe().withNewExec().withCommand("check").endExec().withPeriodSeconds(5).endReadinessProbe()
                .endContainer().endSpec().build();
        PodSyncer.Result first = syncer.sync(pod);
        pod = new PodBuilder(pod).withStatus(first.status()).build();
        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getReady()).isFalse();
        assertThat(condition(pod.getStatus(), "Ready")).isEqualTo("False");
        assertThat(first.resyncAfter()).contains(Duration.ofSeconds(1)); // probe the new container soon

        pod = syncAndStore(pod); // the probe runs and fails
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getReady()).isFalse();
        assertThat(cri.calls).contains("ExecSync check");

        cri.execExitCode = 0;
        pod = syncAndStore(pod); // not due yet: still not ready
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getReady()).isFalse();
        clock.advance(Duration.ofSeconds(5));
        pod = syncAndStore(pod);
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getReady()).isTrue();
        assertThat(condition(pod.getStatus(), "Ready")).isEqualTo("True");
    }

    @Test
    void failingLivenessProbeRestartsTheContainer() {
        Pod pod = new PodBuilder(pod("Always", "app").build()).editSpec().editFirstContainer()
                .withNewLivenessProbe().withNewExec().withCommand("alive").endExec().withPeriodSeconds(1)
                .withFailureThreshold(2).endLivenessProbe().endContainer().endSpec().build();
        pod = syncAndStore(pod);
        cri.execExitCode = 1;
        clock.advance(Duration.ofSeconds(1));
        pod = syncAndStore(pod); // first failure: below the threshold
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isZero();
        clock.advance(Duration.ofSeconds(1));
        pod = syncAndStore(pod); // second failure: killed and restarted
        assertThat(pod.getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1);
        assertThat(cri.running()).hasSize(1);
    }
}
