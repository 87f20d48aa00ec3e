package io.jk8s.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with everything the plugins need pre-computed once: its identity, priority, effective
 * resource requests (init-container max rule, sidecars, overhead), the non-zero requests used for
 * scoring, host ports and parsed affinity terms. Immutable; the pod must not be modified.
 */
public final class PodInfo {

    /** Upstream's defaults for containers that request nothing, used only for scoring. */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

    private final Pod pod;
    private final String key;
    private final String uid;
    private final int priority;
    private final Resource requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinity;
    private final List<AffinityTerm> requiredAntiAffinity;
    private final List<WeightedAffinityTerm> preferredAffinity;
    private final List<WeightedAffinityTerm> preferredAntiAffinity;
    private final String assignedNode;

    private PodInfo(PodInfo o, String assignedNode) {
        this.pod = o.pod;
        this.key = o.key;
        this.uid = o.uid;
        this.priority = o.priority;
        this.requests = o.requests;
        this.nonZeroMilliCpu = o.nonZeroMilliCpu;
        this.nonZeroMemory = o.nonZeroMemory;
        this.hostPorts = o.hostPorts;
        this.requiredAffinity = o.requiredAffinity;
        this.requiredAntiAffinity = o.requiredAntiAffinity;
        this.preferredAffinity = o.preferredAffinity;
        this.preferredAntiAffinity = o.preferredAntiAffinity;
        this.assignedNode = assignedNode;
    }

    /** The same pod as if bound to {@code nodeName} (what the cache assumes before the binding is seen). */
    public PodInfo withNodeName(String nodeName) {
        return new PodInfo(this, nodeName);
    }

