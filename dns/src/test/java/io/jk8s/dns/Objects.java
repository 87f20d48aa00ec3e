package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Builders for the API objects the tests feed to the index or create through the API server. */
final class Objects {

    private Objects() {
    }

    static Service clusterIpService(String ns, String name, String ip) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(ip)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .endSpec().build();
    }

    static Service headlessService(String ns, String name) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP("None")
                .addNewPort().withName("web").withProtocol("TCP").withPort(8080).endPort()
                .endSpec().build();
    }

    static Service externalName(String ns, String name, String target) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName(target).endSpec().build();
    }

    /** A slice for {@code service} with one endpoint per address; a hostname is given to the first only. */
    static EndpointSlice slice(String ns, String name, String service, String firstHostname, boolean ready, String... ips) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .addToLabels(RecordIndex.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType(ips.length > 0 && ips[0].contains(":") ? "IPv6" : "IPv4")
                .addNewPort().withName("web").withProtocol("TCP").withPort(8080).endPort();
        for (int i = 0; i < ips.length; i++) {
            EndpointBuilder e = new EndpointBuilder().withAddresses(ips[i]).withNewConditions().withReady(ready).endConditions()
                    .withNodeName("node-1")
                    .withNewTargetRef().withKind("Pod").withNamespace(ns).withName(service + "-" + i).endTargetRef();
            if (i == 0 && firstHostname != null) e.withHostname(firstHostname);
            b.addToEndpoints(e.build());
        }
        return b.build();
    }
}
