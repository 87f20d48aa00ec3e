package io.jk8s.scheduler.framework;

import java.util.List;

/**
 * Pods nominated to run on a node after preemption (their {@code status.nominatedNodeName}) but
 * not bound yet. Filters count those of equal or higher priority so that the room made for them
 * is not taken by others.
 */
public interface PodNominator {
    /** Nominated pods for {@code nodeName}; empty when none. Thread safe. */
    List<PodInfo> nominatedPodsForNode(String nodeName);
}
