package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PodWorkersTest {

    private static final String IMAGE = "docker.io/library/busybox:1.35";

    @TempDir
    Path dir;

    private final FakeRuntime cri = new FakeRuntime();
    private final List<PodStatus> reported = new CopyOnWriteArrayList<>();
    private final List<String> terminated = new CopyOnWriteArrayList<>();
    private PodWorkers workers;

    @BeforeEach
    void setUp() {
        cri.images.add(IMAGE);
        Backoff backoff = Backoff.containerRestarts(Clock.systemUTC());
        RuntimeConfigs configs = new RuntimeConfigs(new RuntimeConfigs.Settings(dir.resolve("logs"), dir.resolve("pods"),
                Optional.empty(), "cluster.local", "node-1"));
        PodSyncer syncer = new PodSyncer(cri, configs, new ImageManager(cri, backoff), backoff,
                new PodStatusBuilder(Clock.systemUTC()), new Prober(cri, Clock.systemUTC()), "192.168.1.5");
        workers = new PodWorkers(syncer, new PodStatusSink() {
            @Override
            public void report(Pod pod, PodStatus status) {
                reported.add(status);
            }

            @Override
            public void terminated(Pod pod) {
                terminated.add(pod.getMetadata().getName());
            }
        }, Duration.ofSeconds(30));
    }

    @AfterEach
    void tearDown() {
        workers.close();
    }

    private static Pod pod(String uid) {
        return new PodBuilder().withNewMetadata().withName("p-" + uid).withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build();
    }

    @Test
    void startsPodAndReportsRunningStatusOnce() {
        workers.update(pod("u1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> reported.stream().anyMatch(s -> "Running".equals(s.getPhase())));
        workers.update(pod("u1")); // same spec: no new status report
        await().atMost(Duration.ofSeconds(5)).until(() -> cri.running().size() == 1);
        assertThat(reported).hasSize(1);
    }

    @Test
    void runtimeChangeWakesTheWorker() {
        workers.update(pod("u1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cri.running().size() == 1);
        cri.exit("app", 1);
        workers.poke("u1");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(reported).last()
                .satisfies(s -> assertThat(s.getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1)));
    }

    @Test
    void deletionStopsContainersReportsTerminationAndRemovalCleansUp() {
        Pod pod = pod("u1");
        workers.update(pod);
        await().atMost(Duration.ofSeconds(5)).until(() -> cri.running().size() == 1);

        workers.update(new PodBuilder(pod).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .withDeletionGracePeriodSeconds(1L).endMetadata().build());
        await().atMost(Duration.ofSeconds(5)).until(() -> terminated.contains("p-u1"));
        assertThat(cri.running()).isEmpty();

        workers.remove("u1");
        await().atMost(Duration.ofSeconds(5)).until(() -> workers.uids().isEmpty());
        assertThat(cri.sandboxes).isEmpty();
    }

    @Test
    void podsProgressIndependently() {
        workers.update(pod("u1"));
        workers.update(pod("u2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> cri.running().size() == 2);
        assertThat(workers.uids()).containsExactlyInAnyOrder("u1", "u2");
    }

    @Test
    void statusOnlyUpdatesDoNotAskForASyncButSpecMetadataAndForeignPhaseChangesDo() {
        Pod current = new PodBuilder(pod("u1")).editMetadata().withResourceVersion("1").endMetadata()
                .withNewStatus().withPhase("Pending").endStatus().build();
        PodStatus reportedRunning = new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.5").build();
        // The echo of the kubelet's own status write: new resourceVersion, new status, nothing else.
        Pod echo = new PodBuilder(current).editMetadata().withResourceVersion("2").endMetadata().withStatus(reportedRunning).build();
        assertThat(PodWorkers.needsSync(current, echo, reportedRunning)).isFalse();
        assertThat(PodWorkers.needsSync(current, new PodBuilder(current).editOrNewStatus().addNewCondition()
                .withType("DisruptionTarget").withStatus("True").endCondition().endStatus().build(), null)).isFalse();

        assertThat(PodWorkers.needsSync(current, new PodBuilder(echo).editSpec().editFirstContainer().withImage("other:1")
                .endContainer().endSpec().build(), reportedRunning)).as("spec change").isTrue();
        assertThat(PodWorkers.needsSync(current, new PodBuilder(echo).editMetadata().addToLabels("a", "b").endMetadata().build(),
                reportedRunning)).as("label change").isTrue();
        assertThat(PodWorkers.needsSync(current, new PodBuilder(echo).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z")
                .withDeletionGracePeriodSeconds(30L).endMetadata().build(), reportedRunning)).as("deletion").isTrue();
        assertThat(PodWorkers.needsSync(current, new PodBuilder(echo).editStatus().withPhase("Failed").endStatus().build(),
                reportedRunning)).as("phase set by another writer").isTrue();
    }
}
