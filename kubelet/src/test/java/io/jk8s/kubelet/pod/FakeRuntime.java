package io.jk8s.kubelet.pod;

import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** An in-memory CRI runtime: sandboxes get IPs, containers run until told to exit. */
final class FakeRuntime implements ContainerRuntime {

    final Map<String, PodSandbox> sandboxes = new LinkedHashMap<>();
    final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
    final Map<String, String> sandboxOfContainer = new LinkedHashMap<>();
    final Set<String> images = new HashSet<>();
    /** The grace each StopContainer call was given, by container id. */
    final Map<String, Duration> stopTimeouts = new java.util.concurrent.ConcurrentHashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Queries, in order (ListPodSandbox, ListContainers, PodSandboxStatus, ContainerStatus, ImageStatus). */
    final List<String> reads = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong time = new AtomicLong(1_700_000_000_000_000_000L);
    private int ids;

    private long tick() {
        return time.addAndGet(1_000_000_000L);
    }

    private static boolean matches(Map<String, String> labels, Map<String, String> selector) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** Makes the newest running container called {@code name} exit with {@code code}. */
    synchronized void exit(String name, int code) {
        ContainerStatus c = containers.values().stream()
                .filter(s -> s.getMetadata().getName().equals(name) && s.getState() == ContainerState.CONTAINER_RUNNING)
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no running container " + name));
        containers.put(c.getId(), c.toBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(code)
                .setFinishedAt(tick()).build());
    }

    synchronized void killSandbox(String id) {
        sandboxes.put(id, sandboxes.get(id).toBuilder().setState(PodSandboxState.SANDBOX_NOTREADY).build());
        containers.replaceAll((cid, c) -> sandboxOfContainer.get(cid).equals(id) && c.getState() == ContainerState.CONTAINER_RUNNING
                ? c.toBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(137).setFinishedAt(tick()).build() : c);
    }

