package io.jk8s.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.jk8s.kubelet.cri.v1.RuntimeCondition;
import io.jk8s.kubelet.cri.v1.RuntimeStatus;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Builds this node's API object: labels, pod CIDR, and a status with capacity, addresses,
 * conditions (Ready follows the runtime's RuntimeReady and NetworkReady) and node info.
 */
public final class NodeStatusFactory {

    public static final String KUBELET_VERSION = "v1.32.3-jk8s";
    public static final int MAX_PODS = 110;
    public static final int KUBELET_PORT = 10250;

    /**
     * @param nodeName       the node's name (usually the host name)
     * @param internalIp     the address other nodes and the API server reach it on
     * @param podCidr        the node's pod subnet, if assigned
     * @param runtimeVersion e.g. {@code containerd://1.6.20}
     */
    public record Identity(String nodeName, String internalIp, Optional<String> podCidr, String runtimeVersion) {}

    private final Identity identity;
    private final HostFacts facts;
    private final Clock clock;
    private final IntSupplier kubeletPort;

    public NodeStatusFactory(Identity identity, HostFacts facts, Clock clock) {
        this(identity, facts, clock, () -> KUBELET_PORT);
    }

    /**
     * @param kubeletPort the port of the kubelet's HTTPS server, reported as the daemon endpoint;
     *                    asked at each status build (the server may bind a free port at start)
     */
    public NodeStatusFactory(Identity identity, HostFacts facts, Clock clock, IntSupplier kubeletPort) {
        this.identity = identity;
        this.facts = facts;
        this.clock = clock;
        this.kubeletPort = kubeletPort;
    }

    /** The Node to create at registration. */
    public Node node(RuntimeStatus runtime) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName(identity.nodeName())
                .withLabels(Map.of(
                        "kubernetes.io/hostname", identity.nodeName(),
                        "kubernetes.io/os", "linux",
                        "kubernetes.io/arch", facts.architecture(),
                        "beta.kubernetes.io/os", "linux",
                        "beta.kubernetes.io/arch", facts.architecture()))
                .endMetadata()
                .withNewSpec().endSpec()
                .withStatus(status(runtime, null));
        identity.podCidr().ifPresent(cidr -> node.editSpec().withPodCIDR(cidr).withPodCIDRs(cidr).endSpec());
        return node.build();
    }

    /**
     * The current status; condition transition times are kept from {@code previous} while a
     * condition's status does not change.
     */
    public NodeStatus status(RuntimeStatus runtime, NodeStatus previous) {
        Map<String, Quantity> capacity = Map.of(
                "cpu", new Quantity(Integer.toString(facts.cpus())),
                "memory", new Quantity(facts.memoryBytes() / 1024 + "Ki"),
                "ephemeral-storage", new Quantity(facts.ephemeralStorageBytes() / 1024 + "Ki"),
                "pods", new Quantity(Integer.toString(MAX_PODS)));
        boolean runtimeReady = condition(runtime, "RuntimeReady");
        boolean networkReady = condition(runtime, "NetworkReady");
        boolean ready = runtimeReady && networkReady;
        String readyMessage = ready ? "kubelet is posting ready status"
                : "container runtime " + (!runtimeReady ? "is down" : "network not ready");
        return build(capacity, List.of(
                        condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory",
                                "kubelet has sufficient memory available"),
                        condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure",
                                "kubelet has no disk pressure"),
                        condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID",
                                "kubelet has sufficient PID available"),
                        condition(previous, "Ready", ready ? "True" : "False",
                                ready ? "KubeletReady" : "KubeletNotReady", readyMessage)));
    }

    private NodeStatus build(Map<String, Quantity> capacity, List<NodeCondition> conditions) {
        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withConditions(conditions)
                .withAddresses(new NodeAddress(identity.internalIp(), "InternalIP"),
                        new NodeAddress(identity.nodeName(), "Hostname"))
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort.getAsInt()).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withMachineID(facts.machineId())
                .withSystemUUID(facts.machineId())
                .withBootID(facts.bootId())
                .withKernelVersion(facts.kernelVersion())
                .withOsImage(facts.osImage())
                .withContainerRuntimeVersion(identity.runtimeVersion())
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION)
                .withOperatingSystem("linux")
                .withArchitecture(facts.architecture())
                .endNodeInfo()
                .build();
    }

    private NodeCondition condition(NodeStatus previous, String type, String status, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String since = previous == null ? now : Objects.requireNonNullElse(previous.getConditions(), List.<NodeCondition>of())
                .stream().filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
                .map(NodeCondition::getLastTransitionTime).filter(Objects::nonNull).findFirst().orElse(now);
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(now).withLastTransitionTime(since).build();
    }

    private static boolean condition(RuntimeStatus runtime, String type) {
        return runtime.getConditionsList().stream().filter(c -> c.getType().equals(type))
                .anyMatch(RuntimeCondition::getStatus);
    }
}
