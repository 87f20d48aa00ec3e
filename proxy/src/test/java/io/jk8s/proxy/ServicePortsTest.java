package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which endpoints of a slice the proxy sends traffic to (upstream kube-proxy's ready / serving-terminating rules). */
class ServicePortsTest {

    private static Endpoint endpoint(String ip, boolean ready, boolean serving, boolean terminating) {
        return new EndpointBuilder().withAddresses(ip).withNodeName("n1")
                .withNewConditions().withReady(ready).withServing(serving).withTerminating(terminating).endConditions().build();
    }

    private static List<String> endpointIps(Endpoint... endpoints) {
        List<ServicePortInfo> ports = ServicePorts.resolve(List.of(Fixtures.service("web", "10.96.0.20").build()),
                List.of(Fixtures.slice("web-1", "web", 8080, List.of(endpoints))));
        return ports.getFirst().endpoints().stream().map(ServicePortInfo.EndpointInfo::ip).toList();
    }

    @Test
    void onlyReadyEndpointsWhileThereAreAny() {
        assertThat(endpointIps(endpoint("10.244.0.2", true, true, false), endpoint("10.244.0.3", false, true, true),
                endpoint("10.244.0.4", false, false, false))).containsExactly("10.244.0.2");
    }

    @Test
    void servingTerminatingEndpointsWhenNoneIsReady() {
        assertThat(endpointIps(endpoint("10.244.0.3", false, true, true), endpoint("10.244.0.4", false, false, true),
                endpoint("10.244.0.5", false, false, false))).containsExactly("10.244.0.3");
    }

    @Test
    void localEndpointsFallBackPerNodeToServingTerminatingOnes() {
        Endpoint readyOnN2 = new EndpointBuilder().withAddresses("10.244.2.2").withNodeName("n2")
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions().build();
        ServicePortInfo sp = ServicePorts.resolve(List.of(Fixtures.service("web", "10.96.0.20").build()),
                List.of(Fixtures.slice("web-1", "web", 8080, List.of(readyOnN2, endpoint("10.244.1.3", false, true, true),
                        endpoint("10.244.1.4", false, false, true))))).getFirst();
        assertThat(sp.endpoints()).extracting(ServicePortInfo.EndpointInfo::ip).containsExactly("10.244.2.2");
        assertThat(sp.localEndpoints("n1")).extracting(ServicePortInfo.EndpointInfo::ip).containsExactly("10.244.1.3");
        assertThat(sp.localEndpoints("n2")).extracting(ServicePortInfo.EndpointInfo::ip).containsExactly("10.244.2.2");
        assertThat(sp.localEndpoints("n3")).isEmpty();
        assertThat(sp.endpointsUsedOn("n1")).extracting(ServicePortInfo.EndpointInfo::ip).containsExactly("10.244.1.3", "10.244.2.2");
    }

    @Test
    void unsetConditionsMeanReady() {
        assertThat(endpointIps(new EndpointBuilder().withAddresses("10.244.0.6").build())).containsExactly("10.244.0.6");
    }
}
