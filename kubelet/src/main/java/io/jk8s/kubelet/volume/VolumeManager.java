package io.jk8s.kubelet.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sets up a pod's volumes below {@code <podsDir>/<uid>/volumes/<plugin>/<name>} (upstream's
 * layout) and tears them down when the pod is gone. Object-backed volumes (configMap, secret,
 * downwardAPI, projected) are re-rendered at most every {@code refreshPeriod}, so content
 * changes reach running pods within a resync. Secret and projected volumes, and emptyDir with
 * medium Memory, live on tmpfs so their contents never touch the disk.
 */
public final class VolumeManager {

    private static final Logger log = LoggerFactory.getLogger(VolumeManager.class);

    /**
     * The outcome of a set-up: host paths of the volumes that are ready, failures (pod must wait,
     * event FailedMount) and skipped projection sources (event, pod continues).
     */
    public record SetUp(Map<String, Path> hostPaths, List<VolumeSetupException> failures, List<String> skipped) {
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    private record Rendered(Instant at, SetUp result) {}

    private final Path podsDir;
    private final PodObjects objects;
    private final Mounter mounter;
    private final VolumePayloads payloads;
    private final ServiceAccountTokenCache tokens;
    private final Clock clock;
    private final Duration refreshPeriod;
    private final Map<String, Rendered> lastSetUp = new ConcurrentHashMap<>();

    public VolumeManager(Path podsDir, PodObjects objects, Mounter mounter, DownwardApi.NodeAllocatable node,
                         Clock clock, Duration refreshPeriod) {
        this.podsDir = podsDir;
        this.objects = objects;
        this.mounter = mounter;
        this.tokens = new ServiceAccountTokenCache(objects, clock);
        this.payloads = new VolumePayloads(objects, node, tokens);
        this.clock = clock;
        this.refreshPeriod = refreshPeriod;
    }

    /**
     * Makes every volume of the pod ready. A complete set-up younger than the refresh period is
     * reused; failures are retried on every call.
     */
    public SetUp setUp(Pod pod) {
        String uid = pod.getMetadata().getUid();
        Rendered previous = lastSetUp.get(uid);
        Instant now = clock.instant();
        if (previous != null && previous.result().complete() && previous.at().plus(refreshPeriod).isAfter(now)) {
            return new SetUp(previous.result().hostPaths(), List.of(), List.of());
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        List<VolumeSetupException> failures = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Volume volume : Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())) {
            try {
                Path path = setUpOne(pod, volume, skipped);
                if (path != null) {
                    paths.put(volume.getName(), path);
                }
            } catch (VolumeSetupException e) {
                failures.add(e);
            } catch (IOException | RuntimeException e) {
                failures.add(new VolumeSetupException(volume.getName(), e.getMessage()));
            }
        }
        SetUp result = new SetUp(paths, failures, skipped);
        lastSetUp.put(uid, new Rendered(now, result));
        // Skipped sources are reported once per refresh, not on every reuse.
        return result;
    }

