package io.jk8s.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.Owners;
import io.jk8s.controllers.runtime.SyncResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * discovery/v1 EndpointSlices for Services with selectors: one IPv4 slice per distinct resolved
 * port set (at most {@value #MAX_ENDPOINTS} endpoints each), labelled
 * {@code kubernetes.io/service-name} and {@code endpointslice.kubernetes.io/managed-by}, owned
 * by the Service. Endpoints carry ready/serving/terminating conditions, nodeName and targetRef.
 */
public final class EndpointSliceController extends Controller {

    static final String SERVICE_NAME = "kubernetes.io/service-name";
    static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    static final String CONTROLLER_NAME = "endpointslice-controller.k8s.io";
    static final int MAX_ENDPOINTS = 100;

    private final KubernetesClient client;
    private final Informers informers;

    public EndpointSliceController(ControllerContext ctx) {
        super("endpointslice");
        this.client = ctx.client();
        this.informers = ctx.informers();
    }

    @Override
    public void register(Informers inf) {
        ServiceWatch.register(inf, this::enqueue);
        inf.onAny(EndpointSlice.class, s -> {
            Map<String, String> l = s.getMetadata().getLabels();
            if (l != null && CONTROLLER_NAME.equals(l.get(MANAGED_BY)) && l.get(SERVICE_NAME) != null) {
                enqueue(Keys.of(s.getMetadata().getNamespace(), l.get(SERVICE_NAME)));
            }
        });
    }

    @Override
    protected SyncResult sync(String key) {
        String ns = Keys.namespace(key);
        String name = Keys.name(key);
        Service svc = informers.get(Service.class, key);
        List<EndpointSlice> existing = informers.inNamespace(EndpointSlice.class, ns).stream()
                .filter(s -> s.getMetadata().getLabels() != null && name.equals(s.getMetadata().getLabels().get(SERVICE_NAME))
                        && CONTROLLER_NAME.equals(s.getMetadata().getLabels().get(MANAGED_BY)))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList();
        if (svc == null || !ServiceBackends.managed(svc)) {
            // The garbage collector would remove owned slices too; doing it here keeps the proxy's view fresh.
            existing.forEach(this::delete);
            return SyncResult.done();
        }
        List<EndpointSlice> desired = desired(svc, informers.inNamespace(Pod.class, ns));
        int i = 0;
        for (; i < desired.size(); i++) {
            EndpointSlice want = desired.get(i);
            if (i < existing.size()) {
                EndpointSlice cur = existing.get(i);
                if (!Objects.equals(cur.getEndpoints(), want.getEndpoints()) || !Objects.equals(cur.getPorts(), want.getPorts())) {
                    EndpointSlice next = Copies.deepCopy(cur);
                    next.setEndpoints(want.getEndpoints());
                    next.setPorts(want.getPorts());
                    client.discovery().v1().endpointSlices().inNamespace(ns).resource(next).update();
                }
            } else {
                client.discovery().v1().endpointSlices().inNamespace(ns).resource(want).create();
            }
        }
        for (; i < existing.size(); i++) delete(existing.get(i));
        return SyncResult.done();
    }

    private void delete(EndpointSlice s) {
        try {
            client.discovery().v1().endpointSlices().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName()).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    /** At least one slice (possibly empty, carrying the service's ports) so clients see the Service has no endpoints. */
    private List<EndpointSlice> desired(Service svc, List<Pod> pods) {
        Service owner = Copies.deepCopy(svc);
        owner.setApiVersion("v1");
        owner.setKind("Service");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SERVICE_NAME, svc.getMetadata().getName());
        labels.put(MANAGED_BY, CONTROLLER_NAME);
        List<EndpointSlice> out = new ArrayList<>();
        var groups = ServiceBackends.group(svc, pods);
        for (var group : groups.entrySet()) {
            List<EndpointPort> ports = group.getKey().stream()
                    .map(p -> new EndpointPort(p.appProtocol(), p.name(), p.port(), p.protocol())).toList();
            List<ServiceBackends.Backend> backends = group.getValue().stream()
                    .sorted(Comparator.comparing(ServiceBackends.Backend::ip)).toList();
            for (int from = 0; from < backends.size(); from += MAX_ENDPOINTS) {
                List<Endpoint> eps = backends.subList(from, Math.min(backends.size(), from + MAX_ENDPOINTS)).stream()
                        .map(b -> new EndpointBuilder().withAddresses(b.ip())
                                .withNewConditions().withReady(b.ready()).withServing(b.serving()).withTerminating(b.terminating()).endConditions()
                                .withNodeName(b.pod().getSpec().getNodeName())
                                .withNewTargetRef().withKind("Pod").withNamespace(b.pod().getMetadata().getNamespace())
                                .withName(b.pod().getMetadata().getName()).withUid(b.pod().getMetadata().getUid()).endTargetRef()
                                .build())
                        .toList();
                out.add(slice(svc, owner, labels, ports, eps));
            }
        }
        if (out.isEmpty()) {
            List<EndpointPort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts().stream()
                    .map(p -> new EndpointPort(p.getAppProtocol(), p.getName(), null, p.getProtocol() == null ? "TCP" : p.getProtocol())).toList();
            out.add(slice(svc, owner, labels, ports, List.of()));
        }
        return out;
    }

    private static EndpointSlice slice(Service svc, Service owner, Map<String, String> labels, List<EndpointPort> ports, List<Endpoint> eps) {
        var ref = Owners.controllerRef(owner);
        return new EndpointSliceBuilder().withNewMetadata().withGenerateName(svc.getMetadata().getName() + "-")
                .withNamespace(svc.getMetadata().getNamespace()).withLabels(labels).withOwnerReferences(ref).endMetadata()
                .withAddressType("IPv4").withPorts(ports).withEndpoints(eps).build();
    }
}
