package io.jk8s.kubelet;

import io.jk8s.kubelet.cni.CniNetwork;
import io.jk8s.kubelet.containerd.ContainerdConfig;
import io.jk8s.kubelet.containerd.ContainerdSupervisor;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriClient;
import io.jk8s.kubelet.image.BuiltImage;
import io.jk8s.kubelet.image.ImageBuilder;
import io.jk8s.kubelet.image.ImageImporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Everything below the kubelet's API loop on one node, ready to use: the pod network's CNI
 * configuration, jk8s' own supervised containerd (or an external CRI endpoint), and the
 * built-in images (busybox, pause) imported. The agent's composition root starts this, then
 * hands {@link #cri()} to the {@link Kubelet}.
 */
public final class NodeRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

    /**
     * @param agentDir         {@code <data-dir>/agent}
     * @param network          the pod network (bridge, pod CIDR); ignored with an external endpoint
     * @param externalEndpoint a CRI socket to use instead of starting containerd
     *                         ({@code --container-runtime-endpoint})
     * @param cniBinDir        CNI plugin binaries, e.g. /usr/lib/cni
     * @param stopOnClose      stop our containerd on close (its shims keep pods alive either way)
     * @param deferNetwork     write no CNI configuration at start: the pod CIDR is not known yet and
     *                         comes from the Node ({@link io.jk8s.kubelet.cni.PodCidrFromNode}); until then the runtime
     *                         reports NetworkReady=false and the node stays NotReady, as upstream
     */
    public record Options(Path agentDir, CniNetwork network, Optional<String> externalEndpoint, Path cniBinDir,
                          boolean stopOnClose, boolean deferNetwork) {

        /** Defaults for a single node: bridge cni0 on 10.244.0.0/24, own containerd. */
        public static Options defaults(Path agentDir) {
            return new Options(agentDir, CniNetwork.defaults(agentDir), Optional.empty(), Path.of("/usr/lib/cni"), true, false);
        }

        public Options withNetwork(CniNetwork network) {
            return new Options(agentDir, network, externalEndpoint, cniBinDir, stopOnClose, false);
        }

        /** Bridge and IPAM settings of {@code template}, pod CIDR from the Node later ({@link io.jk8s.kubelet.cni.PodCidrFromNode}). */
        public Options withNetworkFromNode(CniNetwork template) {
            return new Options(agentDir, template, externalEndpoint, cniBinDir, stopOnClose, true);
        }
    }

    private final Optional<ContainerdSupervisor> supervisor;
    private final CriClient cri;
    private final List<BuiltImage> images;

    private NodeRuntime(Optional<ContainerdSupervisor> supervisor, CriClient cri, List<BuiltImage> images) {
        this.supervisor = supervisor;
        this.cri = cri;
        this.images = images;
    }

    /** Starts (or connects to) the runtime and imports the built-in images; blocks until ready. */
    public static NodeRuntime start(Options options) {
        Optional<ContainerdSupervisor> supervisor = Optional.empty();
        Path socket;
        if (options.externalEndpoint().isPresent()) {
            socket = CriClient.socketPath(options.externalEndpoint().get());
        } else {
            Path dir = options.agentDir().resolve("containerd");
            Path cniConf = cniConfDir(options.agentDir());
            if (!options.deferNetwork()) options.network().writeTo(cniConf);
            ContainerdConfig config = new ContainerdConfig(dir, ContainerdConfig.DEFAULT_SANDBOX_IMAGE,
                    options.cniBinDir(), cniConf, freeLoopbackPort());
            ContainerdSupervisor started = new ContainerdSupervisor(config,
                    ContainerdSupervisor.Options.defaults().withStopOnClose(options.stopOnClose()));
            supervisor = Optional.of(started);
            socket = await(started, Duration.ofSeconds(90));
        }
        CriClient cri = CriClient.connect(socket);
        try {
            ImageImporter importer = new ImageImporter(Path.of("/usr/bin/ctr"), socket, cri);
            List<BuiltImage> images = ImageBuilder.withHostTools(options.agentDir().resolve("images")).buildAll();
            images.forEach(importer::ensureImported);
            log.info("node runtime ready on {} with images {}", socket, images.stream().map(BuiltImage::name).toList());
            return new NodeRuntime(supervisor, cri, images);
        } catch (RuntimeException e) {
            cri.close();
            supervisor.ifPresent(ContainerdSupervisor::close);
            throw e;
        }
    }

    private static Path await(ContainerdSupervisor supervisor, Duration timeout) {
        try {
            return supervisor.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            supervisor.close();
            throw new IllegalStateException("containerd did not start", e.getCause());
        } catch (TimeoutException e) {
            supervisor.close();
            throw new IllegalStateException("containerd not ready after " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            supervisor.close();
            throw new IllegalStateException("interrupted while starting containerd", e);
        }
    }

    /**
     * containerd's streaming server needs a fixed port in its config ("0" would break the URLs it
     * returns), so pick a free loopback port now.
     */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where our containerd reads CNI configuration (it picks up changes without a restart). */
    public static Path cniConfDir(Path agentDir) {
        return agentDir.resolve("containerd").resolve("cni/net.d");
    }

    public ContainerRuntime cri() {
        return cri;
    }

    /** Our containerd's supervisor; empty when an external runtime is used. */
    public Optional<ContainerdSupervisor> supervisor() {
        return supervisor;
    }

    public List<BuiltImage> images() {
        return images;
    }

    @Override
    public void close() {
        cri.close();
        supervisor.ifPresent(ContainerdSupervisor::close);
    }
}
