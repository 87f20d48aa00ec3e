package io.jk8s.scheduler.framework;

import java.util.List;

/**
 * The outcome of running a plugin at an extension point. Expected outcomes (a node does not fit,
 * a plugin has nothing to do for this pod) are values of this type; exceptions are kept for bugs.
 *
 * @param code    what happened
 * @param reasons human-readable reasons, each counted separately in the failure message
 * @param plugin  the plugin that produced this status, or {@code null} when not attributed yet
 */
public record Status(Code code, List<String> reasons, String plugin) {

    /** The closed set of outcomes, as upstream's framework {@code Code}. */
    public enum Code {
        /** The plugin ran and the pod may proceed. */
        SUCCESS,
        /** An internal or infrastructure error; the pod is retried with backoff. */
        ERROR,
        /** The node does not fit now, but preempting pods on it may help. */
        UNSCHEDULABLE,
        /** The node does not fit and preemption on it cannot help. */
        UNSCHEDULABLE_AND_UNRESOLVABLE,
        /** PreFilter/PreScore only: the plugin is not relevant to this pod; its Filter/Score are skipped. */
        SKIP
    }

    private static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
    private static final Status SKIP = new Status(Code.SKIP, List.of(), null);

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status success() {
        return SUCCESS;
    }

    public static Status skip() {
        return SKIP;
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons), null);
    }

    public static Status unschedulable(List<String> reasons) {
        return new Status(Code.UNSCHEDULABLE, reasons, null);
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), null);
    }

    public static Status error(String reason) {
        return new Status(Code.ERROR, List.of(reason), null);
    }

    public static Status of(Code code, String... reasons) {
        return new Status(code, List.of(reasons), null);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    /** True when the pod was rejected (as opposed to an error): the node or the cluster does not fit. */
    public boolean isRejected() {
        return code == Code.UNSCHEDULABLE || code == Code.UNSCHEDULABLE_AND_UNRESOLVABLE;
    }

    /** The reasons joined as upstream's {@code Status.Message()}. */
    public String message() {
        return String.join(", ", reasons);
    }

    public Status withPlugin(String pluginName) {
        return new Status(code, reasons, pluginName);
    }
}
