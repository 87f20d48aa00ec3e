package io.jk8s.scheduler.queue;

import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PodNominator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers which pending pods are nominated to which node (after preemption, or from
 * {@code status.nominatedNodeName} of pods seen in the API). Thread safe.
 */
public final class Nominator implements PodNominator {

    private final Map<String, List<PodInfo>> byNode = new HashMap<>();
    private final Map<String, String> nodeOfUid = new HashMap<>();
    /** Lets the per-node lookup in every Filter call skip the lock in the common case of no nominations. */
    private volatile boolean empty = true;

    /** Nominates {@code pod} to {@code nodeName}, replacing an earlier nomination; empty name clears. */
    public synchronized void add(PodInfo pod, String nodeName) {
        remove(pod);
        if (nodeName == null || nodeName.isEmpty()) {
            return;
        }
        byNode.computeIfAbsent(nodeName, k -> new ArrayList<>()).add(pod);
        nodeOfUid.put(pod.uid(), nodeName);
        empty = false;
    }

    /** Updates a nominated pod's info, keeping its node unless {@code pod} names another one. */
    public synchronized void update(PodInfo pod) {
        String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
        String current = nodeOfUid.get(pod.uid());
        if (nominated != null && !nominated.isEmpty()) {
            add(pod, nominated);
        } else if (current != null) {
            add(pod, current);
        }
    }

    public synchronized void remove(PodInfo pod) {
        String node = nodeOfUid.remove(pod.uid());
        if (node == null) {
            return;
        }
        List<PodInfo> list = byNode.get(node);
        list.removeIf(p -> p.uid().equals(pod.uid()));
        if (list.isEmpty()) {
            byNode.remove(node);
        }
        empty = byNode.isEmpty();
    }

    /** The node {@code pod} is nominated to, or {@code null}. */
    public synchronized String nodeOf(PodInfo pod) {
        return nodeOfUid.get(pod.uid());
    }

    @Override
    public List<PodInfo> nominatedPodsForNode(String nodeName) {
        if (empty) {
            return List.of();
        }
        synchronized (this) {
            List<PodInfo> list = byNode.get(nodeName);
            return list == null ? List.of() : List.copyOf(list);
        }
    }
}
