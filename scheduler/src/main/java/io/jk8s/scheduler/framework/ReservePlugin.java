package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Informed when a node is chosen and the pod is assumed on it ({@link #reserve}), and when that
 * choice is undone because a later step failed ({@link #unreserve}, must be idempotent).
 */
public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, Pod pod, String nodeName);

    void unreserve(CycleState state, Pod pod, String nodeName);
}
