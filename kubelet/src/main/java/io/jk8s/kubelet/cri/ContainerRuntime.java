package io.jk8s.kubelet.cri;

import io.jk8s.kubelet.cri.v1.*;

import java.time.Duration;
import java.util.List;

/**
 * The kubelet's view of a CRI v1 runtime (containerd in practice): the runtime and image
 * services in one facade so that pod workers can be unit-tested with a fake.
 *
 * <p>Contract: every method blocks until the runtime answers or a deadline passes and then
 * throws {@link CriException}; none returns null. Implementations are thread-safe; pod workers
 * call them concurrently, one worker per pod. Stop and remove operations are idempotent on the
 * runtime side (CRI requires it), so callers may retry them freely.
 */
public interface ContainerRuntime extends AutoCloseable {

    VersionResponse version();

    /** Runtime conditions (RuntimeReady, NetworkReady). */
    RuntimeStatus status();

    /** Creates and starts a sandbox; returns its id. Sets up the pod network (CNI) before returning. */
    String runPodSandbox(PodSandboxConfig config, String runtimeHandler);

    void stopPodSandbox(String sandboxId);

    void removePodSandbox(String sandboxId);

    PodSandboxStatus podSandboxStatus(String sandboxId);

    List<PodSandbox> listPodSandbox(PodSandboxFilter filter);

    /** Creates a container in a sandbox; returns its id. */
    String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

    void startContainer(String containerId);

    /** Stops a container, killing it after {@code timeout}. */
    void stopContainer(String containerId, Duration timeout);

    void removeContainer(String containerId);

    List<Container> listContainers(ContainerFilter filter);

    ContainerStatus containerStatus(String containerId);

    void updateContainerResources(String containerId, LinuxContainerResources resources);

    void reopenContainerLog(String containerId);

    /** Runs {@code cmd} in a container and waits up to {@code timeout} for it (zero = no limit). */
    ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout);

    /** Returns the runtime's streaming URL for an exec session. */
    String exec(ExecRequest request);

    /** Returns the runtime's streaming URL for an attach session. */
    String attach(AttachRequest request);

    /** Returns the runtime's streaming URL for port-forwarding into a sandbox. */
    String portForward(String sandboxId, List<Integer> ports);

    List<Image> listImages(ImageFilter filter);

    /** Status of an image, or an empty {@code Image} (no id) when the image is not present. */
    Image imageStatus(String image);

    /** Pulls an image; returns the image reference (id) the runtime resolved. */
    String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig);

    void removeImage(String image);

    ImageFsInfoResponse imageFsInfo();

    @Override
    void close();
}
