package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The API calls the scheduler makes, apart from watching. Implemented over fabric8 in production
 * ({@link Fabric8SchedulerApi}) and by fakes in tests. Methods may block and are called from
 * binding/side-effect threads, never from the scheduling loop; failures are thrown
 * ({@code io.jk8s.api.ApiException} or the client's exception).
 */
public interface SchedulerApi {

    /** Creates {@code pods/binding} for the pod; fails with a conflict when the pod is already bound. */
    void bind(Pod pod, String nodeName);

    /** Records an event about the pod, e.g. {@code Warning FailedScheduling} or {@code Normal Scheduled}. */
    void recordEvent(Pod pod, String type, String reason, String action, String message);

    /**
     * Sets a pod status condition (the {@code PodScheduled} condition, or {@code DisruptionTarget} on a
     * preemption victim) and, unless {@code nominatedNodeName} is {@code null}, the pod's
     * {@code status.nominatedNodeName} ({@code ""} clears it).
     */
    void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName);

    /** Deletes a preemption victim. */
    void deletePod(Pod pod);
}
