package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.cache.Snapshot;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.Framework;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Finds a node for one pod on a snapshot: PreFilter, then Filter over the nodes (starting where the
 * previous cycle stopped, and stopping once enough feasible nodes are found: upstream's
 * percentageOfNodesToScore), then Score, then the highest total with a random tie-break.
 * Used by the scheduling thread only.
 */
public final class SchedulingAlgorithm {

    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
    public static final String NO_NODES_MESSAGE = "no nodes available to schedule pods";

    private final int percentageOfNodesToScore;
    private final RandomGenerator random;
    private int nextStartNodeIndex;

    /** @param percentageOfNodesToScore 1-100, or 0 for upstream's adaptive default */
    public SchedulingAlgorithm(int percentageOfNodesToScore, RandomGenerator random) {
        this.percentageOfNodesToScore = percentageOfNodesToScore;
        this.random = random;
    }

    public ScheduleResult schedule(Framework fw, CycleState state, PodInfo podInfo, Snapshot snapshot) {
        Pod pod = podInfo.pod();
        List<NodeInfo> all = snapshot.list();
        if (all.isEmpty()) {
            return new ScheduleResult.Unschedulable(new FitError(0, Map.of(), NO_NODES_MESSAGE, null), NO_NODES_MESSAGE);
        }
        Map<String, Status> nodeToStatus = new HashMap<>();
        PreFilterResult pre = fw.runPreFilter(state, pod);
        if (!pre.status().isSuccess()) {
            if (!pre.status().isRejected()) {
                return new ScheduleResult.Failed(pre.status());
            }
            for (NodeInfo n : all) {
                nodeToStatus.put(n.name(), pre.status());
            }
            return ScheduleResult.Unschedulable.of(new FitError(all.size(), nodeToStatus, pre.status().message(), null));
        }

        List<NodeInfo> feasible = new ArrayList<>();
        String nominated = nominatedNode(podInfo);
        if (nominated != null && snapshot.get(nominated) != null
                && (pre.nodeNames() == null || pre.nodeNames().contains(nominated))) {
            Status s = fw.runFilterWithNominatedPods(state, pod, snapshot.get(nominated));
            if (s.isSuccess()) {
                // The room preemption made for this pod is still there: take it without scoring.
                return new ScheduleResult.Suggested(nominated, 1, 1);
            }
            if (!s.isRejected()) {
                return new ScheduleResult.Failed(s);
            }
        }

        List<NodeInfo> candidates = all;
        if (pre.nodeNames() != null) {
            candidates = new ArrayList<>(pre.nodeNames().size());
            Status outside = Status.unresolvable("node(s) didn't satisfy plugin(s) PreFilter");
            for (NodeInfo n : all) {
                if (pre.nodeNames().contains(n.name())) {
                    candidates.add(n);
                } else {
                    nodeToStatus.put(n.name(), outside);
                }
            }
        }
        int wanted = numFeasibleNodesToFind(candidates.size());
        int size = candidates.size();
        int start = size == 0 ? 0 : nextStartNodeIndex % size;
        int evaluated = 0;
        for (int i = 0; i < size && feasible.size() < wanted; i++) {
            NodeInfo n = candidates.get((start + i) % size);
            evaluated++;
            Status s = fw.runFilterWithNominatedPods(state, pod, n);
            if (s.isSuccess()) {
                feasible.add(n);
            } else if (s.isRejected()) {
                nodeToStatus.put(n.name(), s);
            } else {
                return new ScheduleResult.Failed(s);
            }
        }
        nextStartNodeIndex = size == 0 ? 0 : (start + evaluated) % size;

        if (feasible.isEmpty()) {
            return ScheduleResult.Unschedulable.of(new FitError(all.size(), nodeToStatus, null, null));
        }
        if (feasible.size() == 1 || !fw.hasScorePlugins()) {
            return new ScheduleResult.Suggested(feasible.get(0).name(), evaluated, feasible.size());
        }
        Status s = fw.runPreScore(state, pod, feasible);
        if (!s.isSuccess()) {
            return new ScheduleResult.Failed(s);
        }
        NodeInfo[] nodes = feasible.toArray(NodeInfo[]::new);
        long[] totals = fw.runScore(state, pod, nodes);
        return new ScheduleResult.Suggested(selectHost(nodes, totals), evaluated, feasible.size());
    }

    private static String nominatedNode(PodInfo podInfo) {
        Pod pod = podInfo.pod();
        String fromStatus = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        return fromStatus == null || fromStatus.isEmpty() ? null : fromStatus;
    }

    /** The highest total; ties broken uniformly at random (reservoir sampling). */
    String selectHost(NodeInfo[] nodes, long[] totals) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < nodes.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
                ties = 1;
            } else if (totals[i] == totals[best]) {
                ties++;
                if (random.nextInt(ties) == 0) {
                    best = i;
                }
            }
        }
        return nodes[best].name();
    }

    /** How many feasible nodes are enough: all below 100 nodes, else a percentage (adaptive by default). */
    int numFeasibleNodesToFind(int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
            return numAllNodes;
        }
        int pct = percentageOfNodesToScore;
        if (pct <= 0) {
            pct = 50 - numAllNodes / 125;
            if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
                pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
            }
        }
        int n = (int) ((long) numAllNodes * pct / 100);
        return Math.max(n, MIN_FEASIBLE_NODES_TO_FIND);
    }
}
