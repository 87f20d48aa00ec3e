package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole node: the real API server (in-process, loopback), the kubelet loop, and real
 * containerd + runc + CNI. A pod bound to the node runs busybox httpd and answers on its pod IP.
 */
@Tag("containerd")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KubeletOnContainerdTest {

    private ContainerdFixture fixture;
    private MemoryStore store;
    private ApiServer server;
    private KubernetesClient client;
    private Kubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        fixture = ContainerdFixture.start();
        store = new MemoryStore();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create());
        server.start().get(30, TimeUnit.SECONDS);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.port()).withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : new String[]{"default", "kube-node-lease"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        kubelet = new Kubelet(client, fixture.cri, new Kubelet.Config("node-1", "127.0.0.1",
                Optional.of(ContainerdFixture.POD_CIDR), fixture.agentDir, Optional.empty(), "cluster.local"),
                Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        ContainerdFixture.tearDown(fixture, kubelet, client, server, store);
    }

    @Test
    void podBoundToTheNodeRunsAndIsReachableThenDeletionRemovesIt() throws Exception {
        client.pods().inNamespace("default").resource(new PodBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("httpd").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo \"hello from $POD_NAME\" > /tmp/index.html; exec httpd -f -p 8080 -h /tmp")
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .endContainer().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod web = client.pods().inNamespace("default").withName("web").get();
            assertThat(web.getStatus().getPhase()).isEqualTo("Running");
            assertThat(web.getStatus().getPodIP()).startsWith("10.250.77.");
        });
        String ip = client.pods().inNamespace("default").withName("web").get().getStatus().getPodIP();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .isEqualTo("hello from web\n"));

        client.pods().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(client.pods().inNamespace("default").withName("web").get()).isNull();
            assertThat(fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())).isEmpty();
        });
    }

    /**
     * Pod startup as a user sees it: create through the API until the client reads phase Running
     * (image present). Run with {@code -Dtest=KubeletOnContainerdTest -Dkubelet.excludedGroups=none}.
     */
    @Test
    @Tag("bench")
    void measurePodStartupThroughTheApi() throws Exception {
        java.util.List<Long> millis = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String name = "bench-" + i;
            long start = System.nanoTime();
            client.pods().inNamespace("default").resource(new PodBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withNodeName("node-1")
                    .addNewContainer().withName("sleep").withImage("busybox:1.35").withCommand("sleep", "3600").endContainer()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() ->
                    "Running".equals(client.pods().inNamespace("default").withName(name).get().getStatus().getPhase()));
            if (i >= 2) {
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            client.pods().inNamespace("default").withName(name).delete();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()).isEmpty());
        }
        long p50 = millis.stream().sorted().toList().get(millis.size() / 2);
        String report = "API create -> Running (kubelet on containerd) ms: p50=" + p50 + " all=" + millis + "\n";
        System.out.println(report);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "kubelet-pod-startup.txt"), report);
    }
}
