package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * The API side effects of preemption, implemented by the scheduler over its API client. Calls may
 * block; failures are logged by the implementation, as the victims' deletion is retried by the next
 * scheduling attempt anyway.
 */
public interface PreemptionActions {
    void evict(Pod victim, Pod preemptor, String nodeName);

    void clearNomination(Pod pod);
}
