package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The downward API: pod fields and container resources as strings, with upstream's formats
 * (label maps as sorted {@code key="value"} lines; resources divided by the divisor and rounded up;
 * unset limits fall back to the node's allocatable amount).
 */
public final class DownwardApi {

    private static final Pattern SUBSCRIPT = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]");

    /** What the node offers, used for containers without a limit (upstream: node allocatable). */
    public record NodeAllocatable(int cpus, long memoryBytes, long ephemeralStorageBytes) {}

    /** The runtime facts of the pod that the API object may not carry yet. */
    public record PodRuntimeFacts(String nodeName, String podIp, String hostIp) {}

    private DownwardApi() {
    }

    /**
     * The value of {@code fieldPath}, or empty when the path is not supported. Volume files may use
     * only metadata fields; env additionally the spec and status ones ({@code forEnv}).
     */
    public static Optional<String> field(Pod pod, String fieldPath, PodRuntimeFacts facts, boolean forEnv) {
        var m = pod.getMetadata();
        Matcher subscript = SUBSCRIPT.matcher(fieldPath);
        if (subscript.matches()) {
            Map<String, String> map = subscript.group(1).equals("labels") ? m.getLabels() : m.getAnnotations();
            return Optional.of(Objects.requireNonNullElse(map, Map.<String, String>of()).getOrDefault(subscript.group(2), ""));
        }
        String value = switch (fieldPath) {
            case "metadata.name" -> m.getName();
            case "metadata.namespace" -> m.getNamespace();
            case "metadata.uid" -> m.getUid();
            case "metadata.labels" -> formatMap(m.getLabels());
            case "metadata.annotations" -> formatMap(m.getAnnotations());
            default -> null;
        };
        if (value != null || !forEnv) {
            return Optional.ofNullable(value);
        }
        return Optional.ofNullable(switch (fieldPath) {
            case "spec.nodeName" -> facts.nodeName();
            case "spec.serviceAccountName" -> Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(), "");
            case "status.podIP", "status.podIPs" -> facts.podIp();
            case "status.hostIP", "status.hostIPs" -> facts.hostIp();
            default -> null;
        });
    }

    /** Upstream's FormatMap: keys sorted, one {@code key="value"} per line, no trailing newline. */
    static String formatMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(Objects.requireNonNullElse(map, Map.<String, String>of())).forEach((k, v) -> {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(k).append('=').append(quote(v));
        });
        return out.toString();
    }

    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }

    /**
     * A container resource ({@code limits.cpu}, {@code requests.memory}, ...) divided by the
     * selector's divisor, rounded up, as upstream's ExtractContainerResourceValue.
     *
     * @throws IllegalArgumentException for an unknown resource or container
     */
    public static String resource(Pod pod, ResourceFieldSelector selector, String defaultContainer, NodeAllocatable node) {
        String containerName = selector.getContainerName() == null || selector.getContainerName().isEmpty()
                ? defaultContainer : selector.getContainerName();
        Container container = Stream.concat(
                        Objects.requireNonNullElse(pod.getSpec().getContainers(), List.<Container>of()).stream(),
                        Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<Container>of()).stream())
                .filter(c -> c.getName().equals(containerName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("container " + containerName + " not found in pod"));
        String resource = selector.getResource();
        int dot = resource.indexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("unsupported container resource: " + resource);
        }
        String kind = resource.substring(0, dot);
        String name = resource.substring(dot + 1);
        var resources = container.getResources();
        Map<String, Quantity> limits = resources == null ? Map.of() : Objects.requireNonNullElse(resources.getLimits(), Map.of());
        Map<String, Quantity> requests = resources == null ? Map.of() : Objects.requireNonNullElse(resources.getRequests(), Map.of());
        BigDecimal amount;
        if (kind.equals("limits")) {
            amount = limits.containsKey(name) ? Quantity.getAmountInBytes(limits.get(name)) : allocatable(name, node);
        } else if (kind.equals("requests")) {
            amount = requests.containsKey(name) ? Quantity.getAmountInBytes(requests.get(name)) : BigDecimal.ZERO;
        } else {
            throw new IllegalArgumentException("unsupported container resource: " + resource);
        }
        BigDecimal divisor = selector.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(selector.getDivisor());
        if (divisor.signum() == 0) {
            divisor = BigDecimal.ONE;
        }
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static BigDecimal allocatable(String resource, NodeAllocatable node) {
        return switch (resource) {
            case "cpu" -> BigDecimal.valueOf(node.cpus());
            case "memory" -> BigDecimal.valueOf(node.memoryBytes());
            case "ephemeral-storage" -> BigDecimal.valueOf(node.ephemeralStorageBytes());
            default -> {
                if (resource.startsWith("hugepages-")) {
                    yield BigDecimal.ZERO;
                }
                throw new IllegalArgumentException("unsupported container resource: limits." + resource);
            }
        };
    }
}
