package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

import java.util.List;

/** Small builders for Services and EndpointSlices shared by the proxy's tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** A ClusterIP Service with one TCP port named {@code http}, port 80 → target 8080. */
    static ServiceBuilder service(String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp)
                .withPorts(new ServicePortBuilder().withName("http").withProtocol("TCP").withPort(80)
                        .withTargetPort(new IntOrString(8080)).build())
                .endSpec();
    }

    static Service nodePortService(String name, String clusterIp, int nodePort, String externalTrafficPolicy) {
        return new ServiceBuilder(service(name, clusterIp).build()).editSpec().withType("NodePort")
                .withExternalTrafficPolicy(externalTrafficPolicy)
                .editFirstPort().withNodePort(nodePort).endPort().endSpec().build();
    }

    static Endpoint endpoint(String ip, String node, Boolean ready) {
        return new EndpointBuilder().withAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).endConditions().build();
    }

    /** A slice for {@code service} with one port named {@code http} carrying {@code port}. */
    static EndpointSlice slice(String name, String service, int port, List<Endpoint> endpoints) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
                .addToLabels(ServicePorts.SERVICE_NAME_LABEL, service).endMetadata()
                .withAddressType("IPv4").withEndpoints(endpoints)
                .addNewPort().withName("http").withProtocol("TCP").withPort(port).endPort().build();
    }
}
