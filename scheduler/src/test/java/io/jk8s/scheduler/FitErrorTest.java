package io.jk8s.scheduler;

import io.jk8s.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FitErrorTest {

    @Test
    void histogramIsSortedAsStringsWithEveryReasonCounted() {
        Map<String, Status> statuses = Map.of(
                "a", Status.unschedulable("Insufficient cpu", "Insufficient memory"),
                "b", Status.unschedulable("Insufficient memory"),
                "c", Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
        assertThat(new FitError(3, statuses, null, null).message()).isEqualTo(
                "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, "
                        + "2 Insufficient memory.");
    }

    @Test
    void preFilterRejectionReplacesTheHistogram() {
        Map<String, Status> statuses = Map.of("a", Status.unresolvable("x"), "b", Status.unresolvable("x"));
        assertThat(new FitError(2, statuses, "node(s) didn't match Pod's node affinity/selector", null).message())
                .isEqualTo("0/2 nodes are available: node(s) didn't match Pod's node affinity/selector.");
    }

    @Test
    void postFilterMessageIsAppendedAsIs() {
        assertThat(new FitError(1, Map.of("a", Status.unschedulable("Insufficient cpu")), null,
                "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.").message())
                .isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
                        + "1 No preemption victims found for incoming pod.");
    }
}
