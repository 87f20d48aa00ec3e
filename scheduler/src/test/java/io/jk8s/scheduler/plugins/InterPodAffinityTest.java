package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.testing.Cluster;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class InterPodAffinityTest {

    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HOST = "kubernetes.io/hostname";

    private static Node zoned(String name, String zone) {
        return node(name, "4", "8Gi").editMetadata().addToLabels(ZONE, zone).endMetadata().build();
    }

    private static Pod labelled(String name, String app) {
        return pod(name, null, null).editMetadata().addToLabels("app", app).endMetadata().build();
    }

    private static PodAffinityTerm term(String app, String topologyKey) {
        return new PodAffinityTermBuilder().withLabelSelector(new LabelSelectorBuilder().addToMatchLabels("app", app).build())
                .withTopologyKey(topologyKey).build();
    }

    private static Pod withAffinity(Pod pod, PodAffinityTerm term) {
        return new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().withNewAffinity().withNewPodAffinity()
                .addToRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAffinity().endAffinity().endSpec().build();
    }

    private static Pod withAntiAffinity(Pod pod, PodAffinityTerm term) {
        return new io.fabric8.kubernetes.api.model.PodBuilder(pod).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addToRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAntiAffinity().endAffinity().endSpec().build();
    }

    private Status filter(Cluster c, Pod pod, String node) {
        return c.filter(new InterPodAffinity(() -> c), pod, node);
    }

    @Test
    void requiredAffinityNeedsAMatchingPodInTheSameZone() {
        Cluster c = new Cluster()
                .node(zoned("a1", "a"), labelled("db", "db"))
                .node(zoned("a2", "a"))
                .node(zoned("b1", "b"));
        Pod web = withAffinity(labelled("web", "web"), term("db", ZONE));
        assertThat(filter(c, web, "a1").isSuccess()).isTrue();
        assertThat(filter(c, web, "a2").isSuccess()).isTrue();
        Status s = filter(c, web, "b1");
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly(InterPodAffinity.ERR_AFFINITY);
    }

    @Test
    void theFirstPodOfASelfAffineGroupMayStartAnywhere() {
        Cluster c = new Cluster().node(zoned("a1", "a")).node(zoned("b1", "b"));
        Pod first = withAffinity(labelled("cache-0", "cache"), term("cache", ZONE));
        assertThat(filter(c, first, "a1").isSuccess()).isTrue();
        assertThat(filter(c, first, "b1").isSuccess()).isTrue();
        Pod notSelf = withAffinity(labelled("web", "web"), term("cache", ZONE));
        assertThat(filter(c, notSelf, "a1").isSuccess()).isFalse();
    }

    @Test
    void requiredAntiAffinityKeepsReplicasOnDifferentHosts() {
        Cluster c = new Cluster().node(zoned("a1", "a"), labelled("web-0", "web")).node(zoned("a2", "a"));
        Pod web1 = withAntiAffinity(labelled("web-1", "web"), term("web", HOST));
        Status s = filter(c, web1, "a1");
        assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(s.reasons()).containsExactly(InterPodAffinity.ERR_ANTI_AFFINITY);
        assertThat(filter(c, web1, "a2").isSuccess()).isTrue();
    }

    @Test
    void existingPodsAntiAffinityRejectsTheIncomingPod() {
        Pod lonely = withAntiAffinity(labelled("lonely", "lonely"), term("noisy", ZONE));
        Cluster c = new Cluster().node(zoned("a1", "a"), lonely).node(zoned("a2", "a")).node(zoned("b1", "b"));
        Pod noisy = labelled("noisy", "noisy");
        Status s = filter(c, noisy, "a2");
        assertThat(s.reasons()).containsExactly(InterPodAffinity.ERR_EXISTING_ANTI_AFFINITY);
        assertThat(filter(c, noisy, "b1").isSuccess()).isTrue();
    }

    @Test
    void termsOnlySelectPodsInTheirNamespaces() {
        Pod otherNs = labelled("db", "db").edit().editMetadata().withNamespace("other").endMetadata().build();
        Cluster c = new Cluster().node(zoned("a1", "a"), otherNs).node(zoned("b1", "b"), labelled("x", "x"));
        Pod web = withAffinity(labelled("web", "web"), term("db", ZONE));
        assertThat(filter(c, web, "a1").isSuccess()).isFalse();
    }

    @Test
    void preferredAffinityScoresZonesWithMatchingPods() {
        Cluster c = new Cluster()
                .node(zoned("a1", "a"), labelled("db", "db"))
                .node(zoned("b1", "b"));
        Pod web = new io.fabric8.kubernetes.api.model.PodBuilder(labelled("web", "web")).editSpec().withNewAffinity().withNewPodAffinity()
                .addToPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term("db", ZONE), 50))
                .endPodAffinity().endAffinity().endSpec().build();
        assertThat(c.score(new InterPodAffinity(() -> c), web)).isEqualTo(Map.of("a1", 100L, "b1", 0L));
    }

    @Test
    void preferredAntiAffinityScoresAwayFromMatchingPods() {
        Pod web = new io.fabric8.kubernetes.api.model.PodBuilder(labelled("web-1", "web")).editSpec().withNewAffinity().withNewPodAntiAffinity()
                .addToPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term("web", HOST), 100))
                .endPodAntiAffinity().endAffinity().endSpec().build();
        Cluster hosts = new Cluster()
                .node(node("h1", "4", "8Gi").build(), labelled("web-0", "web"))
                .node(node("h2", "4", "8Gi").build());
        assertThat(hosts.score(new InterPodAffinity(() -> hosts), web)).isEqualTo(Map.of("h1", 0L, "h2", 100L));
    }
}
