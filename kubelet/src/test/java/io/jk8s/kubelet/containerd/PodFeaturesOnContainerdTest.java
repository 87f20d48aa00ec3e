package io.jk8s.kubelet.containerd;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.kubelet.Kubelet;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pod features on the real node (API server in-process, kubelet loop, real containerd + runc):
 * volumes from ConfigMaps/Secrets/downward API/projected/PVC, memory-backed dirs, env sources,
 * content updates reaching a running pod, FailedMount for a missing ConfigMap, OOMKilled.
 */
@Tag("containerd")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PodFeaturesOnContainerdTest {

    private static final String NS = "default";

    private ContainerdFixture fixture;
    private MemoryStore store;
    private ApiServer server;
    private KubernetesClient client;
    private Kubelet kubelet;

    @BeforeAll
    void start() throws Exception {
        fixture = ContainerdFixture.start();
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

    @AfterEach
    void deletePods() {
        client.pods().inNamespace(NS).delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().inNamespace(NS).list().getItems().isEmpty()
                && fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance()).isEmpty());
        // The kubelet removed each pod's volume directory, unmounting the tmpfs ones.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(fixture.leftoverMounts()).isEmpty());
    }

    @AfterAll
    void stop() throws Exception {
        ContainerdFixture.tearDown(fixture, kubelet, client, server, store);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private Pod awaitRunning(String name) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(client.pods().inNamespace(NS).withName(name).get().getStatus().getPhase()).isEqualTo("Running"));
        return client.pods().inNamespace(NS).withName(name).get();
    }


    @Test
    void volumesAndEnvironmentFromObjectsFieldsAndResources() throws Exception {
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("greeting", "hello").addToData("COLOR", "blue").build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("env").endMetadata()
                .addToData("OK", "yes").addToData("1st", "x").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToData("password", b64("hunter2")).build()).create();
        Path pvDir = Files.createDirectories(fixture.dataDir.resolve("pv-data"));
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv1").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath(pvDir.toString()).endHostPath()
                .withNewClaimRef().withNamespace(NS).withName("data").endClaimRef().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withVolumeName("pv1").withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources()
                .endSpec().build()).create();
        // No binder controller in this test: mark the claim bound as it would.
        client.persistentVolumeClaims().inNamespace(NS).withName("data").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Bound\"}}");

        client.pods().inNamespace(NS).resource(new PodBuilder()
                .withNewMetadata().withName("features").addToLabels("app", "demo").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("main").withImage("busybox:1.35")
                .withCommand("sh", "-c", "echo \"$(GREETING) from $(POD_NAME)\" > /tmp/expanded; exec sleep 3600")
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources()
                .addNewEnvFrom().withNewConfigMapRef().withName("env").endConfigMapRef().endEnvFrom()
                .addNewEnvFrom().withPrefix("CFG_").withNewConfigMapRef().withName("cfg").endConfigMapRef().endEnvFrom()
                .addNewEnv().withName("GREETING").withNewValueFrom().withNewConfigMapKeyRef().withName("cfg")
                .withKey("greeting").endConfigMapKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("PASSWORD").withNewValueFrom().withNewSecretKeyRef().withName("creds")
                .withKey("password").endSecretKeyRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("POD_IP").withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
                .endFieldRef().endValueFrom().endEnv()
                .addNewEnv().withName("MEM_MI").withNewValueFrom().withNewResourceFieldRef().withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endValueFrom().endEnv()
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").endVolumeMount()
                .addNewVolumeMount().withName("creds").withMountPath("/etc/creds").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("info").withMountPath("/etc/info").endVolumeMount()
                .addNewVolumeMount().withName("all").withMountPath("/etc/all").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
                .addNewVolume().withName("creds").withNewSecret().withSecretName("creds").withDefaultMode(0400).endSecret().endVolume()
                .addNewVolume().withName("info").withNewDownwardAPI().addNewItem().withPath("labels").withNewFieldRef()
                .withFieldPath("metadata.labels").endFieldRef().endItem().endDownwardAPI().endVolume()
                .addNewVolume().withName("all").withNewProjected()
                .addNewSource().withNewSecret().withName("creds").addNewItem().withKey("password").withPath("pw").endItem().endSecret().endSource()
                .endProjected().endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity("8Mi")).endEmptyDir().endVolume()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim().endVolume()
                .endSpec().build()).create();

        Pod pod = awaitRunning("features");
        String ip = pod.getStatus().getPodIP();
        assertThat(fixture.exec(pod, "cat /tmp/expanded")).isEqualTo("hello from features\n");
        assertThat(fixture.exec(pod, "echo $GREETING $PASSWORD $POD_IP $MEM_MI $CFG_COLOR $CFG_greeting $OK"))
                .isEqualTo("hello hunter2 " + ip + " 64 blue hello yes\n");
        assertThat(fixture.exec(pod, "env | grep -c ^1st= || true")).isEqualTo("0\n");
        assertThat(fixture.exec(pod, "cat /etc/cfg/greeting; readlink /etc/cfg/..data | cut -c1-2")).isEqualTo("hello..\n");
        assertThat(fixture.exec(pod, "cat /etc/creds/password; stat -L -c %a /etc/creds/password")).isEqualTo("hunter2400\n");
        assertThat(fixture.exec(pod, "cat /etc/info/labels")).isEqualTo("app=\"demo\"");
        assertThat(fixture.exec(pod, "cat /etc/all/pw; ls /etc/all")).isEqualTo("hunter2pw\n");
        // Secrets, projected volumes and Memory emptyDirs are tmpfs; configMaps are not.
        String mounts = fixture.exec(pod, "grep -E ' /etc/(creds|all|cfg)| /scratch' /proc/mounts | cut -d' ' -f2,3");
        assertThat(mounts.lines().toList()).containsExactlyInAnyOrder("/etc/cfg ext4".replace("ext4", fsTypeOf(fixture.dataDir)),
                "/etc/creds tmpfs", "/etc/all tmpfs", "/scratch tmpfs");
        assertThat(fixture.exec(pod, "dd if=/dev/zero of=/scratch/big bs=1M count=16 2>/dev/null; echo $?")).isNotEqualTo("0\n");
        fixture.exec(pod, "echo written > /data/out");
        assertThat(Files.readString(pvDir.resolve("out"))).isEqualTo("written\n");
        assertThat(events("features")).anySatisfy(e -> assertThat(e.getReason() + ": " + e.getMessage())
                .isEqualTo("InvalidEnvironmentVariableNames: Keys [1st] from the EnvFrom configMap default/env"
                        + " were skipped since they are considered invalid environment variable names."));

        // A changed ConfigMap reaches the running container (..data swap) within the resync period.
        client.configMaps().inNamespace(NS).withName("cfg").edit(cm -> new ConfigMapBuilder(cm).addToData("greeting", "bonjour").build());
        await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(fixture.exec(pod, "cat /etc/cfg/greeting")).isEqualTo("bonjour"));
    }

    private static String fsTypeOf(Path dir) throws Exception {
        return Files.getFileStore(dir).type();
    }

    private List<Event> events(String pod) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName())).toList();
    }

    @Test
    void missingConfigMapKeepsPodContainerCreatingWithFailedMountUntilItExists() {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("waits").endMetadata()
                .withNewSpec().withNodeName("node-1")
                .addNewContainer().withName("main").withImage("busybox:1.35").withCommand("sleep", "3600")
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").endVolumeMount().endContainer()
                .addNewVolume().withName("cfg").withNewConfigMap().withName("later").endConfigMap().endVolume()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("waits").get();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(pod.getStatus().getContainerStatuses()).singleElement()
                    .satisfies(s -> assertThat(s.getState().getWaiting().getReason()).isEqualTo("ContainerCreating"));
            assertThat(events("waits")).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedMount");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo("MountVolume.SetUp failed for volume \"cfg\" : configmap \"later\" not found");
            });
        });
        assertThat(fixture.cri.listPodSandbox(PodSandboxFilter.getDefaultInstance())).as("no sandbox before volumes").isEmpty();

        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("later").endMetadata()
                .addToData("k", "v").build()).create();
        assertThat(fixture.exec(awaitRunning("waits"), "cat /etc/cfg/k")).isEqualTo("v");
    }

    @Test
    void containerAllocatingBeyondItsMemoryLimitIsOomKilled() {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("hog").endMetadata()
                .withNewSpec().withNodeName("node-1").withRestartPolicy("Never")
                .addNewContainer().withName("hog").withImage("busybox:1.35")
                // dd's block buffer is one allocation, filled from /dev/zero: 64 MiB against a 16 MiB limit.
                .withCommand("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1")
                .withNewResources().addToLimits("memory", new Quantity("16Mi")).addToLimits("cpu", new Quantity("100m"))
                .endResources().endContainer()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod pod = client.pods().inNamespace(NS).withName("hog").get();
            assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
            ContainerStatus status = pod.getStatus().getContainerStatuses().getFirst();
            assertThat(status.getState().getTerminated().getReason()).isEqualTo("OOMKilled");
            assertThat(status.getState().getTerminated().getExitCode()).isEqualTo(137);
            assertThat(pod.getStatus().getQosClass()).isEqualTo("Guaranteed");
        });
    }
}
