package io.jk8s.scheduler;

import io.jk8s.scheduler.framework.Status;

/** The outcome of finding a node for one pod. */
public sealed interface ScheduleResult {

    /** The chosen node, with how many nodes were filtered and how many fit. */
    record Suggested(String nodeName, int evaluatedNodes, int feasibleNodes) implements ScheduleResult {
    }

    /** No node fits (including when there are no nodes at all). */
    record Unschedulable(FitError fitError, String message) implements ScheduleResult {
        public static Unschedulable of(FitError e) {
            return new Unschedulable(e, e.message());
        }
    }

    /** A plugin failed with an error; the pod is retried with backoff. */
    record Failed(Status status) implements ScheduleResult {
    }
}
