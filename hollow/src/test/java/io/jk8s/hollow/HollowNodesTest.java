package io.jk8s.hollow;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.jk8s.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HollowNodesTest {

    TestServer api;
    HollowNodes nodes;

    @BeforeEach
    void setUp() throws Exception {
        api = TestServer.withBuiltinKinds();
        nodes = new HollowNodes(api.client, HollowConfig.of(3).withHeartbeat(Duration.ofMillis(300)));
        nodes.start().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() {
        if (nodes != null) nodes.close();
        api.close();
    }

    @Test
    void registersReadyNodesWithCapacity() {
        assertThat(api.client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("hollow-0", "hollow-1", "hollow-2");
        Node n = api.client.nodes().withName("hollow-1").get();
        assertThat(n.getStatus().getAllocatable().get("cpu").toString()).isEqualTo("4");
        assertThat(n.getStatus().getAllocatable().get("memory").toString()).isEqualTo("16Gi");
        assertThat(n.getStatus().getAllocatable().get("pods").toString()).isEqualTo("110");
        assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        assertThat(n.getSpec().getPodCIDR()).isEqualTo("10.64.1.0/24");
    }

    @Test
    void renewsLeasesUntilClosed() {
        Lease first = api.client.leases().inNamespace("kube-node-lease").withName("hollow-0").get();
        ZonedDateTime t0 = first.getSpec().getRenewTime();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.client.leases().inNamespace("kube-node-lease").withName("hollow-0").get().getSpec().getRenewTime().isAfter(t0));
        nodes.close();
        String rv = api.client.leases().inNamespace("kube-node-lease").withName("hollow-0").get().getMetadata().getResourceVersion();
        // After close no heartbeat may change the Lease; wait past several periods through a bound condition.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                api.client.leases().inNamespace("kube-node-lease").withName("hollow-0").get().getMetadata().getResourceVersion().equals(rv));
    }

    @Test
    void reportsBoundPodsRunningAndDeletesTerminatingOnes() {
        Pod pod = api.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("hollow-2").addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Pod p = api.client.pods().inNamespace("default").withName("web").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");
            assertThat(p.getStatus().getPodIP()).startsWith("10.64.2.");
            assertThat(p.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
            assertThat(p.getStatus().getContainerStatuses().get(0).getImageID()).isNotEmpty();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        });
        api.client.pods().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> api.client.pods().inNamespace("default").withName("web").get() == null);
        assertThat(pod.getMetadata().getUid()).isNotNull();
    }

    @Test
    void finishesPodsAskedToExit() {
        api.client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("task").addToAnnotations(HollowNodes.EXIT_CODE_ANNOTATION, "1").endMetadata()
                .withNewSpec().withRestartPolicy("Never").withNodeName("hollow-0")
                .addNewContainer().withName("c").withImage("busybox:1.35").endContainer().endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "Failed".equals(api.client.pods().inNamespace("default").withName("task").get().getStatus().getPhase()));
    }

}
