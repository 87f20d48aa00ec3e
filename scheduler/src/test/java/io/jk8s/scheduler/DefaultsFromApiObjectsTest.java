package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.jk8s.scheduler.util.LabelSelectors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link WorkloadSelectors} and {@link PriorityResolver}: what the scheduler derives from other objects. */
class DefaultsFromApiObjectsTest {

    private static Pod web() {
        return pod("web-1", null, null).editMetadata().addToLabels(Map.of("app", "web", "tier", "front")).endMetadata().build();
    }

    private static Service service(String ns, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withName("svc").withNamespace(ns).endMetadata()
                .withNewSpec().withSelector(selector).endSpec().build();
    }

    private static ReplicaSet replicaSet(Map<String, String> labels) {
        return new ReplicaSetBuilder().withNewMetadata().withName("rs").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(new LabelSelectorBuilder().withMatchLabels(labels).build()).endSpec().build();
    }

    @Test
    void spreadingSelectorIsTheAndOfTheSelectingWorkloads() {
        WorkloadSelectors selectors = new WorkloadSelectors(
                () -> List.of(service("default", Map.of("app", "web")), service("other", Map.of("app", "web")),
                        service("default", Map.of("app", "db"))),
                () -> List.of(replicaSet(Map.of("tier", "front"))),
                List::of);
        var selector = selectors.selectorFor(web());
        assertThat(selector.getMatchLabels()).isEqualTo(Map.of("app", "web", "tier", "front"));
        assertThat(LabelSelectors.matches(selector, Map.of("app", "web"))).isFalse();
    }

    @Test
    void noSelectingWorkloadMeansNoDefaultSpreading() {
        WorkloadSelectors selectors = new WorkloadSelectors(() -> List.of(service("default", Map.of("app", "db"))), List::of, List::of);
        assertThat(selectors.selectorFor(web())).isNull();
    }

    @Test
    void priorityComesFromTheClassTheGlobalDefaultOrTheBuiltins() {
        PriorityClass high = new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000).build();
        PriorityClass dflt = new PriorityClassBuilder().withNewMetadata().withName("dflt").endMetadata().withValue(7)
                .withGlobalDefault(true).build();
        PriorityResolver resolver = new PriorityResolver(() -> List.of(high, dflt));

        assertThat(resolver.resolve(web().edit().editSpec().withPriorityClassName("high").endSpec().build())
                .getSpec().getPriority()).isEqualTo(1000);
        assertThat(resolver.resolve(web()).getSpec().getPriority()).isEqualTo(7);
        assertThat(resolver.resolve(web().edit().editSpec().withPriorityClassName("system-node-critical").endSpec().build())
                .getSpec().getPriority()).isEqualTo(2_000_001_000);
        Pod admitted = web().edit().editSpec().withPriority(5).withPriorityClassName("high").endSpec().build();
        assertThat(resolver.resolve(admitted)).isSameAs(admitted);
    }
}
