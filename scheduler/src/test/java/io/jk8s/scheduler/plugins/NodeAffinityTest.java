package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeAffinityTest {

    private static NodeSelectorTerm term(String key, String op, String... values) {
        return new NodeSelectorTermBuilder()
                .addToMatchExpressions(new NodeSelectorRequirement(key, op, List.of(values))).build();
    }

    private static Pod requiring(NodeSelectorTerm... terms) {
        return pod("p", null, null).editSpec().withNewAffinity().withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution().addToNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity().endSpec().build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("no constraints", pod("p", null, null).build(), true),
                arguments("nodeSelector matches", pod("p", null, null).editSpec().addToNodeSelector("disk", "ssd").endSpec().build(), true),
                arguments("nodeSelector mismatch", pod("p", null, null).editSpec().addToNodeSelector("disk", "hdd").endSpec().build(), false),
                arguments("In", requiring(term("zone", "In", "a", "b")), true),
                arguments("NotIn", requiring(term("zone", "NotIn", "a")), false),
                arguments("Exists", requiring(term("disk", "Exists")), true),
                arguments("DoesNotExist", requiring(term("gpu", "DoesNotExist")), true),
                arguments("Gt", requiring(term("cores", "Gt", "8")), true),
                arguments("Lt", requiring(term("cores", "Lt", "8")), false),
                arguments("terms are ORed", requiring(term("zone", "In", "x"), term("disk", "In", "ssd")), true),
                arguments("an empty term matches nothing", requiring(new NodeSelectorTerm()), false));
    }

    private static Cluster cluster() {
        return new Cluster().node(node("n", "4", "8Gi").editMetadata()
                .addToLabels(Map.of("zone", "a", "disk", "ssd", "cores", "16")).endMetadata().build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, Pod pod, boolean fits) {
        var s = cluster().filter(new NodeAffinity(), pod, "n");
        assertThat(s.isSuccess()).isEqualTo(fits);
        if (!fits) {
            assertThat(s.reasons()).containsExactly(NodeAffinity.ERR_REASON_POD);
        }
    }

    @Test
    void preFilterNarrowsToNodesNamedByMetadataName() {
        Pod pod = requiring(new NodeSelectorTermBuilder().addToMatchFields(
                new NodeSelectorRequirement("metadata.name", "In", List.of("n", "m"))).build());
        PreFilterResult r = new NodeAffinity().preFilter(new CycleState(), pod, cluster());
        assertThat(r.nodeNames()).isEqualTo(Set.of("n", "m"));
        assertThat(cluster().filter(new NodeAffinity(), pod, "n").isSuccess()).isTrue();
    }

    @Test
    void scoresPreferredTermsByWeight() {
        Pod pod = pod("p", null, null).editSpec().withNewAffinity().withNewNodeAffinity()
                .addToPreferredDuringSchedulingIgnoredDuringExecution(
                        new PreferredSchedulingTerm(term("zone", "In", "a"), 10),
                        new PreferredSchedulingTerm(term("disk", "In", "ssd"), 30))
                .endNodeAffinity().endAffinity().endSpec().build();
        Cluster c = new Cluster()
                .node(node("both", "4", "8Gi").editMetadata().addToLabels(Map.of("zone", "a", "disk", "ssd")).endMetadata().build())
                .node(node("ssd", "4", "8Gi").editMetadata().addToLabels("disk", "ssd").endMetadata().build())
                .node(node("none", "4", "8Gi").build());
        assertThat(c.score(new NodeAffinity(), pod)).containsEntry("both", 100L).containsEntry("ssd", 75L).containsEntry("none", 0L);
    }
}