    private PodInfo(Pod pod) {
        this.assignedNode = null;
        this.pod = pod;
        this.key = keyOf(pod);
        this.uid = pod.getMetadata().getUid() == null ? key : pod.getMetadata().getUid();
        Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
        this.priority = p == null ? 0 : p;
        this.requests = computeRequests(pod, false);
        Resource nonZero = computeRequests(pod, true);
        this.nonZeroMilliCpu = nonZero.milliCpu();
        this.nonZeroMemory = nonZero.memory();
        this.hostPorts = computeHostPorts(pod);
        String ns = namespace();
        Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
        List<AffinityTerm> ra = List.of();
        List<AffinityTerm> raa = List.of();
        List<WeightedAffinityTerm> pa = List.of();
        List<WeightedAffinityTerm> paa = List.of();
        if (affinity != null && affinity.getPodAffinity() != null) {
            ra = terms(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), ns);
            pa = weighted(affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), ns);
        }
        if (affinity != null && affinity.getPodAntiAffinity() != null) {
            raa = terms(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(), ns);
            paa = weighted(affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), ns);
        }
        this.requiredAffinity = ra;
        this.requiredAntiAffinity = raa;
        this.preferredAffinity = pa;
        this.preferredAntiAffinity = paa;
    }

    public static PodInfo of(Pod pod) {
        return new PodInfo(pod);
    }

    public static String keyOf(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    private static List<AffinityTerm> terms(List<PodAffinityTerm> terms, String ns) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream().map(t -> AffinityTerm.of(t, ns)).toList();
    }

    private static List<WeightedAffinityTerm> weighted(List<WeightedPodAffinityTerm> terms, String ns) {
        if (terms == null || terms.isEmpty()) {
            return List.of();
        }
        return terms.stream()
                .filter(t -> t.getPodAffinityTerm() != null)
                .map(t -> new WeightedAffinityTerm(AffinityTerm.of(t.getPodAffinityTerm(), ns),
                        t.getWeight() == null ? 0 : t.getWeight()))
                .toList();
    }

    /**
     * The pod's effective request: sum of app containers and sidecars (init containers with
     * {@code restartPolicy: Always}), at least the largest regular init container plus the sidecars
     * started before it, plus {@code spec.overhead}. With {@code nonZero}, containers that do not request
     * CPU or memory count upstream's defaults (scoring only).
     */
    static Resource computeRequests(Pod pod, boolean nonZero) {
        Resource total = new Resource();
        if (pod.getSpec() == null) {
            return total;
        }
        for (Container c : nullSafe(pod.getSpec().getContainers())) {
            total.add(containerRequests(c, nonZero));
        }
        Resource sidecars = new Resource();
        Resource initMax = new Resource();
        for (Container c : nullSafe(pod.getSpec().getInitContainers())) {
            Resource req = containerRequests(c, nonZero);
            if ("Always".equals(c.getRestartPolicy())) {
                total.add(req);
                sidecars.add(req);
                initMax.setMax(sidecars);
            } else {
                Resource withSidecars = req.copy();
                withSidecars.add(sidecars);
                initMax.setMax(withSidecars);
            }
        }
        total.setMax(initMax);
        if (pod.getSpec().getOverhead() != null) {
            total.add(Resource.of(pod.getSpec().getOverhead()));
        }
        return total;
    }

    private static Resource containerRequests(Container c, boolean nonZero) {
        Resource r = c.getResources() == null ? new Resource() : Resource.of(c.getResources().getRequests());
        if (nonZero) {
            Map<String, ?> req = c.getResources() == null ? null : c.getResources().getRequests();
            if (req == null || !req.containsKey(Resource.CPU)) {
                r.addMilliCpu(DEFAULT_MILLI_CPU_REQUEST);
            }
            if (req == null || !req.containsKey(Resource.MEMORY)) {
                r.addMemory(DEFAULT_MEMORY_REQUEST);
            }
        }
        return r;
    }

    private static List<HostPort> computeHostPorts(Pod pod) {
        if (pod.getSpec() == null) {
            return List.of();
        }
        List<HostPort> ports = new ArrayList<>(0);
        collectPorts(pod.getSpec().getContainers(), ports, false);
        collectPorts(pod.getSpec().getInitContainers(), ports, true);
        return ports.isEmpty() ? List.of() : List.copyOf(ports);
    }

    private static void collectPorts(List<Container> containers, List<HostPort> out, boolean sidecarsOnly) {
        for (Container c : nullSafe(containers)) {
            if (sidecarsOnly && !"Always".equals(c.getRestartPolicy())) {
                continue;
            }
            for (ContainerPort p : nullSafe(c.getPorts())) {
                if (p.getHostPort() != null && p.getHostPort() > 0) {
                    out.add(HostPort.of(p.getHostIP(), p.getProtocol(), p.getHostPort()));
                }
            }
        }
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }

    public Pod pod() {
        return pod;
    }

    /** {@code namespace/name}. */
    public String key() {
        return key;
    }

    /** The pod's UID, or its key when it has none (tests). */
    public String uid() {
        return uid;
    }

    public String namespace() {
        return pod.getMetadata().getNamespace();
    }

    public String name() {
        return pod.getMetadata().getName();
    }

    public Map<String, String> labels() {
        Map<String, String> l = pod.getMetadata().getLabels();
        return l == null ? Map.of() : l;
    }

    /** The node the pod is bound to, or assumed on; {@code null} for a pending pod. */
    public String nodeName() {
        if (assignedNode != null) {
            return assignedNode;
        }
        return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    }

    public int priority() {
        return priority;
    }

    /** Effective requests; callers must not modify the returned value. */
    public Resource requests() {
        return requests;
    }

    public long nonZeroMilliCpu() {
        return nonZeroMilliCpu;
    }

    public long nonZeroMemory() {
        return nonZeroMemory;
    }

    public List<HostPort> hostPorts() {
        return hostPorts;
    }

    public List<AffinityTerm> requiredAffinity() {
        return requiredAffinity;
    }

    public List<AffinityTerm> requiredAntiAffinity() {
        return requiredAntiAffinity;
    }

    public List<WeightedAffinityTerm> preferredAffinity() {
        return preferredAffinity;
    }

    public List<WeightedAffinityTerm> preferredAntiAffinity() {
        return preferredAntiAffinity;
    }

    public boolean hasAffinity() {
        return !requiredAffinity.isEmpty() || !requiredAntiAffinity.isEmpty()
                || !preferredAffinity.isEmpty() || !preferredAntiAffinity.isEmpty();
    }

    @Override
    public String toString() {
        return key;
    }
}
