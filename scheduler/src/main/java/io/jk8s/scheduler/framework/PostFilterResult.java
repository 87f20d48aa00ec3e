package io.jk8s.scheduler.framework;

/**
 * Outcome of a PostFilter: its status and, on success, the node the pod is nominated to
 * ({@code ""} clears an old nomination, {@code null} leaves it).
 */
public record PostFilterResult(Status status, String nominatedNodeName) {

    public static PostFilterResult nominated(String nodeName) {
        return new PostFilterResult(Status.success(), nodeName);
    }

    public static PostFilterResult failed(Status status) {
        return new PostFilterResult(status, "");
    }
}
