package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jk8s.apiserver.testing.TestServer;
import io.jk8s.kubelet.Kubelet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kubelet loop against the real jk8s API server (loopback, ephemeral port), on a fake runtime. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KubeletOverApiServerTest {

    private static final String IMAGE = "docker.io/library/busybox:1.35";

    @TempDir
    Path dir;

    private TestServer api;
    private KubernetesClient client;
    private Kubelet kubelet;
    private final FakeRuntime cri = new FakeRuntime();

    @BeforeEach
    void start() throws Exception {
        api = TestServer.withBuiltinKinds().withNamespaces("default", "kube-node-lease");
        client = api.client;
        cri.images.add(IMAGE);
        kubelet = new Kubelet(client, cri, new Kubelet.Config("node-1", "192.168.1.5", Optional.of("10.244.0.0/24"),
                dir, Optional.of("10.96.0.10"), "cluster.local"), Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private Pod get(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void registersReadyNodeAndRenewsItsLease() {
        Node node = client.nodes().withName("node-1").get();
        assertThat(node).isNotNull();
        assertThat(node.getSpec().getPodCIDR()).isEqualTo("10.244.0.0/24");
        assertThat(node.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
                .extracting(NodeCondition::getStatus).containsExactly("True");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).isEqualTo("fake://1.0");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var lease = client.leases().inNamespace("kube-node-lease").withName("node-1").get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("node-1");
            assertThat(lease.getSpec().getRenewTime()).isNotNull();
        });
    }

    @Test
    void runsBoundPodsReportsStatusRestartsAndCleansUpAfterDeletion() {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build()).create();
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("elsewhere").endMetadata()
                .withNewSpec().withNodeName("node-2")
                .addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod web = get("web");
            assertThat(web.getStatus().getPhase()).isEqualTo("Running");
            assertThat(web.getStatus().getPodIP()).startsWith("10.244.0.");
            assertThat(web.getStatus().getHostIP()).isEqualTo("192.168.1.5");
            assertThat(web.getStatus().getContainerStatuses()).singleElement()
                    .satisfies(s -> assertThat(s.getState().getRunning()).isNotNull());
        });
        assertThat(cri.running()).hasSize(1); // not the pod bound to node-2

        cri.exit("app", 1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get("web").getStatus().getContainerStatuses().getFirst().getRestartCount()).isEqualTo(1));

        client.pods().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(get("web")).isNull();
            assertThat(cri.listPodSandbox(io.jk8s.kubelet.cri.v1.PodSandboxFilter.getDefaultInstance())).isEmpty();
        });
    }

    @Test
    void aRestartedKubeletAdoptsRunningPodsWithoutRestartingThem() throws Exception {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("steady").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "Running".equals(get("steady").getStatus().getPhase()));
        String containerId = get("steady").getStatus().getContainerStatuses().getFirst().getContainerID();

        kubelet.close();
        kubelet = new Kubelet(client, cri, new Kubelet.Config("node-1", "192.168.1.5", Optional.of("10.244.0.0/24"),
                dir, Optional.of("10.96.0.10"), "cluster.local"), Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);

        // The new kubelet syncs the pod at once (informer add); for 2 s nothing may be restarted.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(cri.running()).hasSize(1);
            assertThat(get("steady").getStatus().getContainerStatuses().getFirst().getContainerID()).isEqualTo(containerId);
            assertThat(get("steady").getStatus().getContainerStatuses().getFirst().getRestartCount()).isZero();
        });
        assertThat(cri.calls).filteredOn(c -> c.startsWith("CreateContainer")).hasSize(1);
    }
}
