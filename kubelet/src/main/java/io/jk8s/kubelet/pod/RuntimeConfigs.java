package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.kubelet.cri.v1.*;
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
 * resources, log path). Pure apart from creating volume directories.
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

    public RuntimeConfigs(Settings settings) {
        this.settings = settings;
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
        String policy = Objects.requireNonNullElse(pod.getSpec().getDnsPolicy(), "ClusterFirst");
        boolean clusterFirst = policy.equals("ClusterFirstWithHostNet") || (policy.equals("ClusterFirst") && !hostNetwork);
        if (!clusterFirst || settings.clusterDns().isEmpty()) {
            return Optional.empty(); // the runtime copies the host's resolv.conf
        }
        String ns = pod.getMetadata().getNamespace();
        String domain = settings.clusterDomain();
        return Optional.of(DNSConfig.newBuilder()
                .addServers(settings.clusterDns().get())
                .addAllSearches(List.of(ns + ".svc." + domain, "svc." + domain, domain))
                .addOptions("ndots:5")
                .build());
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

    public ContainerConfig containerConfig(Pod pod, Container c, int restartCount, boolean init, String podIp,
                                           String hostIp) {
        ContainerConfig.Builder config = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(restartCount))
                .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
                .addAllCommand(Objects.requireNonNullElse(c.getCommand(), List.of()))
                .addAllArgs(Objects.requireNonNullElse(c.getArgs(), List.of()))
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
        for (EnvVar env : Objects.requireNonNullElse(c.getEnv(), List.<EnvVar>of())) {
            resolveEnv(pod, env, podIp, hostIp).ifPresent(value ->
                    config.addEnvs(KeyValue.newBuilder().setKey(env.getName()).setValue(value)));
        }
        for (VolumeMount mount : Objects.requireNonNullElse(c.getVolumeMounts(), List.<VolumeMount>of())) {
            volumeHostPath(pod, mount.getName()).ifPresentOrElse(
                    hostPath -> config.addMounts(Mount.newBuilder()
                            .setContainerPath(mount.getMountPath())
                            .setHostPath(mount.getSubPath() == null || mount.getSubPath().isEmpty()
                                    ? hostPath.toString() : ensureDir(hostPath.resolve(mount.getSubPath())).toString())
                            .setReadonly(Boolean.TRUE.equals(mount.getReadOnly()))),
                    () -> log.warn("pod {}/{}: volume {} is not supported yet; not mounted",
                            pod.getMetadata().getNamespace(), pod.getMetadata().getName(), mount.getName()));
        }
        config.setLinux(LinuxContainerConfig.newBuilder().setResources(resources(c)));
        return config.build();
    }

    private Optional<String> resolveEnv(Pod pod, EnvVar env, String podIp, String hostIp) {
        if (env.getValueFrom() == null) {
            return Optional.of(Objects.requireNonNullElse(env.getValue(), ""));
        }
        if (env.getValueFrom().getFieldRef() != null) {
            var m = pod.getMetadata();
            return Optional.ofNullable(switch (env.getValueFrom().getFieldRef().getFieldPath()) {
                case "metadata.name" -> m.getName();
                case "metadata.namespace" -> m.getNamespace();
                case "metadata.uid" -> m.getUid();
                case "spec.nodeName" -> settings.nodeName();
                case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName();
                case "status.podIP" -> podIp;
                case "status.hostIP" -> hostIp;
                default -> null;
            });
        }
        log.warn("pod {}/{}: env {} uses an unsupported source; left unset", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), env.getName());
        return Optional.empty();
    }

    /** Where on the host a pod volume lives, for the volume kinds this kubelet supports. */
    Optional<Path> volumeHostPath(Pod pod, String volumeName) {
        Volume volume = Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of()).stream()
                .filter(v -> v.getName().equals(volumeName)).findFirst().orElse(null);
        if (volume == null) {
            return Optional.empty();
        }
        if (volume.getEmptyDir() != null) {
            return Optional.of(ensureDir(settings.podsDir().resolve(pod.getMetadata().getUid())
                    .resolve("volumes/kubernetes.io~empty-dir").resolve(volumeName)));
        }
        if (volume.getHostPath() != null) {
            Path path = Path.of(volume.getHostPath().getPath());
            String type = Objects.requireNonNullElse(volume.getHostPath().getType(), "");
            if (type.equals("DirectoryOrCreate")) {
                ensureDir(path);
            }
            return Optional.of(path);
        }
        return Optional.empty();
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