    synchronized List<ContainerStatus> running() {
        return containers.values().stream().filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).toList();
    }

    @Override
    public VersionResponse version() {
        return VersionResponse.newBuilder().setRuntimeName("fake").setRuntimeVersion("1.0").setRuntimeApiVersion("v1").build();
    }

    @Override
    public RuntimeStatus status() {
        return RuntimeStatus.newBuilder()
                .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(true)).build();
    }

    @Override
    public synchronized String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        calls.add("RunPodSandbox");
        String id = "sandbox-" + (++ids);
        sandboxes.put(id, PodSandbox.newBuilder().setId(id).setMetadata(config.getMetadata())
                .setState(PodSandboxState.SANDBOX_READY).setCreatedAt(tick()).putAllLabels(config.getLabelsMap()).build());
        return id;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        calls.add("StopPodSandbox");
        PodSandbox s = sandboxes.get(sandboxId);
        if (s != null) {
            containers.replaceAll((cid, c) -> sandboxOfContainer.get(cid).equals(sandboxId)
                    && c.getState() == ContainerState.CONTAINER_RUNNING
                    ? c.toBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(137).setFinishedAt(tick()).build() : c);
            sandboxes.put(sandboxId, s.toBuilder().setState(PodSandboxState.SANDBOX_NOTREADY).build());
        }
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        calls.add("RemovePodSandbox");
        sandboxes.remove(sandboxId);
        List<String> gone = sandboxOfContainer.entrySet().stream().filter(e -> e.getValue().equals(sandboxId))
                .map(Map.Entry::getKey).toList();
        gone.forEach(id -> {
            containers.remove(id);
            sandboxOfContainer.remove(id);
        });
    }

    @Override
    public synchronized PodSandboxStatus podSandboxStatus(String sandboxId) {
        reads.add("PodSandboxStatus");
        PodSandbox s = sandboxes.get(sandboxId);
        if (s == null) {
            throw new CriException("PodSandboxStatus", CriException.Kind.NOT_FOUND, sandboxId, null);
        }
        return PodSandboxStatus.newBuilder().setId(sandboxId).setState(s.getState()).setMetadata(s.getMetadata())
                .setCreatedAt(s.getCreatedAt()).putAllLabels(s.getLabelsMap()).putAllAnnotations(s.getAnnotationsMap())
                .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp("10.244.0." + (10 + Integer.parseInt(sandboxId.split("-")[1]))))
                .build();
    }

    @Override
    public synchronized List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
        reads.add("ListPodSandbox");
        return sandboxes.values().stream().filter(s -> matches(s.getLabelsMap(), filter.getLabelSelectorMap())).toList();
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        calls.add("CreateContainer " + config.getMetadata().getName());
        if (sandboxes.get(sandboxId).getState() != PodSandboxState.SANDBOX_READY) {
            throw new CriException("CreateContainer", CriException.Kind.INVALID, "sandbox not ready", null);
        }
        String id = "c-" + (++ids);
        containers.put(id, ContainerStatus.newBuilder().setId(id).setMetadata(config.getMetadata())
                .setState(ContainerState.CONTAINER_CREATED).setCreatedAt(tick()).setImage(config.getImage())
                .setImageRef("sha256:" + config.getImage().getImage().hashCode())
                .putAllLabels(config.getLabelsMap()).putAllAnnotations(config.getAnnotationsMap()).build());
        sandboxOfContainer.put(id, sandboxId);
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        calls.add("StartContainer");
        ContainerStatus c = containers.get(containerId);
        containers.put(containerId, c.toBuilder().setState(ContainerState.CONTAINER_RUNNING).setStartedAt(tick()).build());
    }

    @Override
    public synchronized void stopContainer(String containerId, Duration timeout) {
        calls.add("StopContainer");
        stopTimeouts.put(containerId, timeout);
        ContainerStatus c = containers.get(containerId);
        if (c != null && c.getState() != ContainerState.CONTAINER_EXITED) {
            containers.put(containerId, c.toBuilder().setState(ContainerState.CONTAINER_EXITED).setExitCode(143)
                    .setFinishedAt(tick()).build());
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        calls.add("RemoveContainer");
        containers.remove(containerId);
        sandboxOfContainer.remove(containerId);
    }

    @Override
    public synchronized List<Container> listContainers(ContainerFilter filter) {
        reads.add("ListContainers");
        return containers.values().stream().filter(c -> matches(c.getLabelsMap(), filter.getLabelSelectorMap()))
                .map(c -> Container.newBuilder().setId(c.getId()).setPodSandboxId(sandboxOfContainer.get(c.getId()))
                        .setMetadata(c.getMetadata()).setState(c.getState()).setCreatedAt(c.getCreatedAt())
                        .putAllLabels(c.getLabelsMap()).build())
                .toList();
    }

    @Override
    public synchronized ContainerStatus containerStatus(String containerId) {
        reads.add("ContainerStatus");
        ContainerStatus c = containers.get(containerId);
        if (c == null) {
            throw new CriException("ContainerStatus", CriException.Kind.NOT_FOUND, containerId, null);
        }
        return c;
    }

    @Override
    public void updateContainerResources(String containerId, LinuxContainerResources resources) {
    }

    @Override
    public void reopenContainerLog(String containerId) {
    }

    /** Exit code every ExecSync (e.g. an exec probe) returns. */
    volatile int execExitCode;

    @Override
    public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
        calls.add("ExecSync " + String.join(" ", cmd));
        return ExecSyncResponse.newBuilder().setExitCode(execExitCode).build();
    }

    @Override
    public String exec(ExecRequest request) {
        return "http://127.0.0.1:1/exec";
    }

    @Override
    public String attach(AttachRequest request) {
        return "http://127.0.0.1:1/attach";
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
        return "http://127.0.0.1:1/portforward";
    }

    @Override
    public List<Image> listImages(ImageFilter filter) {
        return images.stream().map(i -> Image.newBuilder().setId("sha256:" + i.hashCode()).addRepoTags(i).build()).toList();
    }

    @Override
    public synchronized Image imageStatus(String image) {
        reads.add("ImageStatus");
        return images.contains(image) ? Image.newBuilder().setId("sha256:" + image.hashCode()).addRepoTags(image).build()
                : Image.getDefaultInstance();
    }

    @Override
    public synchronized String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        calls.add("PullImage " + image);
        throw new CriException("PullImage", CriException.Kind.RUNTIME_ERROR, "no registry reachable for " + image, null);
    }

    @Override
    public void removeImage(String image) {
        images.remove(image);
    }

    @Override
    public ImageFsInfoResponse imageFsInfo() {
        return ImageFsInfoResponse.getDefaultInstance();
    }

    @Override
    public void close() {
    }
}
