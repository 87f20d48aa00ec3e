package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Binds the pod to the chosen node in the API. Runs on a binding thread, off the scheduling loop,
 * so it may block on I/O. Bind plugins are tried in order until one does not return SKIP.
 */
public interface BindPlugin extends Plugin {
    /** @return SUCCESS when bound, SKIP to let the next bind plugin handle it, ERROR on failure. */
    Status bind(CycleState state, Pod pod, String nodeName);
}
