package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class PodTopologySpreadTest {

    private static final String ZONE = "topology.kubernetes.io/zone";

    private static Node zoned(String name, String zone) {
        return node(name, "4", "8Gi").editMetadata().addToLabels(ZONE, zone).endMetadata().build();
    }

    private static Pod app(String name) {
        return pod(name, null, null).editMetadata().addToLabels("app", "web").endMetadata().build();
    }

    private static Pod spread(String name, int maxSkew, String when, Integer minDomains) {
        return new io.fabric8.kubernetes.api.model.PodBuilder(app(name)).editSpec().addToTopologySpreadConstraints(
                new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(ZONE).withWhenUnsatisfiable(when)
                        .withMinDomains(minDomains)
                        .withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build()).build()).endSpec().build();
    }

    private static Cluster twoInA() {
        return new Cluster()
                .node(zoned("a1", "a"), app("w0"), app("w1"))
                .node(zoned("b1", "b"))
                .node(node("nolabel", "4", "8Gi").build());
    }

    private static PodTopologySpread plugin(Cluster c) {
        return new PodTopologySpread(() -> c, PodTopologySpread.DefaultSelectors.NONE);
    }

    @ParameterizedTest(name = "maxSkew {0}: a1 fits {1}, b1 fits {2}")
    @CsvSource({"1, false, true", "2, false, true", "3, true, true"})
    void doNotScheduleKeepsTheSkewWithinMaxSkew(int maxSkew, boolean a1Fits, boolean b1Fits) {
        Cluster c = twoInA();
        Pod p = spread("w2", maxSkew, "DoNotSchedule", null);
        Status a1 = c.filter(plugin(c), p, "a1");
        assertThat(a1.isSuccess()).isEqualTo(a1Fits);
        if (!a1Fits) {
            assertThat(a1.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(a1.reasons()).containsExactly("node(s) didn't match pod topology spread constraints");
        }
        assertThat(c.filter(plugin(c), p, "b1").isSuccess()).isEqualTo(b1Fits);
    }

    @Test
    void nodesWithoutTheTopologyKeyAreUnresolvable() {
        Cluster c = twoInA();
        Status s = c.filter(plugin(c), spread("w2", 1, "DoNotSchedule", null), "nolabel");
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match pod topology spread constraints (missing required label)");
    }

    @Test
    void tooFewDomainsCountTheMinimumAsZero() {
        Cluster c = new Cluster().node(zoned("a1", "a"), app("w0")).node(zoned("b1", "b"), app("w1"));
        // Two domains with one pod each: skew 1 would be fine, but minDomains 3 makes the minimum 0.
        assertThat(c.filter(plugin(c), spread("w2", 1, "DoNotSchedule", null), "a1").isSuccess()).isTrue();
        assertThat(c.filter(plugin(c), spread("w2", 1, "DoNotSchedule", 3), "a1").isSuccess()).isFalse();
    }

    @Test
    void scheduleAnywayPrefersTheEmptierZone() {
        Cluster c = new Cluster().node(zoned("a1", "a"), app("w0"), app("w1")).node(zoned("b1", "b"));
        Map<String, Long> scores = c.score(plugin(c), spread("w2", 1, "ScheduleAnyway", null));
        assertThat(scores.get("b1")).isEqualTo(100L);
        assertThat(scores.get("a1")).isLessThan(scores.get("b1"));
    }

    @Test
    void defaultConstraintsApplyToPodsOfSelectedWorkloads() {
        Cluster c = new Cluster().node(zoned("a1", "a"), app("w0"), app("w1")).node(zoned("b1", "b"));
        PodTopologySpread withDefaults = new PodTopologySpread(() -> c,
                pod -> new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
        Map<String, Long> scores = c.score(withDefaults, app("w2"));
        assertThat(scores.get("a1")).isLessThan(scores.get("b1"));
        // Without an owning workload there is nothing to spread.
        assertThat(c.score(plugin(c), app("w2"))).isEqualTo(Map.of("a1", 0L, "b1", 0L));
    }
}
