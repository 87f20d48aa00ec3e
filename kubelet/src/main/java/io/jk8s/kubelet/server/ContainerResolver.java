package io.jk8s.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.v1.Container;
import io.jk8s.kubelet.cri.v1.ContainerFilter;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.PodSandbox;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.kubelet.cri.v1.PodSandboxState;
import io.jk8s.kubelet.pod.CriLabels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Finds the runtime objects behind a {@code namespace/pod/container} request: the pod from the
 * kubelet's own view (404 if not bound here), the container in its spec (404), then the CRI
 * containers of that name, newest first (the kubelet keeps one dead instance for
 * {@code --previous}), or the pod's ready sandbox for port-forwarding.
 */
final class ContainerResolver {

    private final PodLookup pods;
    private final ContainerRuntime cri;

    ContainerResolver(PodLookup pods, ContainerRuntime cri) {
        this.pods = pods;
        this.cri = cri;
    }

    Pod pod(String namespace, String name) {
        return pods.find(namespace, name)
                .orElseThrow(() -> RequestFailure.notFound("pod \"" + name + "\" does not exist"));
    }

    /** The newest CRI instance of the container, or the one before it when {@code previous}. */
    Container container(String namespace, String podName, String containerName, boolean previous) {
        Pod pod = pod(namespace, podName);
        if (!declares(pod.getSpec(), containerName)) {
            throw RequestFailure.notFound("container \"" + containerName + "\" not found in pod \"" + podName + "\"");
        }
        List<Container> instances = instances(pod.getMetadata().getUid(), containerName);
        int index = previous ? 1 : 0;
        if (instances.size() <= index) {
            throw RequestFailure.badRequest(previous
                    ? "previous terminated container \"" + containerName + "\" in pod \"" + podName + "\" not found"
                    : "container \"" + containerName + "\" in pod \"" + podName + "\" is waiting to start: ContainerCreating");
        }
        return instances.get(index);
    }

    /** The current instance, which must be running (exec and attach need a live process). */
    Container runningContainer(String namespace, String podName, String containerName) {
        Container current = container(namespace, podName, containerName, false);
        if (current.getState() != ContainerState.CONTAINER_RUNNING) {
            throw RequestFailure.badRequest("container \"" + containerName + "\" in pod \"" + podName
                    + "\" is not running");
        }
        return current;
    }

    /** The pod's ready sandbox (its network namespace is where port-forwards connect). */
    PodSandbox readySandbox(String namespace, String podName) {
        Pod pod = pod(namespace, podName);
        return cri.listPodSandbox(PodSandboxFilter.newBuilder()
                        .putLabelSelector(CriLabels.POD_UID, pod.getMetadata().getUid()).build()).stream()
                .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY)
                .max(Comparator.comparingLong(PodSandbox::getCreatedAt))
                .orElseThrow(() -> RequestFailure.badRequest("pod \"" + podName + "\" has no running sandbox"));
    }

    boolean isRunning(String containerId) {
        return cri.containerStatus(containerId).getState() == ContainerState.CONTAINER_RUNNING;
    }

    String logPath(String containerId) {
        return cri.containerStatus(containerId).getLogPath();
    }

    private List<Container> instances(String podUid, String containerName) {
        List<Container> found = new ArrayList<>(cri.listContainers(ContainerFilter.newBuilder()
                .putLabelSelector(CriLabels.POD_UID, podUid)
                .putLabelSelector(CriLabels.CONTAINER_NAME, containerName).build()));
        found.sort(Comparator.comparingLong(Container::getCreatedAt).reversed());
        return found;
    }

    private static boolean declares(PodSpec spec, String containerName) {
        return Stream.of(spec.getContainers(), spec.getInitContainers(), spec.getEphemeralContainers())
                .filter(Objects::nonNull).flatMap(List::stream)
                .anyMatch(c -> containerName.equals(nameOf(c)));
    }

    private static String nameOf(Object container) {
        return switch (container) {
            case io.fabric8.kubernetes.api.model.Container c -> c.getName();
            case io.fabric8.kubernetes.api.model.EphemeralContainer e -> e.getName();
            default -> null;
        };
    }
}
