package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.kubelet.cri.v1.*;
import io.jk8s.kubelet.volume.DownwardApi;
import io.jk8s.kubelet.volume.PodObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Translates a pod (API form) into CRI configurations: the sandbox (metadata, hostname, DNS,
 * host ports, log directory, namespaces) and each container (image, command, env, mounts,
 * resources, log path). Pure apart from creating subPath directories.
 */
public final class RuntimeConfigs {

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfigs.class);
    private static final long CPU_PERIOD_US = 100_000;

    /**
     * @param podLogRoot    parent of per-pod log dirs ({@code <ns>_<name>_<uid>}), upstream /var/log/pods
     * @param podsDir       parent of per-pod state (volumes), upstream /var/lib/kubelet/pods
     * @param clusterDns    cluster DNS server for ClusterFirst pods; empty to use the host's resolv.conf
     * @param clusterDomain cluster domain, e.g. cluster.local
     * @param nodeName      this node
     */
    public record Settings(Path podLogRoot, Path podsDir, Optional<String> clusterDns, String clusterDomain,
                           String nodeName) {}

    private final Settings settings;
    private final EnvResolver env;
    private final PodDns podDns;

    /** Without an API: env references to ConfigMaps/Secrets fail as missing (tests, bare runtime use). */
    public RuntimeConfigs(Settings settings) {
        this(settings, PodObjects.NONE, new DownwardApi.NodeAllocatable(1, 0, 0));
    }

    /**
     * @param objects ConfigMaps and Secrets that env variables refer to
     * @param node    what {@code resourceFieldRef} reports for limits a container does not set
     */
    public RuntimeConfigs(Settings settings, PodObjects objects, DownwardApi.NodeAllocatable node) {
        this.settings = settings;
        this.env = new EnvResolver(objects, node);
        this.podDns = new PodDns(settings.clusterDns(), settings.clusterDomain(), hostResolv());
    }

    /** The node's resolver settings (for Default pods with a dnsConfig, and the host's search domains). */
    private static PodDns.HostResolv hostResolv() {
        try {
            return PodDns.HostResolv.parse(Files.readString(Path.of("/etc/resolv.conf")));
        } catch (IOException e) {
            return PodDns.HostResolv.EMPTY;
        }
    }

    /** Parent of per-pod state directories ({@code <uid>/volumes/...}). */
    public Path podsDirectory() {
        return settings.podsDir();
    }

    public Path logDirectory(Pod pod) {
        var m = pod.getMetadata();
        return settings.podLogRoot().resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
    }

    public PodSandboxConfig sandboxConfig(Pod pod, int attempt) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
        PodSandboxConfig.Builder config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName()).setNamespace(meta.getNamespace())
                        .setUid(meta.getUid()).setAttempt(attempt))
                .setHostname(hostNetwork ? "" : hostname(pod))
                .setLogDirectory(logDirectory(pod).toString())
                .putAllLabels(podLabels(pod))
                .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                        .setNamespaceOptions(NamespaceOption.newBuilder()
                                .setNetwork(hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD)
                                .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                                        : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD
                                        : NamespaceMode.CONTAINER)
                                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD))));
        if (meta.getLabels() != null) {
            // Pod labels ride along as sandbox labels, like upstream; our own keys win.
            meta.getLabels().forEach((k, v) -> {
                if (!config.containsLabels(k)) {
                    config.putLabels(k, v);
                }
            });
        }
        dnsConfig(pod, hostNetwork).ifPresent(config::setDnsConfig);
        for (Container c : allContainers(pod)) {
            for (ContainerPort port : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
                if (port.getHostPort() != null && port.getHostPort() > 0) {
                    config.addPortMappings(PortMapping.newBuilder()
                            .setProtocol(protocol(port.getProtocol()))
                            .setContainerPort(port.getContainerPort())
                            .setHostPort(port.getHostPort())
                            .setHostIp(Objects.requireNonNullElse(port.getHostIP(), "")));
                }
            }
        }
        return config.build();
    }

    private static String hostname(Pod pod) {
        String hostname = pod.getSpec().getHostname();
        return hostname != null && !hostname.isEmpty() ? hostname : pod.getMetadata().getName();
    }

    private Optional<DNSConfig> dnsConfig(Pod pod, boolean hostNetwork) {
        return podDns.forPod(pod);
    }

    static Map<String, String> podLabels(Pod pod) {
        var m = pod.getMetadata();
        return Map.of(CriLabels.POD_NAME, m.getName(), CriLabels.POD_NAMESPACE, m.getNamespace(),
                CriLabels.POD_UID, m.getUid(), CriLabels.MANAGED_BY, CriLabels.MANAGED_BY_VALUE);
    }

    static List<Container> allContainers(Pod pod) {
        List<Container> init = Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.of());
        List<Container> app = Objects.requireNonNullElse(pod.getSpec().getContainers(), List.of());
        return java.util.stream.Stream.concat(init.stream(), app.stream()).toList();
    }

    /** A stable fingerprint of a container's spec: a changed spec means a new container. */
    public static String hash(Container container) {
        return Integer.toHexString(Serialization.asJson(container).hashCode());
    }

    /** A container's CRI config and the warnings (pod events) resolving its environment produced. */
    public record ContainerSetup(ContainerConfig config, List<String> envWarnings) {}

    /**
     * @param volumePaths host paths of the pod's volumes that are set up (see VolumeManager)
     * @throws ContainerConfigException when its environment refers to something missing
     */
    public ContainerSetup containerConfig(Pod pod, Container c, int restartCount, boolean init, String podIp,
                                          String hostIp, Map<String, Path> volumePaths) throws ContainerConfigException {
        EnvResolver.Resolved resolved = env.resolve(pod, c, new DownwardApi.PodRuntimeFacts(settings.nodeName(), podIp, hostIp));
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(restartCount))
                .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
                .addAllCommand(resolved.command())
                .addAllArgs(resolved.args())
                .setWorkingDir(Objects.requireNonNullElse(c.getWorkingDir(), ""))
                .putAllLabels(podLabels(pod))
                .putLabels(CriLabels.CONTAINER_NAME, c.getName())
                .putAnnotations(CriLabels.RESTART_COUNT, Integer.toString(restartCount))
                .putAnnotations(CriLabels.CONTAINER_HASH, hash(c))
                .putAnnotations(CriLabels.INIT_CONTAINER, Boolean.toString(init))
                .setLogPath(c.getName() + "/" + restartCount + ".log")
                .setStdin(Boolean.TRUE.equals(c.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(c.getTty()));
        resolved.env().forEach((k, v) -> config.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        for (VolumeMount mount : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
            Path hostPath = volumePaths.get(mount.getName());
            if (hostPath == null) {
                log.warn("pod {}/{}: volume {} is not set up; not mounted",
                        pod.getMetadata().getNamespace(), pod.getMetadata().getName(), mount.getName());
                continue;
            }
            String subPath = mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()
                    ? EnvExpansion.expand(mount.getSubPathExpr(), resolved.env()) : mount.getSubPath();
            config.addMounts(Mount.newBuilder()
                    .setContainerPath(mount.getMountPath())
                    .setHostPath(subPath == null || subPath.isEmpty()
                            ? hostPath.toString() : ensureDir(hostPath.resolve(subPath)).toString())
                    .setReadonly(Boolean.TRUE.equals(mount.getReadOnly())));
        }
        config.setLinux(LinuxContainerConfig.newBuilder().setResources(resources(c)));
        return new ContainerSetup(config.build(), resolved.invalidKeyWarnings());
    }

    private static Path ensureDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume directory " + dir, e);
        }
    }

    static LinuxContainerResources resources(Container c) {
        LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder();
        if (c.getResources() == null) {
            return r.setCpuShares(2).build(); // upstream's minimum shares for best-effort
        }
        Map<String, Quantity> limits = Objects.requireNonNullElse(c.getResources().getLimits(), Map.of());
        Map<String, Quantity> requests = Objects.requireNonNullElse(c.getResources().getRequests(), Map.of());
        Quantity cpuRequest = requests.getOrDefault("cpu", limits.get("cpu"));
        long shares = cpuRequest == null ? 2 : Math.max(2, milliCpu(cpuRequest) * 1024 / 1000);
        r.setCpuShares(shares);
        if (limits.containsKey("cpu")) {
            r.setCpuPeriod(CPU_PERIOD_US).setCpuQuota(Math.max(1000, milliCpu(limits.get("cpu")) * CPU_PERIOD_US / 1000));
        }
        if (limits.containsKey("memory")) {
            r.setMemoryLimitInBytes(Quantity.getAmountInBytes(limits.get("memory")).longValue());
        }
        return r.build();
    }

    static long milliCpu(Quantity q) {
        return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    private static Protocol protocol(String protocol) {
        return switch (Objects.requireNonNullElse(protocol, "TCP")) {
            case "UDP" -> Protocol.UDP;
            case "SCTP" -> Protocol.SCTP;
            default -> Protocol.TCP;
        };
    }
}
