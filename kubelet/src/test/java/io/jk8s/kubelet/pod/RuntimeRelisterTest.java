package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RuntimeRelisterTest {

    private static final String IMAGE = "docker.io/library/busybox:1.35";

    @TempDir
    Path dir;

    private final FakeRuntime cri = new FakeRuntime();
    private final List<String> changed = new ArrayList<>();
    private final List<String> orphans = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private PodSyncer syncer;
    private RuntimeRelister relister;

    @BeforeEach
    void setUp() {
        cri.images.add(IMAGE);
        Backoff backoff = Backoff.containerRestarts(Clock.systemUTC());
        syncer = new PodSyncer(cri, new RuntimeConfigs(new RuntimeConfigs.Settings(dir, dir, Optional.empty(),
                "cluster.local", "node-1")), new ImageManager(cri, backoff), backoff,
                new PodStatusBuilder(Clock.systemUTC()), new Prober(cri, Clock.systemUTC()), "192.168.1.5");
        relister = new RuntimeRelister(cri, changed::add, orphans::add, () -> known);
    }

    private Pod runPod(String uid) {
        Pod pod = new PodBuilder().withNewMetadata().withName(uid).withNamespace("ns").withUid(uid).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build();
        known.add(uid);
        syncer.sync(pod);
        return pod;
    }

    @Test
    void reportsOnlyPodsWhoseContainersChanged() {
        runPod("a");
        runPod("b");
        relister.relist();
        assertThat(changed).as("first seen running as their workers left them: nothing to wake").isEmpty();

        relister.relist();
        assertThat(changed).isEmpty();

        cri.exit("app", 1); // the newest "app" container: pod b's
        relister.relist();
        assertThat(changed).containsExactly("b");
        assertThat(orphans).isEmpty();
    }

    @Test
    void reportsPodsTheApiNoLongerHasAsOrphans() {
        runPod("a");
        known.remove("a");
        relister.relist();
        assertThat(orphans).containsExactly("a");
        assertThat(changed).isEmpty();
    }

    @Test
    void aPodFirstSeenWithAnExitedContainerIsReported() {
        runPod("a");
        cri.exit("app", 1);
        relister.relist();
        assertThat(changed).containsExactly("a");
    }
}
