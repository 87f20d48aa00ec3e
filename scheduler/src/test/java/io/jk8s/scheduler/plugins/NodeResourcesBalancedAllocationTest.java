package io.jk8s.scheduler.plugins;

import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesBalancedAllocationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "equal fractions are perfectly balanced, 2, 4Gi, 100",
            "cpu 0.5 memory 0.125 gives std 0.1875, 2, 1Gi, 81",
            "over-requested fractions are capped at 1, 8, 4Gi, 75",
    })
    void scoresByTheSpreadOfUsedFractions(String name, String cpu, String memory, long expected) {
        Cluster c = new Cluster().node(node("n", "4", "8Gi").build());
        assertThat(c.score(new NodeResourcesBalancedAllocation(), pod("p", cpu, memory).build())).containsEntry("n", expected);
    }

    @org.junit.jupiter.api.Test
    void bestEffortPodsAreNotScored() {
        Cluster c = new Cluster().node(node("n", "4", "8Gi").build(), pod("a", "4", null).build());
        assertThat(c.score(new NodeResourcesBalancedAllocation(), pod("p", null, null).build())).containsEntry("n", 0L);
    }
}
