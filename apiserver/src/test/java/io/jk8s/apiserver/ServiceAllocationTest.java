package io.jk8s.apiserver;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.apiserver.storage.ServiceNetwork;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.registry.BuiltinRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceAllocationTest {

    static TestServer t;
    static final ServiceNetwork NET = ServiceNetwork.DEFAULT;

    @BeforeAll
    static void start() {
        t = new TestServer(BuiltinRegistry.create());
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static Service create(String name, String type, Integer nodePort) {
        return t.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType(type).addToSelector("app", name)
                .addNewPort().withPort(80).withNodePort(nodePort).endPort()
                .endSpec().build()).create();
    }

    @Test
    void kubernetesServiceHoldsTheFirstAddressOfTheRange() {
        Service k = t.client.services().inNamespace("default").withName("kubernetes").get();
        assertThat(k).isNotNull();
        assertThat(k.getSpec().getClusterIP()).isEqualTo("10.96.0.1");
        assertThat(k.getSpec().getPorts().get(0).getPort()).isEqualTo(443);
    }

    @Test
    void clusterIpServicesGetDistinctAddressesFromTheServiceRange() {
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Service s = create("ip-" + i, "ClusterIP", null);
            assertThat(NET.inServiceRange(s.getSpec().getClusterIP())).as(s.getSpec().getClusterIP()).isTrue();
            assertThat(s.getSpec().getClusterIPs()).containsExactly(s.getSpec().getClusterIP());
            assertThat(s.getSpec().getPorts().get(0).getNodePort()).isNull();
            ips.add(s.getSpec().getClusterIP());
        }
        assertThat(ips).hasSize(20).doesNotContain("10.96.0.1");
    }

    @Test
    void nodePortServicesGetAPortInRangeAndATakenPortIsRefusedNamingTheField() {
        Service a = create("np-a", "NodePort", null);
        int port = a.getSpec().getPorts().get(0).getNodePort();
        assertThat(port).isBetween(30000, 32767);

        assertThatThrownBy(() -> create("np-b", "NodePort", port))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses().get(0).getField()).isEqualTo("spec.ports[0].nodePort");
                    assertThat(e.getStatus().getMessage()).contains("provided port is already allocated");
                });
        assertThat(t.client.services().inNamespace("default").withName("np-b").get()).isNull();

        t.client.services().inNamespace("default").withName("np-a").delete();
        Service b = create("np-b", "NodePort", port);
        assertThat(b.getSpec().getPorts().get(0).getNodePort()).isEqualTo(port);
    }

    @Test
    void outOfRangeRequestsAreInvalid() {
        assertThatThrownBy(() -> create("np-low", "NodePort", 80))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        HttpResponse<String> r = t.raw("POST", "/api/v1/namespaces/default/services", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"far\"},"
                        + "\"spec\":{\"clusterIP\":\"192.168.7.7\",\"ports\":[{\"port\":80}]}}", null);
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("spec.clusterIPs").contains("not in the valid range");
    }

    @Test
    void replaceWithoutAllocatedValuesKeepsThemAndTypeChangesAllocateAndRelease() {
        Service s = create("keep", "NodePort", null);
        String ip = s.getSpec().getClusterIP();
        int nodePort = s.getSpec().getPorts().get(0).getNodePort();

        // As `kubectl replace` of a manifest without clusterIP/nodePort does.
        HttpResponse<String> r = t.raw("PUT", "/api/v1/namespaces/default/services/keep", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"keep\"},"
                        + "\"spec\":{\"type\":\"NodePort\",\"selector\":{\"app\":\"keep\"},\"ports\":[{\"port\":80}]}}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Service after = t.client.services().inNamespace("default").withName("keep").get();
        assertThat(after.getSpec().getClusterIP()).isEqualTo(ip);
        assertThat(after.getSpec().getPorts().get(0).getNodePort()).isEqualTo(nodePort);

        // Back to ClusterIP: the node port is given back and can be taken by another Service.
        t.client.services().inNamespace("default").withName("keep").edit(x -> {
            x.getSpec().setType("ClusterIP");
            x.getSpec().getPorts().get(0).setNodePort(null);
            return x;
        });
        Service other = create("takes-freed-port", "NodePort", nodePort);
        assertThat(other.getSpec().getPorts().get(0).getNodePort()).isEqualTo(nodePort);
    }

    @Test
    void headlessAndExternalNameServicesGetNoAddress() {
        Service headless = t.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("headless").endMetadata()
                .withNewSpec().withClusterIP("None").addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        Service ext = t.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("ext").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("example.test").endSpec().build()).create();
        assertThat(ext.getSpec().getClusterIP()).isNull();
    }

    @Test
    void turningAServiceIntoExternalNameGivesItsClusterIpBackAndTurningItBackAllocatesOne() {
        Service svc = create("becomes-external", "ClusterIP", null);
        String ip = svc.getSpec().getClusterIP();
        Service external = t.client.services().inNamespace("default").withName("becomes-external")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ExternalName").withExternalName("example.test")
                        .withClusterIP(null).withClusterIPs().withSelector(null).endSpec().build());
        assertThat(external.getSpec().getClusterIP()).isNull();

        // The address is free again: another Service may ask for it by name.
        Service taker = t.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("takes-freed-ip").endMetadata()
                .withNewSpec().withClusterIP(ip).addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(taker.getSpec().getClusterIP()).isEqualTo(ip);

        Service back = t.client.services().inNamespace("default").withName("becomes-external")
                .edit(s -> new ServiceBuilder(s).editSpec().withType("ClusterIP").withExternalName(null).endSpec().build());
        assertThat(NET.inServiceRange(back.getSpec().getClusterIP())).as(back.getSpec().getClusterIP()).isTrue();
        assertThat(back.getSpec().getClusterIP()).isNotEqualTo(ip);
        assertThat(back.getSpec().getClusterIPs()).containsExactly(back.getSpec().getClusterIP());
    }

    @Test
    void allocationErrorsNameTheService() {
        Service first = create("port-owner", "NodePort", null);
        int port = first.getSpec().getPorts().get(0).getNodePort();
        assertThatThrownBy(() -> create("port-thief", "NodePort", port))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("port-thief");
                    assertThat(e.getStatus().getMessage()).startsWith("Service \"port-thief\" is invalid: spec.ports[0].nodePort");
                });
        assertThatThrownBy(() -> t.client.services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("ip-thief").endMetadata()
                .withNewSpec().withClusterIP(first.getSpec().getClusterIP()).addNewPort().withPort(80).endPort().endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getName()).isEqualTo("ip-thief");
                });
    }
}
