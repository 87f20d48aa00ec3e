package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

import java.util.Map;

/**
 * Runs when no node passed the filters, e.g. preemption. It may change the cluster (delete victims)
 * so that the pod fits later.
 */
public interface PostFilterPlugin extends Plugin {
    /**
     * @param filteredNodeStatus the rejection status of each node that was evaluated
     * @return SUCCESS with a nominated node when the pod should fit there once victims are gone;
     *         UNSCHEDULABLE with a message explaining why not; ERROR on failure.
     */
    PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodeStatus);
}
