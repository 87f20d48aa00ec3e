package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Turns Services and EndpointSlices into the proxy's view: one {@link ServicePortInfo} per IPv4 port of every
 * Service that has a cluster IP. Headless and ExternalName Services, and Services whose cluster IP is not
 * allocated yet, are left out. The service port is matched to slice ports by name and protocol, which is
 * how a named {@code targetPort} is resolved (the slice already carries the number).
 */
public final class ServicePorts {

    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServicePorts() {
    }

    public static List<ServicePortInfo> resolve(Collection<Service> services, Collection<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            String service = slice.getMetadata().getLabels() == null ? null : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (service != null && "IPv4".equals(slice.getAddressType())) {
                slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>()).add(slice);
            }
        }
        List<ServicePortInfo> out = new ArrayList<>();
        for (Service service : services) {
            ServiceSpec spec = service.getSpec();
            if (spec == null || spec.getPorts() == null || !isProxied(spec)) {
                continue;
            }
            String namespace = service.getMetadata().getNamespace();
            String name = service.getMetadata().getName();
            List<EndpointSlice> own = slicesByService.getOrDefault(namespace + "/" + name, List.of());
            for (ServicePort port : spec.getPorts()) {
                String portName = Objects.requireNonNullElse(port.getName(), "");
                String protocol = Objects.requireNonNullElse(port.getProtocol(), "TCP");
                UsableEndpoints usable = usableEndpoints(own, portName, protocol);
                out.add(new ServicePortInfo(namespace, name, portName, protocol, spec.getClusterIP(),
                        port.getPort(), Objects.requireNonNullElse(port.getNodePort(), 0), affinitySeconds(spec),
                        "Local".equals(spec.getExternalTrafficPolicy()),
                        "Local".equals(spec.getInternalTrafficPolicy()), externalIps(service), usable.ready().isEmpty()
                        ? usable.servingTerminating() : usable.ready(), usable.servingTerminating()));
            }
        }
        out.sort(Comparator.comparing(ServicePortInfo::namespace).thenComparing(ServicePortInfo::name)
                .thenComparing(ServicePortInfo::portName).thenComparing(ServicePortInfo::protocol));
        return out;
    }

    private static boolean isProxied(ServiceSpec spec) {
        String ip = spec.getClusterIP();
        return !"ExternalName".equals(spec.getType()) && ip != null && !ip.isEmpty() && !"None".equals(ip) && !ip.contains(":");
    }

    private static List<String> externalIps(Service service) {
        TreeSet<String> ips = new TreeSet<>();
        if (service.getSpec().getExternalIPs() != null) {
            ips.addAll(service.getSpec().getExternalIPs());
        }
        if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
                && service.getStatus().getLoadBalancer().getIngress() != null) {
            service.getStatus().getLoadBalancer().getIngress().forEach(ingress -> {
                if (ingress.getIp() != null) {
                    ips.add(ingress.getIp());
                }
            });
        }
        ips.removeIf(ip -> ip.isEmpty() || ip.contains(":"));
        return List.copyOf(ips);
    }

    private static int affinitySeconds(ServiceSpec spec) {
        if (!"ClientIP".equals(spec.getSessionAffinity())) {
            return 0;
        }
        if (spec.getSessionAffinityConfig() != null && spec.getSessionAffinityConfig().getClientIP() != null
                && spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds() != null) {
            return spec.getSessionAffinityConfig().getClientIP().getTimeoutSeconds();
        }
        return 10800;
    }

    private record UsableEndpoints(List<ServicePortInfo.EndpointInfo> ready, List<ServicePortInfo.EndpointInfo> servingTerminating) {
    }

    /**
     * The ready endpoints and the serving ones that are terminating. Traffic goes to the ready ones and falls back
     * to the serving terminating ones when there is none (upstream kube-proxy's rule, so connections still succeed
     * while every backend drains, e.g. during a rolling restart of one pod); Local policies apply that per node.
     */
    private static UsableEndpoints usableEndpoints(List<EndpointSlice> slices, String portName, String protocol) {
        TreeSet<ServicePortInfo.EndpointInfo> ready = new TreeSet<>();
        TreeSet<ServicePortInfo.EndpointInfo> servingTerminating = new TreeSet<>();
        for (EndpointSlice slice : slices) {
            Integer number = slicePort(slice, portName, protocol);
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                // Every address of one endpoint is fungible; kube-proxy uses the first.
                ServicePortInfo.EndpointInfo info = new ServicePortInfo.EndpointInfo(endpoint.getAddresses().get(0), number,
                        Objects.requireNonNullElse(endpoint.getNodeName(), ""));
                var conditions = endpoint.getConditions();
                // Upstream treats an unset "ready" as ready, an unset "serving" as "ready", an unset "terminating" as false.
                boolean isReady = conditions == null || conditions.getReady() == null || conditions.getReady();
                boolean serving = conditions == null || conditions.getServing() == null ? isReady : conditions.getServing();
                boolean terminating = conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
                if (isReady) {
                    ready.add(info);
                } else if (serving && terminating) {
                    servingTerminating.add(info);
                }
            }
        }
        return new UsableEndpoints(List.copyOf(ready), List.copyOf(servingTerminating));
    }

    private static Integer slicePort(EndpointSlice slice, String portName, String protocol) {
        if (slice.getPorts() == null) {
            return null;
        }
        for (EndpointPort p : slice.getPorts()) {
            if (Objects.requireNonNullElse(p.getName(), "").equals(portName)
                    && Objects.requireNonNullElse(p.getProtocol(), "TCP").equals(protocol) && p.getPort() != null) {
                return p.getPort();
            }
        }
        return null;
    }
}
