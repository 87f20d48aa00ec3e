package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node as the scheduler sees it: the Node object, the pods on it (bound or assumed), the sum of
 * their requests, the non-zero requests used for scoring, and the host ports in use.
 * Mutable: owned by the {@code SchedulerCache}; the scheduling cycle works on copies in a snapshot.
 */
public final class NodeInfo {

    private Node node;
    private final List<PodInfo> pods;
    private final List<PodInfo> podsWithAffinity;
    private final List<PodInfo> podsWithRequiredAntiAffinity;
    private final Resource requested;
    private final Resource nonZeroRequested;
    private Resource allocatable;
    private List<io.fabric8.kubernetes.api.model.Taint> taints = List.of();
    private boolean unschedulable;
    private final List<HostPort> usedPorts;
    private long generation;

    public NodeInfo(Node node) {
        this.pods = new ArrayList<>();
        this.podsWithAffinity = new ArrayList<>(0);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(0);
        this.requested = new Resource();
        this.nonZeroRequested = new Resource();
        this.usedPorts = new ArrayList<>(0);
        this.allocatable = new Resource();
        if (node != null) {
            setNode(node);
        }
    }

    private NodeInfo(NodeInfo o) {
        this.node = o.node;
        this.pods = new ArrayList<>(o.pods);
        this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
        this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
        this.requested = o.requested.copy();
        this.nonZeroRequested = o.nonZeroRequested.copy();
        this.allocatable = o.allocatable;
        this.taints = o.taints;
        this.unschedulable = o.unschedulable;
        this.usedPorts = new ArrayList<>(o.usedPorts);
        this.generation = o.generation;
    }

    /** A copy whose pod lists and totals can change independently of this one. */
    public NodeInfo copy() {
        return new NodeInfo(this);
    }

    public void setNode(Node node) {
        this.node = node;
        Map<String, io.fabric8.kubernetes.api.model.Quantity> alloc =
                node.getStatus() == null ? null : node.getStatus().getAllocatable();
        if ((alloc == null || alloc.isEmpty()) && node.getStatus() != null) {
            alloc = node.getStatus().getCapacity();
        }
        this.allocatable = Resource.of(alloc);
        // Read once here rather than through the model's getters on every Filter call.
        var spec = node.getSpec();
        this.taints = spec == null || spec.getTaints() == null ? List.of() : List.copyOf(spec.getTaints());
        this.unschedulable = spec != null && Boolean.TRUE.equals(spec.getUnschedulable());
    }

    /** The node's taints ({@code spec.taints}); never {@code null}. */
    public List<io.fabric8.kubernetes.api.model.Taint> taints() {
        return taints;
    }

    /** {@code spec.unschedulable} (cordoned). */
    public boolean unschedulable() {
        return unschedulable;
    }

    /** The Node, or {@code null} when only pods are known (a pod's binding was seen before its node). */
    public Node node() {
        return node;
    }

    public String name() {
        return node == null ? null : node.getMetadata().getName();
    }

    public Map<String, String> labels() {
        Map<String, String> l = node == null ? null : node.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    public List<PodInfo> pods() {
        return pods;
    }

    public List<PodInfo> podsWithAffinity() {
        return podsWithAffinity;
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return podsWithRequiredAntiAffinity;
    }

    /** Sum of the effective requests of the pods on the node. */
    public Resource requested() {
        return requested;
    }

    /** Like {@link #requested()} with upstream's defaults for pods that request no CPU/memory. */
    public Resource nonZeroRequested() {
        return nonZeroRequested;
    }

    public Resource allocatable() {
        return allocatable;
    }

    public List<HostPort> usedPorts() {
        return usedPorts;
    }

    public long generation() {
        return generation;
    }

    public void setGeneration(long generation) {
        this.generation = generation;
    }

    public void addPod(PodInfo p) {
        pods.add(p);
        if (p.hasAffinity()) {
            podsWithAffinity.add(p);
        }
        if (!p.requiredAntiAffinity().isEmpty()) {
            podsWithRequiredAntiAffinity.add(p);
        }
        requested.add(p.requests());
        nonZeroRequested.addMilliCpu(p.nonZeroMilliCpu());
        nonZeroRequested.addMemory(p.nonZeroMemory());
        usedPorts.addAll(p.hostPorts());
    }

    /** Removes the pod with {@code p}'s UID; returns false when it was not on this node. */
    public boolean removePod(PodInfo p) {
        for (int i = 0; i < pods.size(); i++) {
            PodInfo existing = pods.get(i);
            if (existing.uid().equals(p.uid())) {
                pods.remove(i);
                podsWithAffinity.removeIf(x -> x.uid().equals(p.uid()));
                podsWithRequiredAntiAffinity.removeIf(x -> x.uid().equals(p.uid()));
                requested.subtract(existing.requests());
                nonZeroRequested.addMilliCpu(-existing.nonZeroMilliCpu());
                nonZeroRequested.addMemory(-existing.nonZeroMemory());
                for (HostPort hp : existing.hostPorts()) {
                    usedPorts.remove(hp);
                }
                return true;
            }
        }
        return false;
    }

    /** True when {@code wanted} conflicts with a host port already used on this node. */
    public boolean hostPortInUse(HostPort wanted) {
        for (HostPort used : usedPorts) {
            if (used.conflictsWith(wanted)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "NodeInfo{" + name() + ", pods=" + pods.size() + ", requested=" + requested + "}";
    }
}
