package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Keeps a PreFilter's state in step when preemption evaluates a node with some pods removed
 * (victims) or added back (reprieved). Called on a copy of the cycle state.
 */
public interface PreFilterExtensions {
    /** {@code podToAdd} is (again) on {@code node}; returns SUCCESS or ERROR. */
    Status addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo node);

    /** {@code podToRemove} is no longer on {@code node}; returns SUCCESS or ERROR. */
    Status removePod(CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo node);
}
