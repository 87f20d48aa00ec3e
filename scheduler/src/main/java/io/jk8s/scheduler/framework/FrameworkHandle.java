package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * What plugins may use of the scheduler around them, given to plugin factories. Only called from
 * the scheduling thread during a cycle.
 */
public interface FrameworkHandle {

    /** The snapshot of the current cycle. */
    NodeInfoLister snapshot();

    PodNominator nominator();

    /** Runs all Filter plugins on {@code node}, counting nominated pods as upstream does. */
    Status runFilterWithNominatedPods(CycleState state, Pod pod, NodeInfo node);

    /** Runs the PreFilter extensions after {@code podToAdd} was added to {@code node}. */
    Status runPreFilterAddPod(CycleState state, Pod pod, PodInfo podToAdd, NodeInfo node);

    /** Runs the PreFilter extensions after {@code podToRemove} was removed from {@code node}. */
    Status runPreFilterRemovePod(CycleState state, Pod pod, PodInfo podToRemove, NodeInfo node);

    /** Deletes a preemption victim through the API (recording a {@code Preempted} event). */
    void evict(Pod victim, Pod preemptor, String nodeName);

    /** Clears {@code status.nominatedNodeName} of a pod whose nomination was taken by a preemptor. */
    void clearNomination(Pod pod);
}
