package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Decides whether one node can run the pod. Called for many nodes per cycle, so it must be cheap
 * and must not modify {@code node} or the pod.
 */
public interface FilterPlugin extends Plugin {
    /**
     * @return SUCCESS when the node fits; UNSCHEDULABLE when preempting pods might make it fit;
     *         UNSCHEDULABLE_AND_UNRESOLVABLE when it never can; ERROR on internal failure.
     */
    Status filter(CycleState state, Pod pod, NodeInfo node);
}