    /** Host path of a volume prepared by the last {@link #setUp}. */
    private Path setUpOne(Pod pod, Volume volume, List<String> skipped) throws VolumeSetupException, IOException {
        Path volumes = podsDir.resolve(pod.getMetadata().getUid()).resolve("volumes");
        String name = volume.getName();
        if (volume.getEmptyDir() != null) {
            Path dir = Files.createDirectories(volumes.resolve("kubernetes.io~empty-dir").resolve(name));
            if ("Memory".equals(volume.getEmptyDir().getMedium())) {
                Quantity limit = volume.getEmptyDir().getSizeLimit();
                mounter.mountTmpfs(dir, limit == null ? OptionalLong.empty()
                        : OptionalLong.of(Quantity.getAmountInBytes(limit).longValue()));
            }
            return dir;
        }
        if (volume.getHostPath() != null) {
            return hostPath(volume.getHostPath().getPath(), volume.getHostPath().getType());
        }
        if (volume.getPersistentVolumeClaim() != null) {
            return claimPath(pod, name, volume.getPersistentVolumeClaim().getClaimName());
        }
        String plugin = volume.getConfigMap() != null ? "kubernetes.io~configmap"
                : volume.getSecret() != null ? "kubernetes.io~secret"
                : volume.getDownwardAPI() != null ? "kubernetes.io~downward-api"
                : volume.getProjected() != null ? "kubernetes.io~projected" : null;
        if (plugin == null) {
            log.warn("pod {}/{}: volume {} is of a kind this kubelet does not support; not mounted",
                    pod.getMetadata().getNamespace(), pod.getMetadata().getName(), name);
            return null;
        }
        Path dir = Files.createDirectories(volumes.resolve(plugin).resolve(name));
        // mount(8) is a process of its own: it runs while the payload's API reads (a TokenRequest, ConfigMaps) do.
        CompletableFuture<Void> tmpfs = volume.getSecret() != null || volume.getProjected() != null
                ? CompletableFuture.runAsync(() -> {
                    try {
                        mounter.mountTmpfs(dir, OptionalLong.empty());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, task -> Thread.ofVirtual().name("tmpfs-mount").start(task))
                : CompletableFuture.completedFuture(null);
        VolumePayloads.Payload payload;
        try {
            payload = payloads.of(pod, volume).orElseThrow();
        } finally {
            awaitMount(tmpfs);
        }
        new AtomicWriter(dir, clock).write(payload.files());
        skipped.addAll(payload.skipped());
        return dir;
    }

    private static void awaitMount(CompletableFuture<Void> mount) throws IOException {
        try {
            mount.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private Path claimPath(Pod pod, String volume, String claimName) throws VolumeSetupException, IOException {
        String ns = pod.getMetadata().getNamespace();
        PersistentVolumeClaim claim = objects.claim(ns, claimName).orElseThrow(() ->
                new VolumeSetupException(volume, "persistentvolumeclaim \"" + claimName + "\" not found"));
        String pvName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
        String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
        if (pvName == null || pvName.isEmpty() || !"Bound".equals(phase)) {
            throw new VolumeSetupException(volume, "persistentvolumeclaim \"" + claimName + "\" is not bound");
        }
        PersistentVolume pv = objects.persistentVolume(pvName).orElseThrow(() ->
                new VolumeSetupException(volume, "persistentvolume \"" + pvName + "\" not found"));
        var ref = pv.getSpec().getClaimRef();
        if (ref == null || !claimName.equals(ref.getName()) || !ns.equals(ref.getNamespace())) {
            throw new VolumeSetupException(volume, "persistentvolume \"" + pvName + "\" is not bound to claim " + ns + "/" + claimName);
        }
        if (pv.getSpec().getHostPath() != null) {
            return hostPath(pv.getSpec().getHostPath().getPath(), pv.getSpec().getHostPath().getType());
        }
        if (pv.getSpec().getLocal() != null) {
            Path path = Path.of(pv.getSpec().getLocal().getPath());
            if (!Files.exists(path)) {
                throw new VolumeSetupException(volume, "local volume path " + path + " does not exist");
            }
            return path;
        }
        throw new VolumeSetupException(volume, "persistentvolume \"" + pvName + "\" is of a kind this kubelet cannot mount (only hostPath and local)");
    }

    private static Path hostPath(String pathName, String type) throws IOException {
        Path path = Path.of(pathName);
        switch (Objects.requireNonNullElse(type, "")) {
            case "DirectoryOrCreate" -> Files.createDirectories(path);
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path.getParent());
                    Files.createFile(path);
                }
            }
            default -> {
            }
        }
        return path;
    }

    /** Unmounts and removes everything below the pod's directory; the pod is gone. */
    public void tearDown(String podUid) {
        lastSetUp.remove(podUid);
        tokens.forget(podUid);
        Path podDir = podsDir.resolve(podUid);
        if (!Files.exists(podDir)) {
            return;
        }
        try {
            for (Path mount : mounter.mountsBelow(podDir)) {
                mounter.unmount(mount);
            }
            if (!mounter.mountsBelow(podDir).isEmpty()) {
                log.warn("pod uid {}: volumes still mounted; leaving {} in place", podUid, podDir);
                return;
            }
            AtomicWriter.deleteTree(podDir);
        } catch (IOException e) {
            log.warn("pod uid {}: removing volumes: {}", podUid, e.getMessage());
        }
    }
}
