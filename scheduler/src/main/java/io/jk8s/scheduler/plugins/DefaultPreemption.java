package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.FitErrorMessages;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FrameworkHandle;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PostFilterPlugin;
import io.jk8s.scheduler.framework.PostFilterResult;
import io.jk8s.scheduler.framework.Status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostFilter: when no node fits, look for a node where evicting pods of lower priority would make the
 * pod fit. Per node it removes all lower-priority pods, checks the pod fits, then reprieves as many as
 * possible (most important first). Among candidate nodes it prefers the lowest highest-victim priority,
 * then the lowest sum of victim priorities, then the fewest victims, then the most recently started
 * victims. The victims are deleted, lower-priority pods nominated to that node lose their nomination,
 * and the pod is nominated to the node ({@code status.nominatedNodeName}) so it gets the room later.
 */
public final class DefaultPreemption implements PostFilterPlugin {

    public static final String NAME = "DefaultPreemption";
    static final String NOT_HELPFUL = "Preemption is not helpful for scheduling";
    static final String NO_VICTIMS = "No preemption victims found for incoming pod";
    private static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
    private static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;

    private final FrameworkHandle handle;

    public DefaultPreemption(FrameworkHandle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A node where preemption works, and the pods to evict there (most important first). */
    record Candidate(NodeInfo node, List<PodInfo> victims) {
    }

    @Override
    public PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodeStatus) {
        PodInfo preemptor = state.podInfo(pod);
        String notEligible = notEligibleReason(pod, preemptor, filteredNodeStatus);
        if (notEligible != null) {
            return PostFilterResult.failed(Status.unschedulable("preemption: " + notEligible));
        }
        Map<String, Status> statuses = new HashMap<>();
        List<NodeInfo> potential = new ArrayList<>();
        for (NodeInfo n : handle.snapshot().list()) {
            Status s = filteredNodeStatus.get(n.name());
            if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
                statuses.put(n.name(), Status.unresolvable(NOT_HELPFUL));
            } else {
                potential.add(n);
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        int wanted = Math.min(potential.size(),
                Math.max(MIN_CANDIDATE_NODES_ABSOLUTE, potential.size() * MIN_CANDIDATE_NODES_PERCENTAGE / 100));
        for (NodeInfo n : potential) {
            if (candidates.size() >= wanted) {
                break;
            }
            CycleState copy = state.copy();
            NodeInfo nodeCopy = n.copy();
            Object outcome = selectVictims(copy, pod, preemptor, nodeCopy);
            if (outcome instanceof Status s) {
                statuses.put(n.name(), s);
            } else {
                @SuppressWarnings("unchecked")
                List<PodInfo> victims = (List<PodInfo>) outcome;
                candidates.add(new Candidate(n, victims));
            }
        }
        if (candidates.isEmpty()) {
            String msg = FitErrorMessages.format(statuses.size(), statuses);
            return PostFilterResult.failed(Status.unschedulable("preemption: " + msg));
        }
        Candidate best = pickBest(candidates);
        String nodeName = best.node().name();
        for (PodInfo victim : best.victims()) {
            handle.evict(victim.pod(), pod, nodeName);
        }
        for (PodInfo nominated : handle.nominator().nominatedPodsForNode(nodeName)) {
            if (nominated.priority() < preemptor.priority() && !nominated.uid().equals(preemptor.uid())) {
                handle.clearNomination(nominated.pod());
            }
        }
        return PostFilterResult.nominated(nodeName);
    }

    private String notEligibleReason(Pod pod, PodInfo preemptor, Map<String, Status> nodeStatus) {
        if ("Never".equals(pod.getSpec().getPreemptionPolicy())) {
            return "not eligible due to preemptionPolicy=Never.";
        }
        String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        if (nominated == null || nominated.isEmpty()) {
            return null;
        }
        Status s = nodeStatus.get(nominated);
        if (s != null && s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
            return null; // the nominated node cannot work: preempt elsewhere
        }
        NodeInfo node = handle.snapshot().get(nominated);
        if (node != null) {
            for (PodInfo p : node.pods()) {
                if (p.pod().getMetadata().getDeletionTimestamp() != null && p.priority() < preemptor.priority()) {
                    // An earlier preemption is still taking effect: wait for it instead of evicting more.
                    return "not eligible due to a terminating pod on the nominated node.";
                }
            }
        }
        return null;
    }

    /** The victims on {@code node} (a copy) as a list, or the Status explaining why there are none. */
    private Object selectVictims(CycleState state, Pod pod, PodInfo preemptor, NodeInfo node) {
        List<PodInfo> potential = new ArrayList<>();
        for (PodInfo p : new ArrayList<>(node.pods())) {
            if (p.priority() < preemptor.priority()) {
                potential.add(p);
                node.removePod(p);
                Status s = handle.runPreFilterRemovePod(state, pod, p, node);
                if (!s.isSuccess()) {
                    return s;
                }
            }
        }
        if (potential.isEmpty()) {
            return Status.unresolvable(NO_VICTIMS);
        }
        Status fits = handle.runFilterWithNominatedPods(state, pod, node);
        if (!fits.isSuccess()) {
            return fits;
        }
        potential.sort(MORE_IMPORTANT_FIRST);
        List<PodInfo> victims = new ArrayList<>();
        for (PodInfo p : potential) {
            node.addPod(p);
            Status s = handle.runPreFilterAddPod(state, pod, p, node);
            if (!s.isSuccess()) {
                return s;
            }
            if (!handle.runFilterWithNominatedPods(state, pod, node).isSuccess()) {
                node.removePod(p);
                handle.runPreFilterRemovePod(state, pod, p, node);
                victims.add(p);
            }
        }
        return victims;
    }

    /** Higher priority first; at equal priority the one running longer (earlier start) first. */
    static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = Comparator
            .comparingInt((PodInfo p) -> -p.priority())
            .thenComparing(DefaultPreemption::startTime);

    private static Instant startTime(PodInfo p) {
        var status = p.pod().getStatus();
        if (status != null && status.getStartTime() != null) {
            try {
                return Instant.parse(status.getStartTime());
            } catch (RuntimeException ignored) {
                // fall through
            }
        }
        String created = p.pod().getMetadata().getCreationTimestamp();
        if (created != null) {
            try {
                return Instant.parse(created);
            } catch (RuntimeException ignored) {
                // fall through
            }
        }
        return Instant.MAX;
    }

    static Candidate pickBest(List<Candidate> candidates) {
        Comparator<Candidate> order = Comparator
                .comparingInt((Candidate c) -> c.victims().isEmpty() ? Integer.MIN_VALUE : c.victims().get(0).priority())
                .thenComparingLong(c -> c.victims().stream().mapToLong(v -> (long) v.priority() + Integer.MAX_VALUE + 1L).sum())
                .thenComparingInt(c -> c.victims().size())
                // Prefer the node whose highest-priority victims started most recently (lose least work).
                .thenComparing(c -> earliestStartOfHighest(c), Comparator.reverseOrder());
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (order.compare(c, best) < 0) {
                best = c;
            }
        }
        return best;
    }

    private static Instant earliestStartOfHighest(Candidate c) {
        if (c.victims().isEmpty()) {
            return Instant.MAX;
        }
        int highest = c.victims().get(0).priority();
        Instant earliest = Instant.MAX;
        for (PodInfo v : c.victims()) {
            if (v.priority() == highest) {
                Instant t = startTime(v);
                if (t.isBefore(earliest)) {
                    earliest = t;
                }
            }
        }
        return earliest;
    }
}
