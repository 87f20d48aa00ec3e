package io.jk8s.controllers.endpoints;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.jk8s.controllers.runtime.Pods;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods behind a Service, grouped by the port numbers their named target ports resolve to
 * (pods may name the same port differently), as the Endpoints and EndpointSlice controllers
 * publish them.
 */
final class ServiceBackends {

    /** One service port resolved for a group of pods. */
    record Port(String name, String protocol, int port, String appProtocol) {}

    /** A pod as an endpoint. */
    record Backend(Pod pod, String ip, boolean ready, boolean serving, boolean terminating) {}

    private ServiceBackends() {
    }

    /** Whether the controllers manage this Service's endpoints (a selector, not ExternalName). */
    static boolean managed(Service svc) {
        return svc.getSpec() != null && svc.getSpec().getSelector() != null && !svc.getSpec().getSelector().isEmpty()
                && !"ExternalName".equals(svc.getSpec().getType());
    }

    static boolean selects(Service svc, Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        return managed(svc) && labels.entrySet().containsAll(svc.getSpec().getSelector().entrySet());
    }

    /** Backends grouped by resolved port list; pods without an IP or that finished are left out. */
    static Map<List<Port>, List<Backend>> group(Service svc, List<Pod> podsInNamespace) {
        boolean publishNotReady = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
        Map<List<Port>, List<Backend>> groups = new LinkedHashMap<>();
        for (Pod pod : podsInNamespace) {
            if (!selects(svc, pod) || Pods.isTerminated(pod)) continue;
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip == null || ip.isEmpty()) continue;
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            boolean serving = Pods.isReady(pod);
            // Upstream: a terminating pod is never "ready" (so clients stop sending new work to it) unless
            // the Service publishes not-ready addresses; "serving" keeps telling whether it still answers.
            boolean ready = publishNotReady || serving && !terminating;
            List<Port> ports = resolve(svc, pod);
            groups.computeIfAbsent(ports, k -> new ArrayList<>()).add(new Backend(pod, ip, ready, serving, terminating));
        }
        return groups;
    }

    private static List<Port> resolve(Service svc, Pod pod) {
        List<Port> out = new ArrayList<>();
        if (svc.getSpec().getPorts() == null) return out;
        for (ServicePort sp : svc.getSpec().getPorts()) {
            Integer port = targetPort(sp, pod);
            if (port == null) continue;
            out.add(new Port(sp.getName(), sp.getProtocol() == null ? "TCP" : sp.getProtocol(), port, sp.getAppProtocol()));
        }
        return out;
    }

    /** The numeric target port on {@code pod}: the number, or the container port with that name; null if unresolved. */
    static Integer targetPort(ServicePort sp, Pod pod) {
        var tp = sp.getTargetPort();
        if (tp == null) return sp.getPort();
        if (tp.getIntVal() != null) return tp.getIntVal();
        String name = tp.getStrVal();
        if (name == null || name.isEmpty()) return sp.getPort();
        if (name.chars().allMatch(Character::isDigit)) return Integer.parseInt(name);
        for (var c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) continue;
            for (ContainerPort cp : c.getPorts()) {
                String proto = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
                String want = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
                if (name.equals(cp.getName()) && proto.equals(want)) return cp.getContainerPort();
            }
        }
        return null;
    }
}
