package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeManagerTest {

    @TempDir
    Path dir;

    private final Map<String, ConfigMap> configMaps = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    private final Map<String, PersistentVolume> pvs = new HashMap<>();
    private final List<String> tmpfs = new ArrayList<>();

    private final PodObjects objects = new PodObjects() {
        public Optional<ConfigMap> configMap(String ns, String name) {
            return Optional.ofNullable(configMaps.get(ns + "/" + name));
        }

        public Optional<Secret> secret(String ns, String name) {
            return Optional.ofNullable(secrets.get(ns + "/" + name));
        }

        public Optional<PersistentVolumeClaim> claim(String ns, String name) {
            return Optional.ofNullable(claims.get(ns + "/" + name));
        }

        public Optional<PersistentVolume> persistentVolume(String name) {
            return Optional.ofNullable(pvs.get(name));
        }

        public TokenRequest requestToken(String ns, String sa, TokenRequest request) {
            tokenRequests.add(request);
            var ref = request.getSpec().getBoundObjectRef();
            return new TokenRequestBuilder(request).withNewStatus()
                    .withToken("token-" + tokenRequests.size() + "-for-" + ns + "/" + sa + "-bound-to-" + ref.getKind() + "/" + ref.getName())
                    .withExpirationTimestamp(clock.instant().plusSeconds(request.getSpec().getExpirationSeconds()).toString())
                    .endStatus().build();
        }
    };
    private final List<TokenRequest> tokenRequests = new ArrayList<>();
    private final SettableClock clock = new SettableClock();

    /** A clock the refresh test moves by hand. */
    private static final class SettableClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    }

    private final Mounter recordingMounter = new Mounter() {
        public void mountTmpfs(Path d, OptionalLong size) {
            tmpfs.add(dir.relativize(d) + size.stream().mapToObj(s -> " size=" + s).findFirst().orElse(""));
        }

        public List<Path> mountsBelow(Path root) {
            return List.of();
        }

        public void unmount(Path mountPoint) {
        }
    };

    private VolumeManager manager(Duration refresh) {
        return new VolumeManager(dir, objects, recordingMounter, new DownwardApi.NodeAllocatable(2, 4L << 30, 0),
                Clock.systemUTC(), refresh);
    }

    private static Pod pod(Volume... volumes) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1")
                .addToLabels("app", "web").addToLabels("tier", "front").addToAnnotations("note", "say \"hi\"").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox:1.35")
                .withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources().endContainer()
                .withVolumes(volumes).endSpec().build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configMapWithItemsModesAndBinaryData() throws Exception {
        configMaps.put("ns/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata()
                .addToData("a", "alpha").addToData("b", "beta").addToBinaryData("bin", b64("\u0001\u0002")).build());
        VolumeManager.SetUp all = manager(Duration.ZERO).setUp(pod(new VolumeBuilder().withName("all")
                .withNewConfigMap().withName("cfg").withDefaultMode(0600).endConfigMap().build(),
                new VolumeBuilder().withName("some").withNewConfigMap().withName("cfg")
                        .addNewItem().withKey("b").withPath("dir/b.txt").withMode(0444).endItem().endConfigMap().build()));

        assertThat(all.failures()).isEmpty();
        Path allDir = all.hostPaths().get("all");
        assertThat(allDir).isEqualTo(dir.resolve("uid-1/volumes/kubernetes.io~configmap/all"));
        assertThat(Files.readString(allDir.resolve("a"))).isEqualTo("alpha");
        assertThat(Files.readAllBytes(allDir.resolve("bin"))).containsExactly(1, 2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(allDir.resolve("a")))).isEqualTo("rw-------");
        Path someDir = all.hostPaths().get("some");
        assertThat(Files.readString(someDir.resolve("dir/b.txt"))).isEqualTo("beta");
        assertThat(someDir.resolve("a")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(someDir.resolve("dir/b.txt")))).isEqualTo("r--r--r--");
        assertThat(tmpfs).as("configMap volumes are on disk").isEmpty();
    }

    @Test
    void missingConfigMapFailsNamingItUnlessOptionalAndContentUpdatesAreRewritten() throws Exception {
        Pod pod = pod(new VolumeBuilder().withName("cfg").withNewConfigMap().withName("later").endConfigMap().build(),
                new VolumeBuilder().withName("opt").withNewConfigMap().withName("never").withOptional(true).endConfigMap().build());
        VolumeManager manager = manager(Duration.ZERO);

        VolumeManager.SetUp first = manager.setUp(pod);
        assertThat(first.complete()).isFalse();
        assertThat(first.failures()).singleElement().satisfies(f -> assertThat(f.eventMessage())
                .isEqualTo("MountVolume.SetUp failed for volume \"cfg\" : configmap \"later\" not found"));

        configMaps.put("ns/later", new ConfigMapBuilder().withNewMetadata().withName("later").endMetadata().addToData("k", "v1").build());
        VolumeManager.SetUp second = manager.setUp(pod);
        assertThat(second.complete()).isTrue();
        assertThat(Files.readString(second.hostPaths().get("cfg").resolve("k"))).isEqualTo("v1");

        configMaps.put("ns/later", new ConfigMapBuilder().withNewMetadata().withName("later").endMetadata().addToData("k", "v2").build());
        assertThat(Files.readString(manager.setUp(pod).hostPaths().get("cfg").resolve("k"))).isEqualTo("v2");
    }

    @Test
    void refreshIsThrottledByThePeriod() throws Exception {
        configMaps.put("ns/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata().addToData("k", "v1").build());
        Pod pod = pod(new VolumeBuilder().withName("cfg").withNewConfigMap().withName("cfg").endConfigMap().build());
        VolumeManager manager = manager(Duration.ofHours(1));
        Path path = manager.setUp(pod).hostPaths().get("cfg");
        configMaps.put("ns/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata().addToData("k", "v2").build());
        manager.setUp(pod);
        assertThat(Files.readString(path.resolve("k"))).isEqualTo("v1");
    }

    @Test
    void secretIsDecodedOnTmpfsAndMissingKeyFails() throws Exception {
        secrets.put("ns/s", new SecretBuilder().withNewMetadata().withName("s").endMetadata().addToData("password", b64("hunter2")).build());
        VolumeManager.SetUp ok = manager(Duration.ZERO).setUp(pod(new VolumeBuilder().withName("sec")
                .withNewSecret().withSecretName("s").endSecret().build()));
        assertThat(Files.readString(ok.hostPaths().get("sec").resolve("password"))).isEqualTo("hunter2");
        assertThat(tmpfs).containsExactly("uid-1/volumes/kubernetes.io~secret/sec");

        VolumeManager.SetUp bad = manager(Duration.ZERO).setUp(pod(new VolumeBuilder().withName("sec")
                .withNewSecret().withSecretName("s").addNewItem().withKey("nope").withPath("x").endItem().endSecret().build()));
        assertThat(bad.failures()).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("references non-existent secret key: nope");
    }

    @Test
    void downwardApiFilesUseUpstreamFormats() throws Exception {
        VolumeManager.SetUp setUp = manager(Duration.ZERO).setUp(pod(new VolumeBuilder().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .addNewItem().withPath("annotations").withNewFieldRef().withFieldPath("metadata.annotations").endFieldRef().endItem()
                .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
                .addNewItem().withPath("uid").withNewFieldRef().withFieldPath("metadata.uid").endFieldRef().endItem()
                .addNewItem().withPath("mem").withNewResourceFieldRef().withContainerName("c").withResource("limits.memory")
                .withDivisor(new Quantity("1Mi")).endResourceFieldRef().endItem()
                .addNewItem().withPath("cpu").withNewResourceFieldRef().withContainerName("c").withResource("limits.cpu")
                .endResourceFieldRef().endItem()
                .endDownwardAPI().build()));
        Path d = setUp.hostPaths().get("info");
        assertThat(Files.readString(d.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
        assertThat(Files.readString(d.resolve("annotations"))).isEqualTo("note=\"say \\\"hi\\\"\"");
        assertThat(Files.readString(d.resolve("name"))).isEqualTo("p");
        assertThat(Files.readString(d.resolve("uid"))).isEqualTo("uid-1");
        assertThat(Files.readString(d.resolve("mem"))).isEqualTo("64");
        assertThat(Files.readString(d.resolve("cpu"))).as("no limit: node allocatable").isEqualTo("2");
    }

    @Test
    void projectedCombinesSourcesWithAPodBoundServiceAccountToken() throws Exception {
        configMaps.put("ns/cfg", new ConfigMapBuilder().withNewMetadata().withName("cfg").endMetadata().addToData("k", "v").build());
        secrets.put("ns/s", new SecretBuilder().withNewMetadata().withName("s").endMetadata().addToData("t", b64("tok")).build());
        VolumeManager.SetUp setUp = manager(Duration.ZERO).setUp(pod(new VolumeBuilder().withName("all").withNewProjected()
                .addNewSource().withNewConfigMap().withName("cfg").endConfigMap().endSource()
                .addNewSource().withNewSecret().withName("s").endSecret().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("ns").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken().endSource()
                .endProjected().build()));
        Path d = setUp.hostPaths().get("all");
        assertThat(Files.readString(d.resolve("k"))).isEqualTo("v");
        assertThat(Files.readString(d.resolve("t"))).isEqualTo("tok");
        assertThat(Files.readString(d.resolve("ns"))).isEqualTo("ns");
        assertThat(Files.readString(d.resolve("token"))).isEqualTo("token-1-for-ns/default-bound-to-Pod/p");
        assertThat(tokenRequests).singleElement().satisfies(r -> {
            assertThat(r.getSpec().getExpirationSeconds()).isEqualTo(3600L);
            assertThat(r.getSpec().getBoundObjectRef().getUid()).isEqualTo("uid-1");
        });
        assertThat(setUp.skipped()).isEmpty();
        assertThat(tmpfs).containsExactly("uid-1/volumes/kubernetes.io~projected/all");
    }

    @Test
    void serviceAccountTokenIsRequestedAgainAfterEightyPercentOfItsLifetime() throws Exception {
        VolumeManager manager = new VolumeManager(dir, objects, recordingMounter, new DownwardApi.NodeAllocatable(2, 4L << 30, 0),
                clock, Duration.ZERO);
        Pod pod = pod(new VolumeBuilder().withName("api").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(1000L)
                .withAudience("vault").endServiceAccountToken().endSource().endProjected().build());
        Path token = manager.setUp(pod).hostPaths().get("api").resolve("token");
        assertThat(Files.readString(token)).startsWith("token-1-");
        assertThat(tokenRequests.get(0).getSpec().getAudiences()).containsExactly("vault");

        clock.now = clock.now.plusSeconds(799);
        manager.setUp(pod);
        assertThat(Files.readString(token)).as("reused before 80% of 1000 s").startsWith("token-1-");
        clock.now = clock.now.plusSeconds(1);
        manager.setUp(pod);
        assertThat(Files.readString(token)).as("refreshed at 80%").startsWith("token-2-");
        assertThat(tokenRequests).hasSize(2);

        manager.tearDown("uid-1");
        manager.setUp(pod);
        assertThat(tokenRequests).as("a torn-down pod's tokens are forgotten").hasSize(3);
    }

    @Test
    void serviceAccountVolumeAsksForItsTokenAndItsConfigMapAtOnce() throws Exception {
        // Each read waits (up to 5 s) until the other one has started: asked one after the other, neither would see it.
        java.util.concurrent.CountDownLatch bothAsked = new java.util.concurrent.CountDownLatch(2);
        List<Boolean> overlapped = java.util.Collections.synchronizedList(new ArrayList<>());
        PodObjects slowApi = new PodObjects() {
            public Optional<ConfigMap> configMap(String ns, String name) {
                meet();
                return objects.configMap(ns, name);
            }

            public Optional<Secret> secret(String ns, String name) {
                return objects.secret(ns, name);
            }

            public Optional<PersistentVolumeClaim> claim(String ns, String name) {
                return Optional.empty();
            }

            public Optional<PersistentVolume> persistentVolume(String name) {
                return Optional.empty();
            }

            public TokenRequest requestToken(String ns, String sa, TokenRequest request) {
                meet();
                return objects.requestToken(ns, sa, request);
            }

            private void meet() {
                bothAsked.countDown();
                try {
                    overlapped.add(bothAsked.await(5, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        configMaps.put("ns/kube-root-ca.crt", new ConfigMapBuilder().addToData("ca.crt", "CA").build());
        VolumeManager manager = new VolumeManager(dir, slowApi, recordingMounter, new DownwardApi.NodeAllocatable(2, 4L << 30, 0),
                clock, Duration.ZERO);
        VolumeManager.SetUp setUp = manager.setUp(pod(new VolumeBuilder().withName("kube-api-access").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef()
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build()));

        assertThat(setUp.failures()).isEmpty();
        assertThat(overlapped).containsExactly(true, true);
        Path volume = setUp.hostPaths().get("kube-api-access");
        assertThat(Files.readString(volume.resolve("ca.crt"))).isEqualTo("CA");
        assertThat(Files.readString(volume.resolve("namespace"))).isEqualTo("ns");
        assertThat(Files.readString(volume.resolve("token"))).isEqualTo("token-1-for-ns/default-bound-to-Pod/p");
    }

    @Test
    void failingTokenRequestIsAFailedMountNamingTheVolume() {
        VolumeManager manager = new VolumeManager(dir, PodObjects.NONE, recordingMounter, new DownwardApi.NodeAllocatable(2, 4L << 30, 0),
                clock, Duration.ZERO);
        VolumeManager.SetUp setUp = manager.setUp(pod(new VolumeBuilder().withName("api").withNewProjected()
                .addNewSource().withNewServiceAccountToken().withPath("token").endServiceAccountToken().endSource().endProjected().build()));
        assertThat(setUp.complete()).isFalse();
        assertThat(setUp.failures()).singleElement().extracting(VolumeSetupException::eventMessage).asString()
                .contains("volume \"api\"").contains("failed to fetch token");
    }

    @Test
    void memoryEmptyDirIsTmpfsWithSizeLimitAndTearDownRemovesThePodDirectory() throws Exception {
        VolumeManager manager = manager(Duration.ZERO);
        VolumeManager.SetUp setUp = manager.setUp(pod(new VolumeBuilder().withName("scratch").withNewEmptyDir()
                .withMedium("Memory").withSizeLimit(new Quantity("16Mi")).endEmptyDir().build()));
        assertThat(setUp.hostPaths().get("scratch")).isDirectory();
        assertThat(tmpfs).containsExactly("uid-1/volumes/kubernetes.io~empty-dir/scratch size=16777216");
        manager.tearDown("uid-1");
        assertThat(dir.resolve("uid-1")).doesNotExist();
    }

    @Test
    void claimResolvesToTheBoundHostPathVolume() throws Exception {
        Path data = Files.createDirectories(dir.resolve("pv-data"));
        Pod pod = pod(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("claim")
                .endPersistentVolumeClaim().build());
        claims.put("ns/claim", new PersistentVolumeClaimBuilder().withNewMetadata().withName("claim").endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build());
        assertThat(manager(Duration.ZERO).setUp(pod).failures()).singleElement().extracting(Throwable::getMessage)
                .isEqualTo("persistentvolumeclaim \"claim\" is not bound");

        claims.put("ns/claim", new PersistentVolumeClaimBuilder().withNewMetadata().withName("claim").endMetadata()
                .withNewSpec().withVolumeName("pv1").endSpec().withNewStatus().withPhase("Bound").endStatus().build());
        pvs.put("pv1", new PersistentVolumeBuilder().withNewMetadata().withName("pv1").endMetadata().withNewSpec()
                .withNewHostPath().withPath(data.toString()).endHostPath()
                .withNewClaimRef().withNamespace("ns").withName("claim").endClaimRef().endSpec().build());
        assertThat(manager(Duration.ZERO).setUp(pod).hostPaths()).containsEntry("data", data);
    }
}
