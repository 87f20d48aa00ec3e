package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PreFilterExtensions;
import io.jk8s.scheduler.framework.PreFilterPlugin;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.PreScorePlugin;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.util.LabelSelectors;
import io.jk8s.scheduler.util.NodeSelectors;
import io.jk8s.scheduler.util.Tolerations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Spreads matching pods evenly over topology domains ({@code topologySpreadConstraints}).
 * <p>Filter ({@code whenUnsatisfiable: DoNotSchedule}): placing the pod in the node's domain must keep
 * {@code count(domain) + self - min(count over domains) <= maxSkew}; with fewer domains than
 * {@code minDomains} the minimum counts as 0. Nodes without the topology key are unresolvable.
 * <p>Score ({@code ScheduleAnyway}): fewer matching pods in the node's domain is better, weighted by
 * log(number of domains + 2).
 * <p>Pods without constraints get upstream's system defaults (hostname maxSkew 3, zone maxSkew 5,
 * ScheduleAnyway) when a Service, ReplicaSet, StatefulSet or ReplicationController selects them.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "PodTopologySpread";
    public static final String ERR_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
    public static final String ERR_MISSING_LABEL = ERR_CONSTRAINTS + " (missing required label)";
    static final String HOSTNAME = "kubernetes.io/hostname";
    static final String ZONE = "topology.kubernetes.io/zone";

    /** The selector of the workloads that own a pod, for the default constraints; {@code null} when none. */
    @FunctionalInterface
    public interface DefaultSelectors {
        LabelSelector selectorFor(Pod pod);

        DefaultSelectors NONE = pod -> null;
    }

    /** A parsed constraint. */
    record Constraint(int maxSkew, String topologyKey, LabelSelector selector, int minDomains,
                      boolean honorNodeAffinity, boolean honorTaints, boolean hard) {

        boolean matches(PodInfo candidate, String namespace) {
            return namespace.equals(candidate.namespace())
                    && candidate.pod().getMetadata().getDeletionTimestamp() == null
                    && LabelSelectors.matches(selector, candidate.labels());
        }

        int countOn(NodeInfo node, String namespace) {
            int n = 0;
            for (PodInfo p : node.pods()) {
                if (matches(p, namespace)) {
                    n++;
                }
            }
            return n;
        }
    }

    private static final CycleState.Key<FilterState> FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<ScoreState> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    private final Supplier<NodeInfoLister> snapshot;
    private final DefaultSelectors defaultSelectors;

    public PodTopologySpread(Supplier<NodeInfoLister> snapshot, DefaultSelectors defaultSelectors) {
        this.snapshot = snapshot;
        this.defaultSelectors = defaultSelectors == null ? DefaultSelectors.NONE : defaultSelectors;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The pod's constraints of one kind ({@code hard}: DoNotSchedule), or the defaults for soft ones. */
    List<Constraint> constraints(Pod pod, boolean hard) {
        List<TopologySpreadConstraint> declared = pod.getSpec().getTopologySpreadConstraints();
        List<Constraint> out = new ArrayList<>();
        if (declared != null && !declared.isEmpty()) {
            for (TopologySpreadConstraint c : declared) {
                boolean isHard = !"ScheduleAnyway".equals(c.getWhenUnsatisfiable());
                if (isHard != hard) {
                    continue;
                }
                out.add(new Constraint(c.getMaxSkew() == null ? 1 : c.getMaxSkew(), c.getTopologyKey(),
                        withMatchLabelKeys(c.getLabelSelector(), c.getMatchLabelKeys(), pod),
                        c.getMinDomains() == null ? 1 : c.getMinDomains(),
                        !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy()), isHard));
            }
            return out;
        }
        if (hard) {
            return out;
        }
        LabelSelector selector = defaultSelectors.selectorFor(pod);
        if (selector == null) {
            return out;
        }
        out.add(new Constraint(3, HOSTNAME, selector, 1, true, false, false));
        out.add(new Constraint(5, ZONE, selector, 1, true, false, false));
        return out;
    }

    /** {@code matchLabelKeys}: the pod's own values of those keys are ANDed into the selector. */
    private static LabelSelector withMatchLabelKeys(LabelSelector selector, List<String> keys, Pod pod) {
        if (keys == null || keys.isEmpty() || selector == null) {
            return selector;
        }
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        List<LabelSelectorRequirement> exprs = new ArrayList<>(
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions());
        for (String k : keys) {
            if (labels.containsKey(k)) {
                exprs.add(new LabelSelectorRequirement(k, "In", List.of(labels.get(k))));
            }
        }
        return new LabelSelectorBuilder().withMatchLabels(selector.getMatchLabels()).withMatchExpressions(exprs).build();
    }

    private static boolean hasAllKeys(Map<String, String> labels, List<Constraint> constraints) {
        for (Constraint c : constraints) {
            if (!labels.containsKey(c.topologyKey())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the node counts for the constraint (nodeAffinityPolicy / nodeTaintsPolicy). */
    private static boolean nodeCounts(Constraint c, Pod pod, NodeInfo node) {
        if (c.honorNodeAffinity()) {
            if (!NodeSelectors.matchesNodeSelectorMap(pod.getSpec().getNodeSelector(), node.node())) {
                return false;
            }
            var a = pod.getSpec().getAffinity();
            if (a != null && a.getNodeAffinity() != null
                    && a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null
                    && !NodeSelectors.matches(a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), node.node())) {
                return false;
            }
        }
        if (c.honorTaints()) {
            List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
            Taint t = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(),
                    x -> "NoSchedule".equals(x.getEffect()) || "NoExecute".equals(x.getEffect()));
            return t == null;
        }
        return true;
    }

    // ---- filter ---------------------------------------------------------------------------------

    /** Per hard constraint: matching pods per domain value, and the current minimum. */
    static final class FilterState implements CycleState.StateData {
        final List<Constraint> constraints;
        final List<Map<String, Integer>> counts;
        final int[] min;

        FilterState(List<Constraint> constraints, List<Map<String, Integer>> counts) {
            this.constraints = constraints;
            this.counts = counts;
            this.min = new int[constraints.size()];
            for (int i = 0; i < constraints.size(); i++) {
                recomputeMin(i);
            }
        }

        void recomputeMin(int i) {
            int m = Integer.MAX_VALUE;
            for (int v : counts.get(i).values()) {
                m = Math.min(m, v);
            }
            min[i] = m == Integer.MAX_VALUE ? 0 : m;
        }

        @Override
        public FilterState copy() {
            List<Map<String, Integer>> c = new ArrayList<>(counts.size());
            for (Map<String, Integer> m : counts) {
                c.add(new HashMap<>(m));
            }
            return new FilterState(constraints, c);
        }

        void update(Pod pod, PodInfo changed, NodeInfo node, int delta) {
            if (!hasAllKeys(node.labels(), constraints)) {
                return;
            }
            for (int i = 0; i < constraints.size(); i++) {
                Constraint c = constraints.get(i);
                if (!nodeCounts(c, pod, node) || !c.matches(changed, pod.getMetadata().getNamespace())) {
                    continue;
                }
                counts.get(i).merge(node.labels().get(c.topologyKey()), delta, Integer::sum);
                recomputeMin(i);
            }
        }
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes) {
        List<Constraint> hard = constraints(pod, true);
        if (hard.isEmpty()) {
            return PreFilterResult.skip();
        }
        String ns = pod.getMetadata().getNamespace();
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (int i = 0; i < hard.size(); i++) {
            counts.add(new HashMap<>());
        }
        for (NodeInfo n : nodes.list()) {
            Map<String, String> labels = n.labels();
            if (!hasAllKeys(labels, hard)) {
                continue;
            }
            for (int i = 0; i < hard.size(); i++) {
                Constraint c = hard.get(i);
                if (nodeCounts(c, pod, n)) {
                    counts.get(i).merge(labels.get(c.topologyKey()), c.countOn(n, ns), Integer::sum);
                }
            }
        }
        state.write(FILTER_KEY, new FilterState(hard, counts));
        return PreFilterResult.success();
    }

    @Override
    public PreFilterExtensions extensions() {
        return new PreFilterExtensions() {
            @Override
            public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(podToSchedule, podToAdd, node, 1);
                }
                return Status.success();
            }

            @Override
            public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(podToSchedule, podToRemove, node, -1);
                }
                return Status.success();
            }
        };
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) {
            return Status.success();
        }
        Map<String, String> labels = node.labels();
        Map<String, String> podLabels = state.podInfo(pod).labels();
        for (int i = 0; i < s.constraints.size(); i++) {
            Constraint c = s.constraints.get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                return Status.unresolvable(ERR_MISSING_LABEL);
            }
            int self = LabelSelectors.matches(c.selector(), podLabels) ? 1 : 0;
            int min = s.counts.get(i).size() < c.minDomains() ? 0 : s.min[i];
            int skew = s.counts.get(i).getOrDefault(value, 0) + self - min;
            if (skew > c.maxSkew()) {
                return Status.unschedulable(ERR_CONSTRAINTS);
            }
        }
        return Status.success();
    }

    // ---- score ----------------------------------------------------------------------------------

    record ScoreState(List<Constraint> constraints, Set<String> ignoredNodes, Map<TopologyPair, long[]> podCounts,
                      double[] weights, String namespace) implements CycleState.StateData {
        @Override
        public ScoreState copy() {
            return this;
        }
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        List<Constraint> soft = constraints(pod, false);
        if (soft.isEmpty()) {
            return Status.skip();
        }
        Set<String> ignored = new HashSet<>();
        Map<TopologyPair, long[]> podCounts = new HashMap<>();
        int[] domains = new int[soft.size()];
        for (NodeInfo n : feasibleNodes) {
            Map<String, String> labels = n.labels();
            if (!hasAllKeys(labels, soft)) {
                ignored.add(n.name());
                continue;
            }
            for (int i = 0; i < soft.size(); i++) {
                String key = soft.get(i).topologyKey();
                if (key.equals(HOSTNAME)) {
                    continue;
                }
                if (podCounts.putIfAbsent(new TopologyPair(key, labels.get(key)), new long[1]) == null) {
                    domains[i]++;
                }
            }
        }
        double[] weights = new double[soft.size()];
        for (int i = 0; i < soft.size(); i++) {
            int size = soft.get(i).topologyKey().equals(HOSTNAME) ? feasibleNodes.size() - ignored.size() : domains[i];
            weights[i] = Math.log(size + 2);
        }
        String ns = pod.getMetadata().getNamespace();
        if (!podCounts.isEmpty()) {
            for (NodeInfo n : snapshot.get().list()) {
                Map<String, String> labels = n.labels();
                if (!hasAllKeys(labels, soft)) {
                    continue;
                }
                for (Constraint c : soft) {
                    if (c.topologyKey().equals(HOSTNAME) || !nodeCounts(c, pod, n)) {
                        continue;
                    }
                    long[] count = podCounts.get(new TopologyPair(c.topologyKey(), labels.get(c.topologyKey())));
                    if (count != null) {
                        count[0] += c.countOn(n, ns);
                    }
                }
            }
        }
        state.write(SCORE_KEY, new ScoreState(soft, ignored, podCounts, weights, ns));
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null || s.ignoredNodes().contains(node.name())) {
            return 0;
        }
        Map<String, String> labels = node.labels();
        double score = 0;
        for (int i = 0; i < s.constraints().size(); i++) {
            Constraint c = s.constraints().get(i);
            String value = labels.get(c.topologyKey());
            if (value == null) {
                continue;
            }
            long count;
            if (c.topologyKey().equals(HOSTNAME)) {
                count = c.countOn(node, s.namespace());
            } else {
                long[] n = s.podCounts().get(new TopologyPair(c.topologyKey(), value));
                count = n == null ? 0 : n[0];
            }
            score += count * s.weights()[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override
    public void normalize(CycleState state, Pod pod, NodeInfo[] nodes, long[] scores) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) {
            return;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (s.ignoredNodes().contains(nodes[i].name())) {
                continue;
            }
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < nodes.length; i++) {
            if (s.ignoredNodes().contains(nodes[i].name())) {
                scores[i] = 0;
            } else if (max == 0) {
                scores[i] = MAX_NODE_SCORE;
            } else {
                scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
            }
        }
    }
}
