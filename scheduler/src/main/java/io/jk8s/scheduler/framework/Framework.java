package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the plugins of one {@link Profile} at each extension point, in profile order, and serves as
 * their {@link FrameworkHandle}. Used by the single scheduling thread (binding excepted).
 */
public final class Framework implements FrameworkHandle {

    private final Profile profile;
    private final PodNominator nominator;
    private final PreemptionActions preemptionActions;
    private final List<PreFilterPlugin> preFilters = new ArrayList<>();
    private final List<FilterPlugin> filters = new ArrayList<>();
    private final List<PostFilterPlugin> postFilters = new ArrayList<>();
    private final List<PreScorePlugin> preScores = new ArrayList<>();
    private final List<ScorePlugin> scores = new ArrayList<>();
    private final int[] scoreWeights;
    private final List<ReservePlugin> reserves = new ArrayList<>();
    private final List<BindPlugin> binders = new ArrayList<>();
    private NodeInfoLister snapshot;

    public Framework(Profile profile, PodNominator nominator, PreemptionActions preemptionActions) {
        this.profile = profile;
        this.nominator = nominator;
        this.preemptionActions = preemptionActions;
        Set<String> names = new HashSet<>();
        for (Profile.PluginFactory factory : profile.plugins()) {
            Plugin p = factory.create(this);
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("plugin listed twice in profile " + profile.schedulerName() + ": " + p.name());
            }
            if (p instanceof PreFilterPlugin x) preFilters.add(x);
            if (p instanceof FilterPlugin x) filters.add(x);
            if (p instanceof PostFilterPlugin x) postFilters.add(x);
            if (p instanceof PreScorePlugin x) preScores.add(x);
            if (p instanceof ScorePlugin x) scores.add(x);
            if (p instanceof ReservePlugin x) reserves.add(x);
            if (p instanceof BindPlugin x) binders.add(x);
        }
        scoreWeights = scores.stream().mapToInt(s -> profile.weightOf(s.name())).toArray();
    }

    public Profile profile() {
        return profile;
    }

    /** Sets the snapshot that this cycle's plugins see. */
    public void setSnapshot(NodeInfoLister snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public NodeInfoLister snapshot() {
        return snapshot;
    }

    @Override
    public PodNominator nominator() {
        return nominator;
    }

    public boolean hasPostFilterPlugins() {
        return !postFilters.isEmpty();
    }

    public boolean hasScorePlugins() {
        return !scores.isEmpty();
    }

    /**
     * Runs every PreFilter. Returns the first rejection or error (attributed to its plugin), else SUCCESS
     * with the intersection of the node restrictions ({@code null} when none). SKIPs are recorded in state.
     */
    public PreFilterResult runPreFilter(CycleState state, Pod pod) {
        Set<String> nodeNames = null;
        for (PreFilterPlugin p : preFilters) {
            PreFilterResult r = p.preFilter(state, pod, snapshot);
            Status s = r.status();
            if (s.isSkip()) {
                state.skipFilterPlugins().add(p.name());
                continue;
            }
            if (!s.isSuccess()) {
                return PreFilterResult.of(s.withPlugin(p.name()));
            }
            if (r.nodeNames() != null) {
                if (nodeNames == null) {
                    nodeNames = new HashSet<>(r.nodeNames());
                } else {
                    nodeNames.retainAll(r.nodeNames());
                }
            }
        }
        return new PreFilterResult(Status.success(), nodeNames);
    }

    /** Runs the Filters on one node, stopping at the first that does not succeed. */
    public Status runFilter(CycleState state, Pod pod, NodeInfo node) {
        FilterPlugin[] active = state.activeFilters();
        if (active == null) {
            // Decided once per cycle (PreFilter SKIPs are known by now), not once per node.
            Set<String> skip = state.skipFilterPlugins();
            active = filters.stream().filter(p -> !skip.contains(p.name())).toArray(FilterPlugin[]::new);
            state.setActiveFilters(active);
        }
        for (FilterPlugin p : active) {
            Status s = p.filter(state, pod, node);
            if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.success();
    }

    /**
     * Filters a node twice when pods of at least the pod's priority are nominated to it: once with them
     * (so their room is kept) and, if that passes, once without (affinity to them must not be assumed).
     */
    @Override
    public Status runFilterWithNominatedPods(CycleState state, Pod pod, NodeInfo node) {
        List<PodInfo> nominated = nominator.nominatedPodsForNode(node.name());
        if (!nominated.isEmpty()) {
            int priority = pod.getSpec().getPriority() == null ? 0 : pod.getSpec().getPriority();
            String uid = PodInfo.of(pod).uid();
            CycleState stateWith = null;
            NodeInfo nodeWith = null;
            for (PodInfo n : nominated) {
                if (n.priority() >= priority && !n.uid().equals(uid)) {
                    if (stateWith == null) {
                        stateWith = state.copy();
                        nodeWith = node.copy();
                    }
                    nodeWith.addPod(n);
                    Status s = runPreFilterAddPod(stateWith, pod, n, nodeWith);
                    if (!s.isSuccess()) {
                        return s;
                    }
                }
            }
            if (stateWith != null) {
                Status s = runFilter(stateWith, pod, nodeWith);
                if (!s.isSuccess()) {
                    return s;
                }
            }
        }
        return runFilter(state, pod, node);
    }

    @Override
    public Status runPreFilterAddPod(CycleState state, Pod pod, PodInfo podToAdd, NodeInfo node) {
        for (PreFilterPlugin p : preFilters) {
            PreFilterExtensions ext = p.extensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.addPod(state, pod, podToAdd, node);
            if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.success();
    }

    @Override
    public Status runPreFilterRemovePod(CycleState state, Pod pod, PodInfo podToRemove, NodeInfo node) {
        for (PreFilterPlugin p : preFilters) {
            PreFilterExtensions ext = p.extensions();
            if (ext == null || state.skipFilterPlugins().contains(p.name())) {
                continue;
            }
            Status s = ext.removePod(state, pod, podToRemove, node);
            if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.success();
    }

    /** Runs PostFilters until one succeeds; the last non-success is returned otherwise. */
    public PostFilterResult runPostFilter(CycleState state, Pod pod, Map<String, Status> nodeStatus) {
        PostFilterResult last = PostFilterResult.failed(Status.unschedulable());
        for (PostFilterPlugin p : postFilters) {
            PostFilterResult r = p.postFilter(state, pod, nodeStatus);
            if (r.status().isSuccess()) {
                return r;
            }
            last = new PostFilterResult(r.status().withPlugin(p.name()), r.nominatedNodeName());
            if (r.status().code() == Status.Code.ERROR) {
                return last;
            }
        }
        return last;
    }

    /** Runs PreScores; SKIPs are recorded so the plugin's Score is not called. */
    public Status runPreScore(CycleState state, Pod pod, List<NodeInfo> feasible) {
        for (PreScorePlugin p : preScores) {
            Status s = p.preScore(state, pod, feasible);
            if (s.isSkip()) {
                state.skipScorePlugins().add(p.name());
            } else if (!s.isSuccess()) {
                return s.withPlugin(p.name());
            }
        }
        return Status.success();
    }

    /**
     * Scores, normalises and weights every feasible node; returns the total per node, in the order of
     * {@code nodes}.
     */
    public long[] runScore(CycleState state, Pod pod, NodeInfo[] nodes) {
        long[] total = new long[nodes.length];
        long[] scratch = new long[nodes.length];
        Set<String> skip = state.skipScorePlugins();
        for (int pi = 0; pi < scores.size(); pi++) {
            ScorePlugin p = scores.get(pi);
            if (!skip.isEmpty() && skip.contains(p.name())) {
                continue;
            }
            for (int i = 0; i < nodes.length; i++) {
                scratch[i] = p.score(state, pod, nodes[i]);
            }
            p.normalize(state, pod, nodes, scratch);
            int w = scoreWeights[pi];
            for (int i = 0; i < nodes.length; i++) {
                long s = scratch[i];
                if (s < ScorePlugin.MIN_NODE_SCORE || s > ScorePlugin.MAX_NODE_SCORE) {
                    throw new IllegalStateException("plugin " + p.name() + " returned score " + s + " for " + nodes[i].name());
                }
                total[i] += s * w;
            }
        }
        return total;
    }

    /** Runs Reserve in order; on failure the reserved ones are unreserved and the failure returned. */
    public Status runReserve(CycleState state, Pod pod, String nodeName) {
        for (int i = 0; i < reserves.size(); i++) {
            Status s = reserves.get(i).reserve(state, pod, nodeName);
            if (!s.isSuccess()) {
                runUnreserve(state, pod, nodeName);
                return s.withPlugin(reserves.get(i).name());
            }
        }
        return Status.success();
    }

    /** Runs Unreserve in reverse order. */
    public void runUnreserve(CycleState state, Pod pod, String nodeName) {
        for (int i = reserves.size() - 1; i >= 0; i--) {
            reserves.get(i).unreserve(state, pod, nodeName);
        }
    }

    /** Asks the bind plugins in order until one does not SKIP. */
    public Status runBind(CycleState state, Pod pod, String nodeName) {
        for (BindPlugin b : binders) {
            Status s = b.bind(state, pod, nodeName);
            if (!s.isSkip()) {
                return s.isSuccess() ? s : s.withPlugin(b.name());
            }
        }
        return Status.error("no bind plugin bound pod " + PodInfo.keyOf(pod));
    }

    @Override
    public void evict(Pod victim, Pod preemptor, String nodeName) {
        preemptionActions.evict(victim, preemptor, nodeName);
    }

    @Override
    public void clearNomination(Pod pod) {
        preemptionActions.clearNomination(pod);
    }
}
