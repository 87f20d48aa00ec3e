package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class NodeResourcesFitTest {

    private static Node gpuNode() {
        return node("n", "4", "8Gi").editStatus().addToAllocatable("nvidia.com/gpu", new Quantity("2")).endStatus().build();
    }

    private static Pod withInit(Pod pod, String cpu, String restartPolicy) {
        return new PodBuilder(pod).editSpec().addToInitContainers(new ContainerBuilder().withName("init-" + cpu)
                .withRestartPolicy(restartPolicy)
                .withNewResources().addToRequests("cpu", new Quantity(cpu)).endResources().build()).endSpec().build();
    }

    private static Pod gpus(String name, String n) {
        return new PodBuilder(pod(name, "100m", "64Mi").build()).editSpec().editFirstContainer().editResources()
                .addToRequests("nvidia.com/gpu", new Quantity(n)).endResources().endContainer().endSpec().build();
    }

    static Stream<Arguments> cases() {
        Node n4 = node("n", "4", "8Gi").build();
        return Stream.of(
                arguments("fits on an empty node", n4, List.of(), pod("p", "1", "1Gi").build(), Status.Code.SUCCESS, List.of()),
                arguments("insufficient cpu, preemption may help", n4, List.of(pod("a", "3500m", "1Gi").build()),
                        pod("p", "1", "1Gi").build(), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
                arguments("more cpu than the whole node is unresolvable", n4, List.of(),
                        pod("p", "5", "1Gi").build(), Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("Insufficient cpu")),
                arguments("every missing resource is a reason", n4, List.of(pod("a", "4", "8Gi").build()),
                        pod("p", "1", "1Gi").build(), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu", "Insufficient memory")),
                arguments("extended resource fits", gpuNode(), List.of(gpus("a", "1")), gpus("p", "1"), Status.Code.SUCCESS, List.of()),
                arguments("extended resource exhausted", gpuNode(), List.of(gpus("a", "2")), gpus("p", "1"),
                        Status.Code.UNSCHEDULABLE, List.of("Insufficient nvidia.com/gpu")),
                arguments("extended resource the node lacks", n4, List.of(), gpus("p", "1"),
                        Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of("Insufficient nvidia.com/gpu")),
                arguments("init container larger than the app counts (max rule)", n4, List.of(pod("a", "2", "1Gi").build()),
                        withInit(pod("p", "1", "1Gi").build(), "3", null), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
                arguments("init container smaller than the app does not add", n4, List.of(pod("a", "2", "1Gi").build()),
                        withInit(pod("p", "2", "1Gi").build(), "1", null), Status.Code.SUCCESS, List.of()),
                arguments("sidecar adds to the app", n4, List.of(pod("a", "2", "1Gi").build()),
                        withInit(pod("p", "1500m", "1Gi").build(), "1", "Always"), Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
                arguments("pod overhead counts", n4, List.of(pod("a", "3", "1Gi").build()),
                        new PodBuilder(pod("p", "900m", "1Gi").build()).editSpec().withOverhead(Map.of("cpu", new Quantity("200m"))).endSpec().build(),
                        Status.Code.UNSCHEDULABLE, List.of("Insufficient cpu")),
                arguments("best-effort pod fits a full node", n4, List.of(pod("a", "4", "8Gi").build()),
                        pod("p", null, null).build(), Status.Code.SUCCESS, List.of()),
                arguments("pod slots are limited", node("n", "4", "8Gi").editStatus().addToAllocatable("pods", new Quantity("1")).endStatus().build(),
                        List.of(pod("a", null, null).build()), pod("p", null, null).build(), Status.Code.UNSCHEDULABLE, List.of("Too many pods")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filter(String name, Node node, List<Pod> existing, Pod pod, Status.Code code, List<String> reasons) {
        Status s = new Cluster().node(node, existing.toArray(Pod[]::new)).filter(new NodeResourcesFit(), pod, "n");
        assertThat(s.code()).isEqualTo(code);
        assertThat(s.reasons()).containsExactlyElementsOf(reasons);
    }

    @Test
    void leastAllocatedScoresTheEmptierNodeHigher() {
        Cluster c = new Cluster()
                .node(node("empty", "4", "10Gi").build())
                .node(node("busy", "4", "10Gi").build(), pod("a", "2", "5Gi").build());
        Map<String, Long> scores = c.score(new NodeResourcesFit(), pod("p", "1", "2Gi").build());
        // cpu (4000-1000)*100/4000 = 75, memory (10-2)*100/10 = 80: mean 77
        assertThat(scores).containsEntry("empty", 77L);
        // cpu (4000-3000)*100/4000 = 25, memory (10-7)*100/10 = 30: mean 27
        assertThat(scores).containsEntry("busy", 27L);
    }

    @Test
    void leastAllocatedCountsDefaultsForPodsWithoutRequests() {
        Cluster c = new Cluster().node(node("n", "1", "1Gi").build());
        // 100m of 1000m and 200Mi of 1024Mi: (90 + 80) / 2 = 85
        assertThat(c.score(new NodeResourcesFit(), pod("p", null, null).build())).containsEntry("n", 85L);
    }
}
