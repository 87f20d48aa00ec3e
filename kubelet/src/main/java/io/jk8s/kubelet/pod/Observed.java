package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.v1.ContainerStatus;
import io.jk8s.kubelet.cri.v1.PodSandbox;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
}
