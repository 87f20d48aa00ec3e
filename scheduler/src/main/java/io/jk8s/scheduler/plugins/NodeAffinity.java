package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;
import io.jk8s.scheduler.framework.PreFilterPlugin;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.PreScorePlugin;
import io.jk8s.scheduler.framework.ScoreNormalizer;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.util.NodeSelectors;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Filter: the node must match the pod's {@code spec.nodeSelector} and required node affinity.
 * When every required term names nodes by {@code metadata.name}, PreFilter narrows the cycle to those.
 * Score: sum of the weights of the preferred terms the node matches, scaled to 100.
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "NodeAffinity";
    public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

    @Override
    public String name() {
        return NAME;
    }

    private static NodeSelector required(Pod pod) {
        Affinity a = pod.getSpec().getAffinity();
        if (a == null || a.getNodeAffinity() == null) {
            return null;
        }
        return a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    private static List<PreferredSchedulingTerm> preferred(Pod pod) {
        Affinity a = pod.getSpec().getAffinity();
        if (a == null || a.getNodeAffinity() == null
                || a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes) {
        NodeSelector required = required(pod);
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (required == null && (selector == null || selector.isEmpty())) {
            return PreFilterResult.skip();
        }
        if (required == null || required.getNodeSelectorTerms() == null) {
            return PreFilterResult.success();
        }
        // Nodes named by metadata.name In, when every term names some; otherwise no restriction.
        Set<String> names = new HashSet<>();
        for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
            Set<String> termNames = null;
            for (NodeSelectorRequirement r : term.getMatchFields() == null ? List.<NodeSelectorRequirement>of() : term.getMatchFields()) {
                if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null) {
                    Set<String> v = new HashSet<>(r.getValues());
                    if (termNames == null) {
                        termNames = v;
                    } else {
                        termNames.retainAll(v);
                    }
                }
            }
            if (termNames == null) {
                return PreFilterResult.success();
            }
            names.addAll(termNames);
        }
        if (names.isEmpty()) {
            return PreFilterResult.of(Status.unresolvable(ERR_REASON_POD));
        }
        return PreFilterResult.onlyNodes(names);
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        if (!NodeSelectors.matchesNodeSelectorMap(pod.getSpec().getNodeSelector(), node.node())) {
            return Status.unresolvable(ERR_REASON_POD);
        }
        NodeSelector required = required(pod);
        if (required != null && !NodeSelectors.matches(required, node.node())) {
            return Status.unresolvable(ERR_REASON_POD);
        }
        return Status.success();
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        return preferred(pod).isEmpty() ? Status.skip() : Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        long score = 0;
        for (PreferredSchedulingTerm t : preferred(pod)) {
            if (t.getWeight() != null && t.getWeight() != 0 && t.getPreference() != null
                    && NodeSelectors.matches(t.getPreference(), node.node())) {
                score += t.getWeight();
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, Pod pod, NodeInfo[] nodes, long[] scores) {
        ScoreNormalizer.normalize(MAX_NODE_SCORE, false, scores);
    }
}
