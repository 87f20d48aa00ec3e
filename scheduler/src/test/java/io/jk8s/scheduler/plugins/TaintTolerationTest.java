package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TaintTolerationTest {

    private static Taint taint(String key, String value, String effect) {
        return new Taint(effect, key, null, value);
    }

    private static Toleration tol(String key, String op, String value, String effect) {
        return new Toleration(effect, key, op, null, value);
    }

    private static Node tainted(Taint... taints) {
        return node("n", "4", "8Gi").editSpec().addToTaints(taints).endSpec().build();
    }

    private static Pod tolerating(Toleration... t) {
        return pod("p", null, null).editSpec().addToTolerations(t).endSpec().build();
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                arguments("no taints", node("n", "4", "8Gi").build(), tolerating(), null),
                arguments("untolerated NoSchedule", tainted(taint("dedicated", "gpu", "NoSchedule")), tolerating(),
                        "node(s) had untolerated taint {dedicated: gpu}"),
                arguments("empty value prints empty", tainted(taint("node-role.kubernetes.io/control-plane", null, "NoSchedule")),
                        tolerating(), "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"),
                arguments("tolerated with Equal", tainted(taint("dedicated", "gpu", "NoSchedule")),
                        tolerating(tol("dedicated", "Equal", "gpu", "NoSchedule")), null),
                arguments("Equal with another value", tainted(taint("dedicated", "gpu", "NoSchedule")),
                        tolerating(tol("dedicated", "Equal", "cpu", "NoSchedule")), "node(s) had untolerated taint {dedicated: gpu}"),
                arguments("Exists ignores the value", tainted(taint("dedicated", "gpu", "NoSchedule")),
                        tolerating(tol("dedicated", "Exists", null, null)), null),
                arguments("empty key with Exists tolerates everything", tainted(taint("a", "b", "NoExecute")),
                        tolerating(tol(null, "Exists", null, null)), null),
                arguments("effect must match", tainted(taint("dedicated", "gpu", "NoExecute")),
                        tolerating(tol("dedicated", "Exists", null, "NoSchedule")), "node(s) had untolerated taint {dedicated: gpu}"),
                arguments("PreferNoSchedule does not filter", tainted(taint("soft", "x", "PreferNoSchedule")), tolerating(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filterCases")
    void filter(String name, Node node, Pod pod, String reason) {
        Status s = new Cluster().node(node).filter(new TaintToleration(), pod, "n");
        if (reason == null) {
            assertThat(s.isSuccess()).isTrue();
        } else {
            assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
            assertThat(s.reasons()).containsExactly(reason);
        }
    }

    @Test
    void prefersNodesWithFewerUntoleratedPreferNoScheduleTaints() {
        Cluster c = new Cluster()
                .node(node("clean", "4", "8Gi").build())
                .node(node("one", "4", "8Gi").editSpec().addToTaints(taint("a", "1", "PreferNoSchedule")).endSpec().build())
                .node(node("two", "4", "8Gi").editSpec().addToTaints(taint("a", "1", "PreferNoSchedule"),
                        taint("b", "1", "PreferNoSchedule")).endSpec().build());
        assertThat(c.score(new TaintToleration(), tolerating())).containsExactly(
                java.util.Map.entry("clean", 100L), java.util.Map.entry("one", 50L), java.util.Map.entry("two", 0L));
        assertThat(c.score(new TaintToleration(), tolerating(tol("b", "Exists", null, "PreferNoSchedule"))))
                .containsEntry("two", 0L).containsEntry("one", 0L).containsEntry("clean", 100L);
    }

    @Test
    void tolerationsMatchTheirOwnTable() {
        assertThat(io.jk8s.scheduler.util.Tolerations.toleratedByAny(List.of(), taint("a", "b", "NoSchedule"))).isFalse();
    }
}
