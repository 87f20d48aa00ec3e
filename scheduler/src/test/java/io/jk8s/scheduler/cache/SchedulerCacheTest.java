package io.jk8s.scheduler.cache;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.PodInfo;
import org.junit.jupiter.api.Test;

import static io.jk8s.scheduler.testing.Objects.bound;
import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulerCacheTest {

    private final SchedulerCache cache = new SchedulerCache();
    private final Snapshot snapshot = new Snapshot();

    @Test
    void assumedPodsCountUntilForgotten() {
        cache.addNode(node("n", "4", "8Gi").build());
        PodInfo p = PodInfo.of(pod("p", "1", "1Gi").build());
        cache.assumePod(p.withNodeName("n"), "n");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n").requested().milliCpu()).isEqualTo(1000);
        assertThat(cache.isAssumed(p)).isTrue();

        cache.forgetPod(p);
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n").requested().milliCpu()).isZero();
        assertThat(snapshot.get("n").pods()).isEmpty();
    }

    @Test
    void theObservedBindingConfirmsTheAssumption() {
        cache.addNode(node("n", "4", "8Gi").build());
        Pod pending = pod("p", "1", "1Gi").build();
        PodInfo p = PodInfo.of(pending);
        cache.assumePod(p.withNodeName("n"), "n");
        cache.addOrUpdatePod(PodInfo.of(bound(pending, "n")));
        assertThat(cache.isAssumed(p)).isFalse();
        cache.forgetPod(p); // no-op once confirmed
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("n").pods()).hasSize(1);
        assertThat(snapshot.get("n").requested().milliCpu()).isEqualTo(1000);
    }

    @Test
    void snapshotsCopyOnlyChangedNodesAndStayIsolated() {
        cache.addNode(node("a", "4", "8Gi").build());
        cache.addNode(node("b", "4", "8Gi").build());
        cache.updateSnapshot(snapshot);
        var bBefore = snapshot.get("b");
        cache.addOrUpdatePod(PodInfo.of(bound(pod("p", "1", "1Gi").build(), "a")));
        assertThat(snapshot.get("a").pods()).as("not visible before the refresh").isEmpty();
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("a").pods()).hasSize(1);
        assertThat(snapshot.get("b")).isSameAs(bBefore);
        assertThat(snapshot.list()).extracting(n -> n.name()).containsExactly("a", "b");
    }

    @Test
    void removedNodesLeaveTheSnapshotButTheirPodsStayAccounted() {
        cache.addNode(node("a", "4", "8Gi").build());
        Pod p = bound(pod("p", "1", "1Gi").build(), "a");
        cache.addOrUpdatePod(PodInfo.of(p));
        cache.removeNode("a");
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.list()).isEmpty();
        assertThat(cache.podCount()).isEqualTo(1);

        cache.addNode(node("a", "4", "8Gi").build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("a").requested().milliCpu()).isEqualTo(1000);
    }

    @Test
    void podsBoundBeforeTheirNodeIsSeenAreKept() {
        cache.addOrUpdatePod(PodInfo.of(bound(pod("p", "1", "1Gi").build(), "late")));
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.size()).isZero();
        cache.addNode(node("late", "4", "8Gi").build());
        cache.updateSnapshot(snapshot);
        assertThat(snapshot.get("late").pods()).hasSize(1);
    }
}
