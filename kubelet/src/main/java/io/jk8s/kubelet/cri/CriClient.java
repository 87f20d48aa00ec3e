package io.jk8s.kubelet.cri;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.jk8s.kubelet.cri.v1.*;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link ContainerRuntime} over gRPC on the runtime's unix socket (e.g.
 * {@code /run/containerd/containerd.sock}), using Netty's native epoll transport.
 *
 * <p>Every call gets a deadline: short for queries, longer for calls that do real work
 * (sandbox start includes CNI setup; pulls download layers). gRPC failures become
 * {@link CriException}s.
 */
public final class CriClient implements ContainerRuntime {

    /** Deadlines per class of call; upstream kubelet uses 2 min for runtime calls by default. */
    public record Timeouts(Duration query, Duration mutation, Duration pull) {
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10));
        }
    }

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final Path socket;
    private final EventLoopGroup eventLoop;
    private final ManagedChannel channel;
    private final Timeouts timeouts;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;

    private CriClient(Path socket, Timeouts timeouts) {
        this.socket = socket;
        this.timeouts = timeouts;
        this.eventLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .eventLoopGroup(eventLoop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                // The authority is meaningless on a unix socket; a fixed one keeps HTTP/2 happy.
                .overrideAuthority("localhost")
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                // grpc-netty asks for TCP keep-alive, which a unix socket does not have; a null
                // value removes the option instead of logging a warning on every connect.
                .withOption(ChannelOption.SO_KEEPALIVE, null)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    /** Connects (lazily, on first call) to the CRI socket at {@code socket}. */
    public static CriClient connect(Path socket) {
        return connect(socket, Timeouts.defaults());
    }

    public static CriClient connect(Path socket, Timeouts timeouts) {
        return new CriClient(socket, timeouts);
    }

    /** Accepts {@code unix:///path}, {@code unix:/path} or a plain path. */
    public static Path socketPath(String endpoint) {
        String path = endpoint.startsWith("unix://") ? endpoint.substring("unix://".length())
                : endpoint.startsWith("unix:") ? endpoint.substring("unix:".length()) : endpoint;
        return Path.of(path);
    }

    public Path socket() {
        return socket;
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime(Duration timeout) {
        return runtime.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub images(Duration timeout) {
        return images.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static <T> T call(String operation, Supplier<T> rpc) {
        try {
            return rpc.get();
        } catch (StatusRuntimeException e) {
            throw CriException.from(operation, e);
        }
    }

    @Override
    public VersionResponse version() {
        return call("Version", () -> runtime(timeouts.query())
                .version(VersionRequest.newBuilder().setVersion("v1").build()));
    }

    @Override
    public RuntimeStatus status() {
        return call("Status", () -> runtime(timeouts.query()).status(StatusRequest.getDefaultInstance())).getStatus();
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
        return call("RunPodSandbox", () -> runtime(timeouts.mutation()).runPodSandbox(
                RunPodSandboxRequest.newBuilder().setConfig(config).setRuntimeHandler(runtimeHandler).build()))
                .getPodSandboxId();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        call("StopPodSandbox", () -> runtime(timeouts.mutation()).stopPodSandbox(
                StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        call("RemovePodSandbox", () -> runtime(timeouts.mutation()).removePodSandbox(
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
    }

    @Override
    public PodSandboxStatus podSandboxStatus(String sandboxId) {
        return call("PodSandboxStatus", () -> runtime(timeouts.query()).podSandboxStatus(
                PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build())).getStatus();
    }

    @Override
    public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
        return call("ListPodSandbox", () -> runtime(timeouts.query()).listPodSandbox(
                ListPodSandboxRequest.newBuilder().setFilter(filter).build())).getItemsList();
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        return call("CreateContainer", () -> runtime(timeouts.mutation()).createContainer(
                CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId).setConfig(config)
                        .setSandboxConfig(sandboxConfig).build())).getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        call("StartContainer", () -> runtime(timeouts.mutation()).startContainer(
                StartContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public void stopContainer(String containerId, Duration timeout) {
        // The runtime waits up to `timeout` before killing; give the call that much on top.
        call("StopContainer", () -> runtime(timeouts.mutation().plus(timeout)).stopContainer(
                StopContainerRequest.newBuilder().setContainerId(containerId)
                        .setTimeout(timeout.toSeconds()).build()));
    }

    @Override
    public void removeContainer(String containerId) {
        call("RemoveContainer", () -> runtime(timeouts.mutation()).removeContainer(
                RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public List<Container> listContainers(ContainerFilter filter) {
        return call("ListContainers", () -> runtime(timeouts.query()).listContainers(
                ListContainersRequest.newBuilder().setFilter(filter).build())).getContainersList();
    }

    @Override
    public ContainerStatus containerStatus(String containerId) {
        return call("ContainerStatus", () -> runtime(timeouts.query()).containerStatus(
                ContainerStatusRequest.newBuilder().setContainerId(containerId).build())).getStatus();
    }

    @Override
    public void updateContainerResources(String containerId, LinuxContainerResources resources) {
        call("UpdateContainerResources", () -> runtime(timeouts.mutation()).updateContainerResources(
                UpdateContainerResourcesRequest.newBuilder().setContainerId(containerId).setLinux(resources).build()));
    }

    @Override
    public void reopenContainerLog(String containerId) {
        call("ReopenContainerLog", () -> runtime(timeouts.query()).reopenContainerLog(
                ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build()));
    }

    @Override
    public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
        // No CRI timeout means "run forever": then only the channel deadline bounds us.
        Duration deadline = timeout.isZero() ? timeouts.pull() : timeout.plus(timeouts.query());
        return call("ExecSync", () -> runtime(deadline).execSync(
                ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(cmd)
                        .setTimeout(timeout.toSeconds()).build()));
    }

    @Override
    public String exec(ExecRequest request) {
        return call("Exec", () -> runtime(timeouts.query()).exec(request)).getUrl();
    }

    @Override
    public String attach(AttachRequest request) {
        return call("Attach", () -> runtime(timeouts.query()).attach(request)).getUrl();
    }

    @Override
    public String portForward(String sandboxId, List<Integer> ports) {
        return call("PortForward", () -> runtime(timeouts.query()).portForward(
                PortForwardRequest.newBuilder().setPodSandboxId(sandboxId).addAllPort(ports).build())).getUrl();
    }

    @Override
    public List<Image> listImages(ImageFilter filter) {
        return call("ListImages", () -> images(timeouts.query()).listImages(
                ListImagesRequest.newBuilder().setFilter(filter).build())).getImagesList();
    }

    @Override
    public Image imageStatus(String image) {
        return call("ImageStatus", () -> images(timeouts.query()).imageStatus(
                ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())).getImage();
    }

    @Override
    public String pullImage(String image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
        PullImageRequest.Builder request = PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image));
        if (auth != null) {
            request.setAuth(auth);
        }
        if (sandboxConfig != null) {
            request.setSandboxConfig(sandboxConfig);
        }
        return call("PullImage", () -> images(timeouts.pull()).pullImage(request.build())).getImageRef();
    }

    @Override
    public void removeImage(String image) {
        call("RemoveImage", () -> images(timeouts.mutation()).removeImage(
                RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build()));
    }

    @Override
    public ImageFsInfoResponse imageFsInfo() {
        return call("ImageFsInfo", () -> images(timeouts.query()).imageFsInfo(ImageFsInfoRequest.getDefaultInstance()));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
