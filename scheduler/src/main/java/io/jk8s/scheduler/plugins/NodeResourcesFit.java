package io.jk8s.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.FilterPlugin;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.NodeInfoLister;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PreFilterPlugin;
import io.jk8s.scheduler.framework.PreFilterResult;
import io.jk8s.scheduler.framework.Resource;
import io.jk8s.scheduler.framework.ScorePlugin;
import io.jk8s.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Filter: the node's allocatable resources minus what its pods request must cover the pod's
 * effective request (CPU, memory, ephemeral storage, extended resources such as {@code nvidia.com/gpu},
 * and one pod slot). A request larger than the whole node is unresolvable (preemption cannot help).
 * Score: {@link LeastAllocated} on CPU and memory, so that load spreads.
 */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin {

    public static final String NAME = "NodeResourcesFit";

    private final Set<String> ignoredResources;
    private final LeastAllocated scorer;

    public NodeResourcesFit() {
        this(Set.of(), new LeastAllocated(Map.of(Resource.CPU, 1, Resource.MEMORY, 1)));
    }

    public NodeResourcesFit(Set<String> ignoredResources, LeastAllocated scorer) {
        this.ignoredResources = Set.copyOf(ignoredResources);
        this.scorer = scorer;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreFilterResult preFilter(CycleState state, Pod pod, NodeInfoLister nodes) {
        state.podInfo(pod); // pre-computes the requests once per cycle
        return PreFilterResult.success();
    }

    @Override
    public Status filter(CycleState state, Pod pod, NodeInfo node) {
        Resource req = state.podInfo(pod).requests();
        Resource alloc = node.allocatable();
        Resource used = node.requested();
        List<String> reasons = null;
        boolean unresolvable = false;
        if (node.pods().size() + 1 > alloc.allowedPodNumber()) {
            reasons = add(reasons, "Too many pods");
        }
        if (req.isZero()) {
            return reasons == null ? Status.success() : Status.unschedulable(reasons);
        }
        if (req.milliCpu() > 0 && req.milliCpu() > alloc.milliCpu() - used.milliCpu()) {
            reasons = add(reasons, "Insufficient cpu");
            unresolvable |= req.milliCpu() > alloc.milliCpu();
        }
        if (req.memory() > 0 && req.memory() > alloc.memory() - used.memory()) {
            reasons = add(reasons, "Insufficient memory");
            unresolvable |= req.memory() > alloc.memory();
        }
        if (req.ephemeralStorage() > 0 && req.ephemeralStorage() > alloc.ephemeralStorage() - used.ephemeralStorage()) {
            reasons = add(reasons, "Insufficient ephemeral-storage");
            unresolvable |= req.ephemeralStorage() > alloc.ephemeralStorage();
        }
        Map<String, Long> scalars = req.scalarResources();
        for (Map.Entry<String, Long> e : scalars.isEmpty() ? Set.<Map.Entry<String, Long>>of() : scalars.entrySet()) {
            long want = e.getValue();
            if (want == 0 || ignoredResources.contains(e.getKey())) {
                continue;
            }
            long allocatable = alloc.scalar(e.getKey());
            if (want > allocatable - used.scalar(e.getKey())) {
                reasons = add(reasons, "Insufficient " + e.getKey());
                unresolvable |= want > allocatable;
            }
        }
        if (reasons == null) {
            return Status.success();
        }
        return unresolvable ? new Status(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasons, null) : Status.unschedulable(reasons);
    }

    private static List<String> add(List<String> reasons, String reason) {
        List<String> r = reasons == null ? new ArrayList<>(2) : reasons;
        r.add(reason);
        return r;
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo node) {
        return scorer.score(state.podInfo(pod), node);
    }

    /**
     * Upstream's LeastAllocated strategy: per resource {@code (allocatable - requested) * 100 / allocatable},
     * where requested counts the pod and the node's pods with the non-zero defaults; weighted average.
     */
    public static final class LeastAllocated {

        private final String[] resources;
        private final int[] weights;

        public LeastAllocated(Map<String, Integer> weights) {
            this.resources = weights.keySet().stream().sorted().toArray(String[]::new);
            this.weights = new int[resources.length];
            for (int i = 0; i < resources.length; i++) {
                this.weights[i] = weights.get(resources[i]);
            }
        }

        public long score(PodInfo pod, NodeInfo node) {
            long total = 0;
            long weightSum = 0;
            for (int i = 0; i < resources.length; i++) {
                String r = resources[i];
                long allocatable = r.equals(Resource.CPU) ? node.allocatable().milliCpu()
                        : r.equals(Resource.MEMORY) ? node.allocatable().memory() : node.allocatable().get(r);
                if (allocatable == 0) {
                    continue;
                }
                long requested = requested(resources[i], pod, node);
                long s = requested > allocatable ? 0 : (allocatable - requested) * MAX_NODE_SCORE / allocatable;
                total += s * weights[i];
                weightSum += weights[i];
            }
            return weightSum == 0 ? 0 : total / weightSum;
        }

        static long requested(String resource, PodInfo pod, NodeInfo node) {
            return switch (resource) {
                case Resource.CPU -> node.nonZeroRequested().milliCpu() + pod.nonZeroMilliCpu();
                case Resource.MEMORY -> node.nonZeroRequested().memory() + pod.nonZeroMemory();
                default -> node.requested().get(resource) + pod.requests().get(resource);
            };
        }
    }
}
