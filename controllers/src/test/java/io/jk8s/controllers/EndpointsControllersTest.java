package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EndpointsControllersTest {

    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2)
                .withControllers(TestCluster.config(Set.of("replicaset", "endpoints", "endpointslice")));
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    List<EndpointSlice> slices(String svc) {
        return cluster.client.discovery().v1().endpointSlices().inNamespace("default")
                .withLabel("kubernetes.io/service-name", svc).list().getItems();
    }

    @Test
    void publishesReadyPodsWithNamedTargetPortsResolved() {
        ReplicaSet rs = ReplicaSetControllerTest.replicaSet("web", 3);
        rs = new ReplicaSetBuilder(rs).editSpec().editTemplate().editSpec().editFirstContainer()
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().endTemplate().endSpec().build();
        cluster.client.apps().replicaSets().inNamespace("default").resource(rs).create();
        cluster.client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addToSelector("app", "web")
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<EndpointSlice> s = slices("web");
            assertThat(s).hasSize(1);
            EndpointSlice slice = s.get(0);
            assertThat(slice.getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
            assertThat(slice.getAddressType()).isEqualTo("IPv4");
            assertThat(slice.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(8080);
                assertThat(p.getName()).isEqualTo("http");
            });
            assertThat(slice.getEndpoints()).hasSize(3).allSatisfy(e -> {
                assertThat(e.getConditions().getReady()).isTrue();
                assertThat(e.getTargetRef().getKind()).isEqualTo("Pod");
                assertThat(e.getNodeName()).startsWith("hollow-");
            });
            Endpoints ep = cluster.client.endpoints().inNamespace("default").withName("web").get();
            assertThat(ep.getSubsets()).singleElement().satisfies(sub -> {
                assertThat(sub.getAddresses()).hasSize(3);
                assertThat(sub.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
            });
        });
        // Settled: the controllers do not keep rewriting unchanged objects.
        String rv = slices("web").get(0).getMetadata().getResourceVersion();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() ->
                slices("web").get(0).getMetadata().getResourceVersion().equals(rv));

        cluster.client.apps().replicaSets().inNamespace("default").withName("web").scale(1);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(slices("web").get(0).getEndpoints().stream().filter(e -> !Boolean.TRUE.equals(e.getConditions().getTerminating())))
                    .hasSize(1);
            assertThat(cluster.client.endpoints().inNamespace("default").withName("web").get().getSubsets().get(0).getAddresses()).hasSize(1);
        });
    }
}
