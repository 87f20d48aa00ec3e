package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * Where pod workers send their results (the API server, in production). Called from the pod's
 * worker thread only; implementations must be thread-safe across pods. Failures are reported
 * by throwing; the worker retries on its next sync.
 */
public interface PodStatusSink {

    /** Publishes a new status for {@code pod}; called only when the status changed. */
    void report(Pod pod, PodStatus status);

    /**
     * Called once when a pod marked for deletion has no running containers left: the kubelet's
     * final delete (grace period 0) that removes the object from the API.
     */
    void terminated(Pod pod);
}
