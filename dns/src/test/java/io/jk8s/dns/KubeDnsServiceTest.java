package io.jk8s.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** KubeDnsService against the real in-process API server. */
class KubeDnsServiceTest {

    private TestServer api;

    @BeforeEach
    void start() {
        api = TestServer.withBuiltinKinds().withNamespaces("kube-system");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void publishesSelectorlessServiceAndSliceThatPointAtTheServer() {
        try (KubeDnsService published = new KubeDnsService(api.client, "10.96.0.10", "192.0.2.7", 10053)) {
            published.start();
            Service svc = service();
            assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
            assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
            assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName() + " " + p.getProtocol() + " " + p.getPort()
                    + "->" + p.getTargetPort().getIntVal()).containsExactly("dns UDP 53->10053", "dns-tcp TCP 53->10053");
            EndpointSlice slice = slice();
            assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kube-dns");
            assertThat(slice.getEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.getAddresses()).containsExactly("192.0.2.7");
                assertThat(e.getConditions().getReady()).isTrue();
            });
            assertThat(slice.getPorts()).extracting(p -> p.getName() + " " + p.getProtocol() + " " + p.getPort())
                    .containsExactlyInAnyOrder("dns UDP 10053", "dns-tcp TCP 10053");
        }
        assertThat(slice()).as("a stopped server withdraws its endpoint").isNull();
        assertThat(service()).as("the Service stays, as kube-dns does when CoreDNS restarts").isNotNull();
    }

    @Test
    void restoresDeletedSliceAndMovesItToANewPort() {
        try (KubeDnsService first = new KubeDnsService(api.client, "10.96.0.10", "192.0.2.7", 10053)) {
            first.reconcile();
            api.client.discovery().v1().endpointSlices().inNamespace("kube-system").withName(KubeDnsService.SLICE_NAME).delete();
            first.reconcile();
            assertThat(slice()).isNotNull();
            String version = slice().getMetadata().getResourceVersion();
            first.reconcile();
            assertThat(slice().getMetadata().getResourceVersion()).as("an unchanged slice is not rewritten").isEqualTo(version);
        }
        // Restarted on another port (the preferred one was taken): Service target port and slice follow.
        try (KubeDnsService second = new KubeDnsService(api.client, "10.96.0.10", "192.0.2.7", 40000)) {
            second.reconcile();
            assertThat(service().getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getIntVal()).isEqualTo(40000));
            assertThat(slice().getPorts()).allSatisfy(p -> assertThat(p.getPort()).isEqualTo(40000));
        }
    }

    private Service service() {
        return api.client.services().inNamespace("kube-system").withName("kube-dns").get();
    }

    private EndpointSlice slice() {
        return api.client.discovery().v1().endpointSlices().inNamespace("kube-system").withName(KubeDnsService.SLICE_NAME).get();
    }
}
