package io.jk8s.scheduler;

import io.jk8s.scheduler.framework.Status;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why no node fits a pod, and the message upstream prints for it, e.g.
 * {@code 0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {...}. preemption:
 * 0/3 nodes are available: 3 Preemption is not helpful for scheduling.}
 *
 * @param numAllNodes   the number of nodes in the snapshot
 * @param nodeToStatus  the rejection of each evaluated node
 * @param preFilterMsg  the rejection of a PreFilter (then node statuses are not listed), or {@code null}
 * @param postFilterMsg what the PostFilter (preemption) said, or {@code null}
 */
public record FitError(int numAllNodes, Map<String, Status> nodeToStatus, String preFilterMsg, String postFilterMsg) {

    public FitError {
        nodeToStatus = Collections.unmodifiableMap(new HashMap<>(nodeToStatus));
    }

    public FitError withPostFilterMsg(String msg) {
        return new FitError(numAllNodes, nodeToStatus, preFilterMsg, msg);
    }

    /** Plugins that rejected at least one node; decides which cluster events may make the pod fit. */
    public Set<String> unschedulablePlugins() {
        Set<String> plugins = new HashSet<>();
        for (Status s : nodeToStatus.values()) {
            if (s.plugin() != null) {
                plugins.add(s.plugin());
            }
        }
        return plugins;
    }

    /** The message as upstream's {@code FitError.Error()}. */
    public String message() {
        StringBuilder sb = new StringBuilder("0/").append(numAllNodes).append(" nodes are available:");
        if (preFilterMsg != null && !preFilterMsg.isEmpty()) {
            sb.append(' ').append(preFilterMsg).append('.');
        } else {
            List<String> histogram = FitErrorMessages.histogram(nodeToStatus);
            if (!histogram.isEmpty()) {
                sb.append(' ').append(String.join(", ", histogram)).append('.');
            }
        }
        if (postFilterMsg != null && !postFilterMsg.isEmpty()) {
            // The PostFilter message brings its own full stop.
            sb.append(' ').append(postFilterMsg);
        }
        return sb.toString();
    }
}
