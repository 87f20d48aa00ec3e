package io.jk8s.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.jk8s.scheduler.framework.NodeInfo;
import io.jk8s.scheduler.framework.PodInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The scheduler's model of the cluster: nodes and the pods on them, fed by informer events, plus
 * <em>assumed</em> pods: pods the scheduler has chosen a node for whose binding has not been observed
 * yet. An assumed pod counts on its node at once, so that the next cycle does not give its room away.
 * When the bound pod arrives from the API it confirms the assumption; if binding fails the scheduler
 * {@link #forgetPod forgets} it. Thread safe.
 */
public final class SchedulerCache {

    private record PodState(PodInfo pod, String nodeName, boolean assumed) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    // Insertion order is the node order of snapshots (stable, so rotation over nodes is fair).
    private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
    private final Map<String, PodState> pods = new HashMap<>();
    private Set<String> dirty = new HashSet<>();
    private boolean orderChanged;

    public void addNode(Node node) {
        updateNode(node);
    }

    public void updateNode(Node node) {
        lock.lock();
        try {
            String name = node.getMetadata().getName();
            NodeInfo info = nodes.get(name);
            if (info == null) {
                nodes.put(name, new NodeInfo(node));
                orderChanged = true;
            } else {
                if (info.node() == null) {
                    orderChanged = true;
                }
                info.setNode(node);
            }
            dirty.add(name);
        } finally {
            lock.unlock();
        }
    }

    public void removeNode(String name) {
        lock.lock();
        try {
            NodeInfo info = nodes.get(name);
            if (info == null) {
                return;
            }
            // Pods may still be reported on a deleted node until they are deleted; keep their accounting.
            if (info.pods().isEmpty()) {
                nodes.remove(name);
            } else {
                nodes.put(name, withoutNode(info));
            }
            orderChanged = true;
            dirty.add(name);
        } finally {
            lock.unlock();
        }
    }

    private static NodeInfo withoutNode(NodeInfo info) {
        NodeInfo n = new NodeInfo(null);
        info.pods().forEach(n::addPod);
        return n;
    }

    /** Counts {@code pod} on {@code nodeName} before its binding is observed. */
    public void assumePod(PodInfo pod, String nodeName) {
        lock.lock();
        try {
            if (pods.containsKey(pod.uid())) {
                throw new IllegalStateException("pod " + pod.key() + " is already in the cache");
            }
            addToNode(pod, nodeName);
            pods.put(pod.uid(), new PodState(pod, nodeName, true));
        } finally {
            lock.unlock();
        }
    }

    /** Undoes {@link #assumePod} after a failed binding. No-op when the pod is not assumed. */
    public void forgetPod(PodInfo pod) {
        lock.lock();
        try {
            PodState s = pods.get(pod.uid());
            if (s != null && s.assumed()) {
                removeFromNode(s.pod(), s.nodeName());
                pods.remove(pod.uid());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A pod bound to a node was observed (add or update); confirms an assumed pod. */
    public void addOrUpdatePod(PodInfo pod) {
        String nodeName = pod.nodeName();
        if (nodeName == null || nodeName.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            PodState s = pods.get(pod.uid());
            if (s != null) {
                removeFromNode(s.pod(), s.nodeName());
            }
            addToNode(pod, nodeName);
            pods.put(pod.uid(), new PodState(pod, nodeName, false));
        } finally {
            lock.unlock();
        }
    }

    /** The pod is gone from its node (deleted, or terminated). */
    public void removePod(PodInfo pod) {
        lock.lock();
        try {
            PodState s = pods.remove(pod.uid());
            if (s != null) {
                removeFromNode(s.pod(), s.nodeName());
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isAssumed(PodInfo pod) {
        lock.lock();
        try {
            PodState s = pods.get(pod.uid());
            return s != null && s.assumed();
        } finally {
            lock.unlock();
        }
    }

    /** True when the pod (bound or assumed) is accounted on some node. */
    public boolean contains(PodInfo pod) {
        lock.lock();
        try {
            return pods.containsKey(pod.uid());
        } finally {
            lock.unlock();
        }
    }

    public int nodeCount() {
        lock.lock();
        try {
            return (int) nodes.values().stream().filter(n -> n.node() != null).count();
        } finally {
            lock.unlock();
        }
    }

    public int podCount() {
        lock.lock();
        try {
            return pods.size();
        } finally {
            lock.unlock();
        }
    }

    /** Copies every node changed since the last call into {@code snapshot}. */
    public void updateSnapshot(Snapshot snapshot) {
        lock.lock();
        try {
            for (String name : dirty) {
                NodeInfo info = nodes.get(name);
                snapshot.put(name, info == null ? null : info.copy());
            }
            // A fresh set: clearing one that once held every node would sweep its whole table each cycle.
            dirty = new HashSet<>();
            List<String> order = null;
            if (orderChanged) {
                order = new ArrayList<>(nodes.keySet());
                orderChanged = false;
            }
            snapshot.finishUpdate(order);
        } finally {
            lock.unlock();
        }
    }

    private void addToNode(PodInfo pod, String nodeName) {
        NodeInfo info = nodes.get(nodeName);
        if (info == null) {
            info = new NodeInfo(null);
            nodes.put(nodeName, info);
        }
        info.addPod(pod);
        dirty.add(nodeName);
    }

    private void removeFromNode(PodInfo pod, String nodeName) {
        NodeInfo info = nodes.get(nodeName);
        if (info == null) {
            return;
        }
        info.removePod(pod);
        if (info.node() == null && info.pods().isEmpty()) {
            nodes.remove(nodeName);
        }
        dirty.add(nodeName);
    }
}
