package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.kubelet.Kubelet;
import io.jk8s.kubelet.image.BuiltImage;
import io.jk8s.kubelet.image.ImageImporter;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Images on the real node: pulls from a registry on loopback (Debian's docker-registry, plain
 * HTTP), ErrImagePull then ImagePullBackOff for a missing image, pull policies, and archives
 * imported with {@link ImageImporter#importArchive} (what {@code jk8s image import} runs).
 */
@Tag("containerd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ImagesOnContainerdTest {

    private static final String NS = "default";

    private ContainerdFixture fixture;
    private MemoryStore store;
    private ApiServer server;
    private KubernetesClient client;
    private Kubelet kubelet;
    private Process registry;
    private String registryHost;

    @BeforeAll
    void start() throws Exception {
        ContainerdFixture.assumeRootWithContainerd();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/docker-registry"))).as("needs docker-registry (scripts/install-deps)").isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/skopeo"))).as("needs skopeo (scripts/install-deps)").isTrue();
        fixture = ContainerdFixture.start();
        registry = startRegistry(fixture.dataDir.resolve("registry"));

        // Push the node's own busybox to the registry, as a user would push an image they built.
        BuiltImage busybox = fixture.runtime.images().stream().filter(i -> i.name().contains("busybox")).findFirst().orElseThrow();
        run("skopeo", "copy", "--dest-tls-verify=false", "oci-archive:" + busybox.archive(),
                "docker://" + registryHost + "/jk8s/tools:1.0");

        store = new MemoryStore();
        server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create());
        server.start().get(30, TimeUnit.SECONDS);
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.port()).withRequestRetryBackoffLimit(0).build()).build();
        for (String ns : new String[]{NS, "kube-node-lease"}) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
        kubelet = new Kubelet(client, fixture.cri, new Kubelet.Config("node-1", "127.0.0.1",
                Optional.of(ContainerdFixture.POD_CIDR), fixture.agentDir, Optional.empty(), "cluster.local"),
                Clock.systemUTC());
        kubelet.start().get(30, TimeUnit.SECONDS);
    }

    private Process startRegistry(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        registryHost = "127.0.0.1:" + port;
        Files.createDirectories(dir);
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                """.formatted(dir.resolve("data"), registryHost));
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create("http://" + registryHost + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        return p;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    @AfterEach
    void deletePods() {
        client.pods().inNamespace(NS).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()).isEmpty());
    }

    @AfterAll
    void stop() throws Exception {
        AutoCloseable registryProcess = registry == null ? null : () -> {
            registry.destroy();
            registry.waitFor(10, TimeUnit.SECONDS);
        };
        ContainerdFixture.tearDown(fixture, kubelet, client, server, store, registryProcess);
    }

    private void createPod(String name, String image, String pullPolicy) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("main").withImage(image)
                .withImagePullPolicy(pullPolicy).withCommand("sleep", "3600").endContainer().endSpec().build()).create();
    }

    private Optional<ContainerStateWaiting> waiting(String pod) {
        Pod p = client.pods().inNamespace(NS).withName(pod).get();
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null || p.getStatus().getContainerStatuses().isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getStatus().getContainerStatuses().getFirst().getState().getWaiting());
    }

    private void awaitRunning(String name) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(client.pods().inNamespace(NS).withName(name).get().getStatus().getPhase()).isEqualTo("Running"));
    }

    @Test
    void podRunsAnImagePulledFromALoopbackRegistryOverPlainHttp() {
        createPod("pulled", registryHost + "/jk8s/tools:1.0", "Always");
        awaitRunning("pulled");
        assertThat(fixture.cri.imageStatus(registryHost + "/jk8s/tools:1.0").getId()).isNotEmpty();
    }

    @Test
    void missingImageIsErrImagePullThenImagePullBackOff() {
        String image = registryHost + "/jk8s/nope:1.0";
        createPod("missing", image, "IfNotPresent");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(waiting("missing")).hasValueSatisfying(w -> {
                assertThat(w.getReason()).isEqualTo("ImagePullBackOff");
                assertThat(w.getMessage()).isEqualTo("Back-off pulling image \"" + image + "\"");
            });
            List<String> events = client.v1().events().inNamespace(NS).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject().getName().equals("missing"))
                    .map(e -> e.getReason() + ": " + e.getMessage()).toList();
            assertThat(events).contains("Failed: Error: ErrImagePull", "Failed: Error: ImagePullBackOff",
                    "BackOff: Back-off pulling image \"" + image + "\"");
            assertThat(events).anySatisfy(e -> assertThat(e).startsWith("Failed: Failed to pull image \"" + image + "\": ")
                    .contains("not found"));
        });
    }

    @Test
    void pullPolicyNeverUsesOnlyLocalImagesAndImportedArchivesQualify() throws Exception {
        createPod("never", "example.com/imported:1", "Never");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(waiting("never")).hasValueSatisfying(w -> {
            assertThat(w.getReason()).isEqualTo("ErrImageNeverPull");
            assertThat(w.getMessage()).isEqualTo("Container image \"example.com/imported:1\" is not present with pull policy of Never");
        }));

        // What `jk8s image import` does: a docker archive into the node's containerd.
        Path archive = fixture.dataDir.resolve("imported.tar");
        run("skopeo", "copy", "--src-tls-verify=false", "docker://" + registryHost + "/jk8s/tools:1.0",
                "docker-archive:" + archive + ":example.com/imported:1");
        List<String> names = ImageImporter.importArchive(Path.of("/usr/bin/ctr"), fixture.supervisor.config().socket(), archive);
        assertThat(names).containsExactly("example.com/imported:1");
        awaitRunning("never");
    }
}
