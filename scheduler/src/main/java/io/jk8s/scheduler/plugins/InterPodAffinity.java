package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.AffinityTerm;
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
import io.jk8s.scheduler.framework.WeightedAffinityTerm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pod affinity and anti-affinity by topology domain.
 * <p>Filter: the node's domain (value of each term's {@code topologyKey}) must hold a pod matching each
 * required affinity term (unless no pod anywhere matches and the pod matches its own terms: the first
 * of a group), no pod matching a required anti-affinity term, and no existing pod whose required
 * anti-affinity rejects the incoming pod.
 * <p>Score: per domain, + weight of the pod's preferred affinity terms matched by pods there,
 * - weight of its preferred anti-affinity, and symmetrically the existing pods' preferences for the
 * incoming pod (their required affinity counts with weight 1); scaled min-max to [0, 100].
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {

    public static final String NAME = "InterPodAffinity";
    public static final String ERR_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
    public static final String ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
    private static final int HARD_POD_AFFINITY_WEIGHT = 1;

    private static final CycleState.Key<FilterState> FILTER_KEY = new CycleState.Key<>("PreFilter" + NAME);
    private static final CycleState.Key<ScoreState> SCORE_KEY = new CycleState.Key<>("PreScore" + NAME);

    private final Supplier<NodeInfoLister> snapshot;

    /** @param snapshot the current cycle's snapshot: scoring looks at pods on all nodes, not only feasible ones */
    public InterPodAffinity(Supplier<NodeInfoLister> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Counts per topology domain, computed in PreFilter. */
    static final class FilterState implements CycleState.StateData {
        final PodInfo pod;
        final Map<TopologyPair, Integer> existingAntiAffinity;
        final Map<TopologyPair, Integer> affinity;
        final Map<TopologyPair, Integer> antiAffinity;

        FilterState(PodInfo pod, Map<TopologyPair, Integer> existing, Map<TopologyPair, Integer> affinity,
                    Map<TopologyPair, Integer> anti) {
            this.pod = pod;
            this.existingAntiAffinity = existing;
            this.affinity = affinity;
            this.antiAffinity = anti;
        }

        @Override
        public FilterState copy() {
            return new FilterState(pod, new HashMap<>(existingAntiAffinity), new HashMap<>(affinity), new HashMap<>(antiAffinity));
        }

        /** Accounts {@code existing} on {@code node} with {@code delta} = +1 (added) or -1 (removed). */
        void update(PodInfo existing, NodeInfo node, int delta) {
            Map<String, String> labels = node.labels();
            for (AffinityTerm t : existing.requiredAntiAffinity()) {
                if (t.matches(pod)) {
                    bump(existingAntiAffinity, t, labels, delta);
                }
            }
            for (AffinityTerm t : pod.requiredAffinity()) {
                if (t.matches(existing)) {
                    bump(affinity, t, labels, delta);
                }
            }
            for (AffinityTerm t : pod.requiredAntiAffinity()) {
                if (t.matches(existing)) {
                    bump(antiAffinity, t, labels, delta);
                }
            }
        }

        private static void bump(Map<TopologyPair, Integer> counts, AffinityTerm t, Map<String, String> labels, int delta) {
            String value = labels.get(t.topologyKey());
            if (value == null) {
                return;
            }
            TopologyPair pair = new TopologyPair(t.topologyKey(), value);
            int n = counts.getOrDefault(pair, 0) + delta;
            if (n == 0) {
                counts.remove(pair);
            } else {
                counts.put(pair, n);
            }
        }
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes) {
        PodInfo p = state.podInfo(pod);
        boolean hasRequired = !p.requiredAffinity().isEmpty() || !p.requiredAntiAffinity().isEmpty();
        FilterState s = new FilterState(p, new HashMap<>(), new HashMap<>(), new HashMap<>());
        for (NodeInfo n : nodes.havePodsWithAffinity()) {
            for (PodInfo existing : n.podsWithRequiredAntiAffinity()) {
                for (AffinityTerm t : existing.requiredAntiAffinity()) {
                    if (t.matches(p)) {
                        FilterState.bump(s.existingAntiAffinity, t, n.labels(), 1);
                    }
                }
            }
        }
        if (!hasRequired && s.existingAntiAffinity.isEmpty()) {
            return PreFilterResult.skip();
        }
        if (hasRequired) {
            for (NodeInfo n : nodes.list()) {
                for (PodInfo existing : n.pods()) {
                    for (AffinityTerm t : p.requiredAffinity()) {
                        if (t.matches(existing)) {
                            FilterState.bump(s.affinity, t, n.labels(), 1);
                        }
                    }
                    for (AffinityTerm t : p.requiredAntiAffinity()) {
                        if (t.matches(existing)) {
                            FilterState.bump(s.antiAffinity, t, n.labels(), 1);
                        }
                    }
                }
            }
        }
        state.write(FILTER_KEY, s);
        return PreFilterResult.success();
    }

    @Override
    public PreFilterExtensions extensions() {
        return new PreFilterExtensions() {
            @Override
            public Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(podToAdd, node, 1);
                }
                return Status.success();
            }

            @Override
            public Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node) {
                FilterState s = state.read(FILTER_KEY);
                if (s != null) {
                    s.update(podToRemove, node, -1);
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
        if (!satisfiesAffinity(s, labels)) {
            return Status.unresolvable(ERR_AFFINITY);
        }
        for (AffinityTerm t : s.pod.requiredAntiAffinity()) {
            String v = labels.get(t.topologyKey());
            if (v != null && s.antiAffinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) > 0) {
                return Status.unschedulable(ERR_ANTI_AFFINITY);
            }
        }
        if (!s.existingAntiAffinity.isEmpty()) {
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (s.existingAntiAffinity.getOrDefault(new TopologyPair(l.getKey(), l.getValue()), 0) > 0) {
                    return Status.unschedulable(ERR_EXISTING_ANTI_AFFINITY);
                }
            }
        }
        return Status.success();
    }

    private static boolean satisfiesAffinity(FilterState s, Map<String, String> labels) {
        boolean podsExist = true;
        for (AffinityTerm t : s.pod.requiredAffinity()) {
            String v = labels.get(t.topologyKey());
            if (v == null) {
                return false; // every topology key must exist on the node
            }
            if (s.affinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) <= 0) {
                podsExist = false;
            }
        }
        if (podsExist) {
            return true;
        }
        // The first pod of a group with affinity to itself must be able to start somewhere.
        return s.affinity.isEmpty() && s.pod.requiredAffinity().stream().allMatch(t -> t.matches(s.pod));
    }

    // ---- scoring --------------------------------------------------------------------------------

    /** Score per topology key and value. */
    record ScoreState(Map<String, Map<String, Long>> topologyScore) implements CycleState.StateData {
        @Override
        public ScoreState copy() {
            return this;
        }

        void add(AffinityTerm term, long weight, PodInfo podToCheck, Map<String, String> nodeLabels) {
            if (weight == 0 || !term.matches(podToCheck)) {
                return;
            }
            String v = nodeLabels.get(term.topologyKey());
            if (v == null) {
                return;
            }
            topologyScore.computeIfAbsent(term.topologyKey(), k -> new HashMap<>()).merge(v, weight, Long::sum);
        }
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        PodInfo incoming = state.podInfo(pod);
        boolean hasPreferred = !incoming.preferredAffinity().isEmpty() || !incoming.preferredAntiAffinity().isEmpty();
        NodeInfoLister lister = snapshot.get();
        List<NodeInfo> nodes = hasPreferred ? lister.list() : lister.havePodsWithAffinity();
        if (!hasPreferred && nodes.isEmpty()) {
            return Status.skip();
        }
        ScoreState s = new ScoreState(new HashMap<>());
        for (NodeInfo n : nodes) {
            Map<String, String> labels = n.labels();
            if (labels.isEmpty()) {
                continue;
            }
            List<PodInfo> existingPods = hasPreferred ? n.pods() : n.podsWithAffinity();
            for (PodInfo existing : existingPods) {
                for (WeightedAffinityTerm w : incoming.preferredAffinity()) {
                    s.add(w.term(), w.weight(), existing, labels);
                }
                for (WeightedAffinityTerm w : incoming.preferredAntiAffinity()) {
                    s.add(w.term(), -w.weight(), existing, labels);
                }
                for (AffinityTerm t : existing.requiredAffinity()) {
                    s.add(t, HARD_POD_AFFINITY_WEIGHT, incoming, labels);
                }
                for (WeightedAffinityTerm w : existing.preferredAffinity()) {
                    s.add(w.term(), w.weight(), incoming, labels);
                }
                for (WeightedAffinityTerm w : existing.preferredAntiAffinity()) {
                    s.add(w.term(), -w.weight(), incoming, labels);
                }
            }
        }
        state.write(SCORE_KEY, s);
        return Status.success();
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) {
            return 0;
        }
        long score = 0;
        Map<String, String> labels = node.labels();
        for (Map.Entry<String, Map<String, Long>> e : s.topologyScore().entrySet()) {
            String v = labels.get(e.getKey());
            if (v != null) {
                score += e.getValue().getOrDefault(v, 0L);
            }
        }
        return score;
    }

    @Override
    public void normalize(CycleState state, Pod pod, NodeInfo[] nodes, long[] scores) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
        }
    }
}
