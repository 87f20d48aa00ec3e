package io.jk8s.scheduler.framework;

import java.util.Set;

/**
 * What a PreFilter returns: a status and optionally the only node names worth filtering
 * ({@code null} means all nodes).
 */
public record PreFilterResult(Status status, Set<String> nodeNames) {

    public static PreFilterResult success() {
        return new PreFilterResult(Status.success(), null);
    }

    public static PreFilterResult skip() {
        return new PreFilterResult(Status.skip(), null);
    }

    public static PreFilterResult onlyNodes(Set<String> nodeNames) {
        return new PreFilterResult(Status.success(), Set.copyOf(nodeNames));
    }

    public static PreFilterResult of(Status status) {
        return new PreFilterResult(status, null);
    }
}
