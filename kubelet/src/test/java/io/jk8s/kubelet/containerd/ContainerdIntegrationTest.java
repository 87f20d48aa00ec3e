package io.jk8s.kubelet.containerd;

import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.*;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.jk8s.kubelet.image.ImageBuilder;
import io.jk8s.kubelet.pod.Backoff;
import io.jk8s.kubelet.pod.ImageManager;
import io.jk8s.kubelet.pod.PodStatusBuilder;
import io.jk8s.kubelet.pod.PodSyncer;
import io.jk8s.kubelet.pod.Prober;
import io.jk8s.kubelet.pod.RuntimeConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The CRI client, containerd supervision, locally built images and the CNI config, against a
 * real containerd + runc + CNI bridge: a busybox httpd pod that the host reaches on its pod IP.
 */
@Tag("containerd")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerdIntegrationTest {

    private static ContainerdFixture fixture;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startContainerd() throws Exception {
        fixture = ContainerdFixture.start();
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        ContainerdFixture.tearDown(fixture);
    }

    @Test
    @Order(1)
    void reportsVersionAndReadyConditions() {
        VersionResponse version = fixture.cri.version();
        assertThat(version.getRuntimeName()).isEqualTo("containerd");
        assertThat(version.getRuntimeApiVersion()).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(fixture.cri.status().getConditionsList())
                        .filteredOn(RuntimeCondition::getStatus)
                        .extracting(RuntimeCondition::getType)
                        .contains("RuntimeReady", "NetworkReady"));
    }

    @Test
    @Order(2)
    void importedImagesAreVisibleThroughCri() {
        Image busybox = fixture.cri.imageStatus(ImageBuilder.BUSYBOX);
        assertThat(busybox.getId()).startsWith("sha256:");
        assertThat(busybox.getRepoTagsList()).contains(ImageBuilder.BUSYBOX);
        assertThat(fixture.cri.imageStatus(ImageBuilder.PAUSE).getId()).startsWith("sha256:");
        assertThat(fixture.cri.imageStatus("docker.io/library/absent:1").getId()).isEmpty();
    }

    @Test
    @Order(3)
    void runsBusyboxHttpdPodReachableFromTheHost() throws Exception {
        Pod pod = Pod.create("web", fixture.agentDir);
        String sandboxId = fixture.cri.runPodSandbox(pod.config(), "");
        PodSandboxStatus sandbox = fixture.cri.podSandboxStatus(sandboxId);
        assertThat(sandbox.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
        String ip = sandbox.getNetwork().getIp();
        assertThat(ip).startsWith("10.250.77.");

        String containerId = fixture.cri.createContainer(sandboxId, httpdContainer(pod.name()), pod.config());
        fixture.cri.startContainer(containerId);
        assertThat(fixture.cri.containerStatus(containerId).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);

        URI uri = URI.create("http://" + ip + ":8080/index.html");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from " + pod.name() + "\n");
        });

        ExecSyncResponse exec = fixture.cri.execSync(containerId, List.of("echo", "hi"), Duration.ofSeconds(10));
        assertThat(exec.getExitCode()).isZero();
        assertThat(exec.getStdout().toStringUtf8()).isEqualTo("hi\n");
        ExecSyncResponse failing = fixture.cri.execSync(containerId, List.of("sh", "-c", "echo oops >&2; exit 3"),
                Duration.ofSeconds(10));
        assertThat(failing.getExitCode()).isEqualTo(3);
        assertThat(failing.getStderr().toStringUtf8()).isEqualTo("oops\n");
        // The pod's lo is up (containerd's own loopback network; the jk8s conflist has no loopback plugin).
        ExecSyncResponse local = fixture.cri.execSync(containerId, List.of("wget", "-q", "-O", "-", "http://127.0.0.1:8080/index.html"),
                Duration.ofSeconds(10));
        assertThat(local.getStdout().toStringUtf8()).as(local.getStderr().toStringUtf8()).isEqualTo("hello from " + pod.name() + "\n");

        // CRI log format: "<RFC3339Nano> <stream> <F|P> <line>"
        Path logFile = pod.logDirectory().resolve("httpd/0.log");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(logFile, StandardCharsets.UTF_8)).contains(" stdout F serving " + pod.name()));

        fixture.cri.stopContainer(containerId, Duration.ofSeconds(2));
        ContainerStatus stopped = fixture.cri.containerStatus(containerId);
        assertThat(stopped.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
        fixture.cri.removeContainer(containerId);
        assertThatThrownBy(() -> fixture.cri.containerStatus(containerId))
                .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());

        fixture.cri.stopPodSandbox(sandboxId);
        fixture.cri.removePodSandbox(sandboxId);
        fixture.cri.removePodSandbox(sandboxId); // idempotent, as CRI requires
        assertThat(fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())).isEmpty();
    }

    @Test
    @Order(4)
    void restartsContainerdThatDiedWithoutKillingItsContainers() throws Exception {
        Pod pod = Pod.create("survivor", fixture.agentDir);
        String sandboxId = fixture.cri.runPodSandbox(pod.config(), "");
        String containerId = fixture.cri.createContainer(sandboxId, httpdContainer(pod.name()), pod.config());
        fixture.cri.startContainer(containerId);
        long firstPid = fixture.supervisor.pid().orElseThrow();

        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(fixture.supervisor.pid()).isPresent().get().isNotEqualTo(firstPid);
            assertThat(fixture.cri.containerStatus(containerId).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
        });
        assertThat(fixture.supervisor.restarts()).isEqualTo(1);
        String ip = fixture.cri.podSandboxStatus(sandboxId).getNetwork().getIp();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hello from survivor\n");
        fixture.removeAllPods();
    }

    @Test
    @Order(5)
    void podSyncerRunsInitThenAppContainersOnRealContainerd() throws Exception {
        Backoff backoff = Backoff.containerRestarts(Clock.systemUTC());
        RuntimeConfigs configs = new RuntimeConfigs(new RuntimeConfigs.Settings(fixture.agentDir.resolve("logs/pods"),
                fixture.agentDir.resolve("pods"), Optional.empty(), "cluster.local", "node-1"));
        PodSyncer syncer = new PodSyncer(fixture.cri, configs, new ImageManager(fixture.cri, backoff), backoff,
                new PodStatusBuilder(Clock.systemUTC()), new Prober(fixture.cri, Clock.systemUTC()), "127.0.0.1");
        io.fabric8.kubernetes.api.model.Pod pod = new PodBuilder()
                .withNewMetadata().withName("synced").withNamespace("default").withUid(UUID.randomUUID().toString()).endMetadata()
                .withNewSpec()
                .addNewVolume().withName("www").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewInitContainer().withName("content").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo \"made by init\" > /www/index.html")
                .addNewVolumeMount().withName("www").withMountPath("/www").endVolumeMount().endInitContainer()
                .addNewContainer().withName("web").withImage("busybox:1.35")
                .withCommand("httpd", "-f", "-p", "8080", "-h", "/www")
                .addNewVolumeMount().withName("www").withMountPath("/www").endVolumeMount().endContainer()
                .endSpec().build();

        io.fabric8.kubernetes.api.model.Pod[] current = {pod};
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PodSyncer.Result result = syncer.sync(current[0]);
            current[0] = new PodBuilder(current[0]).withStatus(result.status()).build();
            assertThat(result.status().getPhase()).isEqualTo("Running");
        });
        String ip = current[0].getStatus().getPodIP();
        assertThat(ip).startsWith("10.250.77.");
        assertThat(current[0].getStatus().getInitContainerStatuses().getFirst().getState().getTerminated().getExitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body())
                        .isEqualTo("made by init\n"));

        io.fabric8.kubernetes.api.model.Pod deleting = new PodBuilder(current[0]).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").withDeletionGracePeriodSeconds(1L).endMetadata().build();
        assertThat(syncer.sync(deleting).status().getContainerStatuses().getFirst().getState().getTerminated()).isNotNull();
        syncer.cleanup(pod.getMetadata().getUid());
        assertThat(fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())).isEmpty();
    }

    @Test
    @Order(6)
    void aNewSupervisorAdoptsTheRunningContainerdAndCanLeaveItRunning() throws Exception {
        long running = fixture.supervisor.pid().orElseThrow();
        ContainerdSupervisor second = new ContainerdSupervisor(fixture.supervisor.config(),
                ContainerdSupervisor.Options.defaults().withStopOnClose(false));
        second.start().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second.pid()).contains(running);
        second.close();
        assertThat(ProcessHandle.of(running)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(fixture.cri.version().getRuntimeName()).isEqualTo("containerd");
    }

    private static ContainerConfig httpdContainer(String podName) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName("httpd"))
                .setImage(ImageSpec.newBuilder().setImage(ImageBuilder.BUSYBOX))
                .addAllCommand(List.of("sh", "-c",
                        "echo \"hello from $POD_NAME\" > /tmp/index.html; echo \"serving $POD_NAME\"; "
                                + "exec httpd -f -p 8080 -h /tmp"))
                .addEnvs(KeyValue.newBuilder().setKey("POD_NAME").setValue(podName))
                .setLogPath("httpd/0.log")
                .build();
    }

    /** A pod's sandbox configuration as the kubelet would make it. */
    record Pod(String name, String uid, Path logDirectory, PodSandboxConfig config) {
        static Pod create(String name, Path agentDir) throws Exception {
            String uid = UUID.randomUUID().toString();
            Path logs = agentDir.resolve("pods").resolve("default_" + name + "_" + uid);
            Files.createDirectories(logs);
            PodSandboxConfig config = PodSandboxConfig.newBuilder()
                    .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid(uid))
                    .setHostname(name)
                    .setLogDirectory(logs.toString())
                    .putLabels("io.kubernetes.pod.name", name)
                    .putLabels("io.kubernetes.pod.namespace", "default")
                    .putLabels("io.kubernetes.pod.uid", uid)
                    .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
                            LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(
                                    NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
                    .build();
            return new Pod(name, uid, logs, config);
        }
    }
}
