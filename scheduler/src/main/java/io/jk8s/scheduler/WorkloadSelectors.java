package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.jk8s.scheduler.plugins.PodTopologySpread;
import io.jk8s.scheduler.util.LabelSelectors;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The default spreading selector of a pod: the AND of the selectors of the Services, ReplicaSets and
 * StatefulSets in its namespace that select it (upstream's {@code DefaultSelector}).
 */
final class WorkloadSelectors implements PodTopologySpread.DefaultSelectors {

    private final Supplier<List<Service>> services;
    private final Supplier<List<ReplicaSet>> replicaSets;
    private final Supplier<List<StatefulSet>> statefulSets;

    WorkloadSelectors(Supplier<List<Service>> services, Supplier<List<ReplicaSet>> replicaSets,
                      Supplier<List<StatefulSet>> statefulSets) {
        this.services = services;
        this.replicaSets = replicaSets;
        this.statefulSets = statefulSets;
    }

    @Override
    public LabelSelector selectorFor(Pod pod) {
        String ns = pod.getMetadata().getNamespace();
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        Map<String, String> matchLabels = new HashMap<>();
        List<LabelSelectorRequirement> exprs = new ArrayList<>();
        boolean found = false;
        for (Service s : services.get()) {
            Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (ns.equals(s.getMetadata().getNamespace()) && sel != null && !sel.isEmpty()
                    && LabelSelectors.matches(new LabelSelectorBuilder().withMatchLabels(sel).build(), labels)) {
                matchLabels.putAll(sel);
                found = true;
            }
        }
        for (ReplicaSet rs : replicaSets.get()) {
            found |= addIfSelects(ns, rs.getMetadata().getNamespace(), rs.getSpec() == null ? null : rs.getSpec().getSelector(),
                    labels, matchLabels, exprs);
        }
        for (StatefulSet ss : statefulSets.get()) {
            found |= addIfSelects(ns, ss.getMetadata().getNamespace(), ss.getSpec() == null ? null : ss.getSpec().getSelector(),
                    labels, matchLabels, exprs);
        }
        if (!found) {
            return null;
        }
        return new LabelSelectorBuilder().withMatchLabels(matchLabels).withMatchExpressions(exprs).build();
    }

    private static boolean addIfSelects(String podNs, String ns, LabelSelector selector, Map<String, String> labels,
                                        Map<String, String> matchLabels, List<LabelSelectorRequirement> exprs) {
        if (!podNs.equals(ns) || selector == null || LabelSelectors.isEmpty(selector) || !LabelSelectors.matches(selector, labels)) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            matchLabels.putAll(selector.getMatchLabels());
        }
        if (selector.getMatchExpressions() != null) {
            exprs.addAll(selector.getMatchExpressions());
        }
        return true;
    }
}
