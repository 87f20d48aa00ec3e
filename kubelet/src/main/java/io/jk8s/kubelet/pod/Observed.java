package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.v1.ContainerStatus;
import io.jk8s.kubelet.cri.v1.PodSandbox;
import io.jk8s.kubelet.cri.v1.PodSandboxState;
import io.jk8s.kubelet.cri.v1.PodSandboxStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of what the runtime has for one pod: its sandboxes (newest first), the ready one,
 * the pod IP, and all its containers' statuses (newest first) with the sandbox each belongs to.
 */
record Observed(List<PodSandbox> sandboxes, Optional<PodSandbox> readySandbox, String podIp,
                List<ContainerStatus> containers, Map<String, String> sandboxOf) {

    /** Newest container with this name, in any sandbox. */
    Optional<ContainerStatus> latest(String name) {
        return containers.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    /** Newest container with this name in the ready sandbox. */
    Optional<ContainerStatus> latestInSandbox(String name) {
        return readySandbox.flatMap(s -> containers.stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .filter(c -> s.getId().equals(sandboxOf.get(c.getId())))
                .findFirst());
    }

    /** All containers with this name, newest first. */
    List<ContainerStatus> all(String name) {
        return containers.stream().filter(c -> c.getMetadata().getName().equals(name)).toList();
    }

    /**
     * This snapshot plus a sandbox the kubelet has just started, from its status: what a full re-list would show,
     * without listing sandboxes and containers again (a new sandbox has no containers yet).
     */
    Observed withNewSandbox(PodSandboxStatus status) {
        PodSandbox sandbox = PodSandbox.newBuilder().setId(status.getId()).setMetadata(status.getMetadata())
                .setState(status.getState()).setCreatedAt(status.getCreatedAt()).putAllLabels(status.getLabelsMap())
                .putAllAnnotations(status.getAnnotationsMap()).setRuntimeHandler(status.getRuntimeHandler()).build();
        List<PodSandbox> all = new ArrayList<>(sandboxes.size() + 1);
        all.add(sandbox); // the newest
        all.addAll(sandboxes);
        Optional<PodSandbox> ready = all.stream().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY).findFirst();
        String ip = ready.isPresent() && ready.get().getId().equals(status.getId()) ? status.getNetwork().getIp()
                : ready.isPresent() ? podIp : "";
        return new Observed(all, ready, ip, containers, sandboxOf);
    }

    /**
     * This snapshot after the kubelet started containers in the ready sandbox ({@code started}: their statuses
     * read right after the start) and removed others ({@code removed}).
     */
    Observed withContainerChanges(List<ContainerStatus> started, Set<String> removed) {
        String sandboxId = readySandbox.orElseThrow().getId();
        List<ContainerStatus> all = new ArrayList<>(started);
        containers.stream().filter(c -> !removed.contains(c.getId())).forEach(all::add);
        all.sort(Comparator.comparingLong(ContainerStatus::getCreatedAt).reversed());
        Map<String, String> owners = new HashMap<>(sandboxOf);
        removed.forEach(owners::remove);
        started.forEach(c -> owners.put(c.getId(), sandboxId));
        return new Observed(sandboxes, readySandbox, podIp, all, owners);
    }
}
