package io.jk8s.controllers.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.SyncResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Core/v1 Endpoints for Services with selectors: ready pods in {@code addresses}, the others in {@code notReadyAddresses}. */
public final class EndpointsController extends Controller {

    private final KubernetesClient client;
    private final Informers informers;

    public EndpointsController(ControllerContext ctx) {
        super("endpoints");
        this.client = ctx.client();
        this.informers = ctx.informers();
    }

    @Override
    public void register(Informers inf) {
        ServiceWatch.register(inf, this::enqueue);
        inf.of(Endpoints.class);
    }

    @Override
    protected SyncResult sync(String key) {
        String ns = Keys.namespace(key);
        String name = Keys.name(key);
        Service svc = informers.get(Service.class, key);
        Endpoints current = informers.get(Endpoints.class, key);
        if (svc == null) {
            if (current != null) {
                try {
                    client.endpoints().inNamespace(ns).withName(name).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e;
                }
            }
            return SyncResult.done();
        }
        if (!ServiceBackends.managed(svc)) return SyncResult.done();
        List<Pod> pods = informers.inNamespace(Pod.class, ns);
        List<EndpointSubset> subsets = new ArrayList<>();
        for (var group : ServiceBackends.group(svc, pods).entrySet()) {
            List<EndpointAddress> ready = new ArrayList<>();
            List<EndpointAddress> notReady = new ArrayList<>();
            for (var b : group.getValue()) {
                if (b.terminating() && !Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses())) continue;
                EndpointAddress a = new EndpointAddressBuilder().withIp(b.ip()).withNodeName(b.pod().getSpec().getNodeName())
                        .withNewTargetRef().withKind("Pod").withNamespace(ns).withName(b.pod().getMetadata().getName())
                        .withUid(b.pod().getMetadata().getUid()).endTargetRef().build();
                (b.ready() ? ready : notReady).add(a);
            }
            if (ready.isEmpty() && notReady.isEmpty()) continue;
            ready.sort(Comparator.comparing(EndpointAddress::getIp));
            notReady.sort(Comparator.comparing(EndpointAddress::getIp));
            List<EndpointPort> ports = group.getKey().stream()
                    .map(p -> new EndpointPort(p.appProtocol(), p.name(), p.port(), p.protocol())).toList();
            subsets.add(new EndpointSubset(ready.isEmpty() ? null : ready, notReady.isEmpty() ? null : notReady, ports));
        }
        Endpoints desired = new EndpointsBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(svc.getMetadata().getLabels()).endMetadata()
                .withSubsets(subsets.isEmpty() ? null : subsets).build();
        if (current == null) {
            try {
                client.endpoints().inNamespace(ns).resource(desired).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;
                throw new KubernetesClientException("endpoints " + key + " exist but are not cached yet", 409, null);
            }
        } else if (!Objects.equals(norm(current.getSubsets()), norm(desired.getSubsets()))
                || !Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            Endpoints next = Copies.deepCopy(current);
            next.setSubsets(desired.getSubsets());
            next.getMetadata().setLabels(desired.getMetadata().getLabels());
            client.endpoints().inNamespace(ns).resource(next).update();
        }
        return SyncResult.done();
    }

    private static List<EndpointSubset> norm(List<EndpointSubset> s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
