package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.ContainerFilter;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.ContainerStatus;
import io.jk8s.kubelet.cri.v1.PodSandbox;
import io.jk8s.kubelet.cri.v1.PodSandboxConfig;
import io.jk8s.kubelet.cri.v1.PodSandboxFilter;
import io.jk8s.kubelet.cri.v1.PodSandboxState;
import io.jk8s.kubelet.volume.DownwardApi;
import io.jk8s.kubelet.volume.Mounter;
import io.jk8s.kubelet.volume.PodObjects;
import io.jk8s.kubelet.volume.VolumeManager;
import io.jk8s.kubelet.volume.VolumeSetupException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Drives one pod's containers towards its spec through CRI, one step per call, and says what
 * the pod's status now is. Called only by the pod's worker (never concurrently for one pod).
 *
 * <p>Order, as upstream: a ready sandbox; then init containers one at a time, each to
 * successful completion; then all app containers. Exited containers restart according to
 * {@code restartPolicy}, with per-container back-off. A step that must wait (a running init
 * container, a back-off) returns a hint when to look again; runtime events also wake the worker.
 */
public final class PodSyncer {

    private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);
    /** How soon to look again while something is in progress (init running, back-off). */
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How soon to retry volumes that could not be set up, or a container whose config refers to something missing. */
    private static final Duration VOLUME_RETRY = Duration.ofSeconds(2);

    /** The outcome of one sync: the status to report and when to sync again if nothing else happens. */
    public record Result(PodStatus status, Optional<Duration> resyncAfter) {}

    private final ContainerRuntime cri;
    private final RuntimeConfigs configs;
    private final ImageManager images;
    private final Backoff backoff;
    private final PodStatusBuilder statusBuilder;
    private final Prober prober;
    private final ContainerStopper stopper;
    private final String hostIp;
    private final VolumeManager volumes;
    private final PodEvents events;

    /** Without an API for volumes and events: only emptyDir and hostPath volumes work (tests). */
    public PodSyncer(ContainerRuntime cri, RuntimeConfigs configs, ImageManager images, Backoff backoff,
                     PodStatusBuilder statusBuilder, Prober prober, String hostIp) {
        this(cri, configs, images, backoff, statusBuilder, prober, hostIp,
                new VolumeManager(configs.podsDirectory(), PodObjects.NONE, Mounter.NONE,
                        new DownwardApi.NodeAllocatable(1, 0, 0), Clock.systemUTC(), Duration.ZERO),
                PodEvents.NONE);
    }

    public PodSyncer(ContainerRuntime cri, RuntimeConfigs configs, ImageManager images, Backoff backoff,
                     PodStatusBuilder statusBuilder, Prober prober, String hostIp, VolumeManager volumes,
                     PodEvents events) {
        this.volumes = volumes;
        this.events = events;
        this.cri = cri;
        this.prober = prober;
        this.stopper = new ContainerStopper(cri, prober, Clock.systemUTC());
        this.configs = configs;
        this.images = images;
        this.backoff = backoff;
        this.statusBuilder = statusBuilder;
        this.hostIp = hostIp;
    }

    /** One step towards the spec of a pod bound to this node. */
    public Result sync(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new Result(terminate(pod), Optional.empty());
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            // Terminal pods never run again; make sure nothing is left running.
            stopEverything(pod, Duration.ZERO);
            return new Result(statusBuilder.build(pod, observe(pod), Map.of(), Set.of(), hostIp), Optional.empty());
        }

        // Volumes first, as upstream (a pod whose volumes cannot be set up starts nothing new, not even its sandbox);
        // their set-up (API reads, a TokenRequest, tmpfs mounts) runs while the worker reads the runtime's state.
        CompletableFuture<VolumeManager.SetUp> pendingVolumes = pod.getSpec().getVolumes() == null
                || pod.getSpec().getVolumes().isEmpty() ? CompletableFuture.completedFuture(volumes.setUp(pod))
                : CompletableFuture.supplyAsync(() -> volumes.setUp(pod), task -> Thread.ofVirtual().name("volume-set-up").start(task));
        Observed observed;
        VolumeManager.SetUp volumeSetUp;
        try {
            observed = observe(pod);
        } finally {
            volumeSetUp = pendingVolumes.join(); // never left running into this pod's next sync
        }
        Map<String, PodStatusBuilder.Waiting> waiting = new HashMap<>();
        Set<String> probedReady = new HashSet<>();
        Optional<Duration> resync = Optional.empty();
        RuntimeChanges changes = new RuntimeChanges();
        ImageStatuses imageStatuses = ImageStatuses.NONE;

        volumeSetUp.skipped().forEach(note -> events.warning(pod, "FailedMount", note));
        if (!volumeSetUp.complete()) {
            for (VolumeSetupException failure : volumeSetUp.failures()) {
                log.warn("pod {}: {}", key(pod), failure.eventMessage());
                events.warning(pod, "FailedMount", failure.eventMessage());
            }
            return new Result(statusBuilder.build(pod, observed, waiting, Set.of(), hostIp), Optional.of(VOLUME_RETRY));
        }
        Map<String, Path> volumePaths = volumeSetUp.hostPaths();

        if (observed.readySandbox().isEmpty()) {
            if (!mayCreateSandbox(pod, observed)) {
                return new Result(statusBuilder.build(pod, observed, waiting, Set.of(), hostIp), Optional.empty());
            }
            if (!observed.sandboxes().isEmpty() || !observed.containers().isEmpty()) {
                stopEverything(pod, Duration.ZERO); // a dead sandbox's leftovers; a new pod has none (saves two CRI lists)
            }
            // The image service answers while the runtime service starts the sandbox: the images' status is
            // known by the time the first containers are created.
            imageStatuses = ImageStatuses.lookUpInBackground(cri, imagesToStartFirst(pod));
            String id;
            try {
                PodSandboxConfig config = configs.sandboxConfig(pod, observed.sandboxes().size());
                createLogDirectory(configs.logDirectory(pod));
                id = cri.runPodSandbox(config, runtimeHandler(pod));
                log.info("pod {}: sandbox {} started", key(pod), id);
            } catch (CriException e) {
                log.warn("pod {}: sandbox creation failed: {}", key(pod), e.getMessage());
                return new Result(statusBuilder.build(pod, observe(pod), waiting, Set.of(), hostIp), Optional.of(POLL.multipliedBy(5)));
            }
            try {
                observed = observed.withNewSandbox(cri.podSandboxStatus(id)); // a new sandbox has no containers yet
            } catch (CriException e) {
                observed = observe(pod);
            }
        }

        boolean initDone = true;
        for (Container init : Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.<Container>of())) {
            Optional<ContainerStatus> latest = observed.latestInSandbox(init.getName());
            if (latest.isPresent() && latest.get().getState() == ContainerState.CONTAINER_EXITED
                    && latest.get().getExitCode() == 0) {
                continue;
            }
            initDone = false;
            if (latest.isEmpty() || latest.get().getState() == ContainerState.CONTAINER_EXITED) {
                boolean failed = latest.isPresent();
                if (failed && restartPolicy(pod).equals("Never")) {
                    break; // the pod has failed; the status builder reports it
                }
                resync = startOrBackOff(pod, init, true, observed, waiting, volumePaths, changes, imageStatuses)
                        .or(() -> Optional.of(POLL));
            } else {
                resync = Optional.of(POLL);
            }
            break;
        }

        if (initDone) {
            for (Container app : pod.getSpec().getContainers()) {
                Optional<ContainerStatus> latest = observed.latestInSandbox(app.getName());
                if (latest.isPresent() && latest.get().getState() == ContainerState.CONTAINER_RUNNING) {
                    ContainerStatus running = latest.get();
                    Instant startedAt = Instant.ofEpochSecond(0, running.getStartedAt());
                    boolean specChanged = !running.getAnnotationsOrDefault(CriLabels.CONTAINER_HASH, "")
                            .equals(RuntimeConfigs.hash(app));
                    boolean alive = app.getLivenessProbe() == null || prober.check(Prober.Kind.LIVENESS,
                            app.getLivenessProbe(), app, running.getId(), startedAt, observed.podIp());
                    if (!specChanged && alive) {
                        if (app.getReadinessProbe() != null) {
                            if (prober.check(Prober.Kind.READINESS, app.getReadinessProbe(), app, running.getId(),
                                    startedAt, observed.podIp())) {
                                probedReady.add(app.getName());
                            }
                            resync = earliest(resync, prober.nextDue(app.getReadinessProbe()));
                        }
                        if (app.getLivenessProbe() != null) {
                            resync = earliest(resync, prober.nextDue(app.getLivenessProbe()));
                        }
                        continue;
                    }
                    // A changed spec (e.g. a new image) or a failed liveness probe: replace the container.
                    log.info("pod {}: container {} {}; restarting it", key(pod), app.getName(),
                            specChanged ? "spec changed" : "failed its liveness probe");
                    // As upstream's killContainer: the preStop hook runs here too.
                    stopper.stopAll(pod, List.of(running), gracePeriod(pod), observed.podIp());
                    prober.forget(running.getId());
                    observed = observe(pod);
                    changes.clear(); // the new snapshot includes what this sync did so far
                }
                if (latest.isPresent() && latest.get().getState() == ContainerState.CONTAINER_EXITED
                        && !shouldRestart(pod, latest.get())) {
                    continue;
                }
                Optional<Duration> wait = startOrBackOff(pod, app, false, observed, waiting, volumePaths, changes, imageStatuses);
                if (wait.isPresent()) {
                    resync = earliest(resync, wait.get());
                } else if (app.getReadinessProbe() != null || app.getLivenessProbe() != null) {
                    resync = earliest(resync, POLL); // probe the new container soon
                }
            }
        }

        // A container with a readiness probe is ready only once the probe has said so.
        Set<String> unready = new HashSet<>();
        for (Container app : pod.getSpec().getContainers()) {
            if (app.getReadinessProbe() != null && !probedReady.contains(app.getName())) {
                unready.add(app.getName());
            }
        }
        PodStatus status = statusBuilder.build(pod, changes.applyTo(pod, observed), waiting, unready, hostIp);
        if ("Succeeded".equals(status.getPhase()) || "Failed".equals(status.getPhase())) {
            stopEverything(pod, Duration.ZERO);
        }
        return new Result(status, resync);
    }

    /**
     * Starts {@code c} unless it is in back-off or its image is not ready; records why not in
     * {@code waiting}. Returns when to look again if it did not start.
     */
    private Optional<Duration> startOrBackOff(Pod pod, Container c, boolean init, Observed observed,
                                              Map<String, PodStatusBuilder.Waiting> waiting, Map<String, Path> volumePaths,
                                              RuntimeChanges changes, ImageStatuses imageStatuses) {
        String backoffKey = pod.getMetadata().getUid() + "/" + c.getName();
        Optional<ContainerStatus> previous = observed.latest(c.getName());
        boolean restart = previous.isPresent();
        if (restart) {
            Duration remaining = backoff.remaining(backoffKey);
            if (!remaining.isZero()) {
                waiting.put(c.getName(), new PodStatusBuilder.Waiting("CrashLoopBackOff",
                        "back-off " + remaining.toSeconds() + "s restarting failed container=" + c.getName()
                                + " pod=" + key(pod)));
                return Optional.of(remaining);
            }
        }
        Optional<ImageManager.Problem> imageProblem = images.ensure(c.getImage(), c.getImagePullPolicy(),
                pod.getMetadata().getUid(), imageStatuses.of(c.getImage()));
        if (imageProblem.isPresent()) {
            ImageManager.Problem problem = imageProblem.get();
            waiting.put(c.getName(), new PodStatusBuilder.Waiting(problem.reason(), problem.message()));
            // Upstream's events: the pull failure, then the reason as "Error: <reason>".
            switch (problem.reason()) {
                case "ErrImagePull" -> events.warning(pod, "Failed", "Failed to pull image \"" + c.getImage() + "\": " + problem.message());
                case "ImagePullBackOff" -> events.normal(pod, "BackOff", problem.message());
                case "ErrImageNeverPull" -> events.warning(pod, "ErrImageNeverPull", problem.message());
                default -> { }
            }
            events.warning(pod, "Failed", "Error: " + problem.reason());
            return Optional.of(POLL.multipliedBy(5));
        }
        int restartCount = previous.map(p -> restartCountOf(p) + 1).orElse(0);
        String sandboxId = observed.readySandbox().orElseThrow().getId();
        String containerId = null;
        try {
            PodSandboxConfig sandboxConfig = configs.sandboxConfig(pod, observed.readySandbox().get().getMetadata().getAttempt());
            String podIp = observed.podIp();
            RuntimeConfigs.ContainerSetup setup;
            try {
                setup = configs.containerConfig(pod, c, restartCount, init, podIp, hostIp, volumePaths);
            } catch (ContainerConfigException e) {
                waiting.put(c.getName(), new PodStatusBuilder.Waiting("CreateContainerConfigError", e.getMessage()));
                events.warning(pod, "Failed", "Error: " + e.getMessage());
                return Optional.of(VOLUME_RETRY);
            }
            setup.envWarnings().forEach(w -> events.warning(pod, "InvalidEnvironmentVariableNames", w));
            containerId = cri.createContainer(sandboxId, setup.config(), sandboxConfig);
            cri.startContainer(containerId);
            changes.started.add(containerId);
            if (restart) {
                backoff.failed(backoffKey);
            }
            // Keep one dead instance per container for `kubectl logs --previous`; drop older ones.
            observed.all(c.getName()).stream().skip(1).forEach(old -> {
                if (removeQuietly(old.getId())) changes.removed.add(old.getId());
            });
            log.info("pod {}: container {} started ({}), restartCount={}", key(pod), c.getName(), containerId, restartCount);
            return Optional.empty();
        } catch (CriException e) {
            changes.untracked = true; // e.g. a container created but not started: list again for the status
            String reason = containerId == null ? "CreateContainerError" : "RunContainerError";
            waiting.put(c.getName(), new PodStatusBuilder.Waiting(reason, e.getMessage()));
            backoff.failed(backoffKey);
            log.warn("pod {}: container {}: {}", key(pod), c.getName(), e.getMessage());
            return Optional.of(backoff.remaining(backoffKey));
        }
    }

    private boolean mayCreateSandbox(Pod pod, Observed observed) {
        // A pod that must not restart and whose containers already ran is over when its sandbox dies.
        return observed.sandboxes().isEmpty() || !restartPolicy(pod).equals("Never") || observed.containers().isEmpty();
    }

    private static boolean shouldRestart(Pod pod, ContainerStatus exited) {
        return switch (restartPolicy(pod)) {
            case "Never" -> false;
            case "OnFailure" -> exited.getExitCode() != 0;
            default -> true;
        };
    }

    static String restartPolicy(Pod pod) {
        return Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    }

    static int restartCountOf(ContainerStatus status) {
        try {
            return Integer.parseInt(status.getAnnotationsOrDefault(CriLabels.RESTART_COUNT, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops all containers (with the pod's grace period) and sandboxes; reports the final status. */
    public PodStatus terminate(Pod pod) {
        stopEverything(pod, gracePeriod(pod));
        return statusBuilder.build(pod, observe(pod), Map.of(), Set.of(), hostIp);
    }

    private static Optional<Duration> earliest(Optional<Duration> current, Duration candidate) {
        return current.isPresent() && current.get().compareTo(candidate) <= 0 ? current : Optional.of(candidate);
    }

    private static Duration gracePeriod(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (grace == null) {
            grace = Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
        }
        return Duration.ofSeconds(grace);
    }

    private void stopEverything(Pod pod, Duration grace) {
        Observed observed = observe(pod);
        List<ContainerStatus> running = observed.containers().stream()
                .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING || c.getState() == ContainerState.CONTAINER_CREATED)
                .toList();
        // preStop hooks first, then the stop signal, all containers at once (ContainerStopper).
        if (!running.isEmpty()) stopper.stopAll(pod, running, grace, observed.podIp());
        for (PodSandbox sandbox : observed.sandboxes()) {
            if (sandbox.getState() == PodSandboxState.SANDBOX_READY) {
                try {
                    cri.stopPodSandbox(sandbox.getId());
                } catch (CriException e) {
                    log.warn("pod {}: stopping sandbox {}: {}", key(pod), sandbox.getId(), e.getMessage());
                }
            }
        }
    }

    /** Removes every sandbox and container of a pod that no longer exists in the API. */
    public void cleanup(String podUid) {
        for (PodSandbox sandbox : cri.listPodSandbox(PodSandboxFilter.newBuilder()
                .putLabelSelector(CriLabels.POD_UID, podUid).build())) {
            try {
                cri.stopPodSandbox(sandbox.getId());
                cri.removePodSandbox(sandbox.getId()); // removes its containers too
            } catch (CriException e) {
                log.warn("pod uid {}: removing sandbox {}: {}", podUid, sandbox.getId(), e.getMessage());
            }
        }
        backoff.forget(podUid + "/");
        volumes.tearDown(podUid);
    }

    private boolean removeQuietly(String containerId) {
        try {
            cri.removeContainer(containerId);
            return true;
        } catch (CriException e) {
            log.debug("removing old container {}: {}", containerId, e.getMessage());
            return false;
        }
    }

    /** Images of the containers a pod starts right after its sandbox: its first init container, else all app containers. */
    private static List<String> imagesToStartFirst(Pod pod) {
        List<Container> inits = Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.of());
        List<Container> first = inits.isEmpty() ? pod.getSpec().getContainers() : List.of(inits.getFirst());
        return first.stream().map(Container::getImage).distinct().toList();
    }

    /**
     * What one sync changed in the runtime, so that the status at its end comes from the statuses of the containers
     * it started rather than from listing all sandboxes and containers again (upstream builds the status from the
     * state read at the start of a sync and learns of its own starts from the next relist; this is as fresh and
     * needs no relist).
     */
    private final class RuntimeChanges {
        final List<String> started = new ArrayList<>();
        final Set<String> removed = new HashSet<>();
        /** Something changed that is not tracked here: read everything again. */
        boolean untracked;

        void clear() {
            started.clear();
            removed.clear();
            untracked = false;
        }

        Observed applyTo(Pod pod, Observed observed) {
            if (untracked) return observe(pod);
            if (started.isEmpty() && removed.isEmpty()) return observed;
            List<ContainerStatus> statuses = new ArrayList<>(started.size());
            try {
                for (String id : started) statuses.add(cri.containerStatus(id));
            } catch (CriException e) {
                return observe(pod); // e.g. removed meanwhile
            }
            return observed.withContainerChanges(statuses, removed);
        }
    }

    /** What the runtime currently has for a pod. */
    Observed observe(Pod pod) {
        String uid = pod.getMetadata().getUid();
        List<PodSandbox> sandboxes = new ArrayList<>(cri.listPodSandbox(
                PodSandboxFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, uid).build()));
        sandboxes.sort(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed());
        Optional<PodSandbox> ready = sandboxes.stream()
                .filter(s -> s.getState() == PodSandboxState.SANDBOX_READY).findFirst();
        String podIp = "";
        if (ready.isPresent()) {
            try {
                podIp = cri.podSandboxStatus(ready.get().getId()).getNetwork().getIp();
            } catch (CriException e) {
                log.debug("pod {}: sandbox status: {}", key(pod), e.getMessage());
            }
        }
        List<ContainerStatus> containers = new ArrayList<>();
        Map<String, String> sandboxOf = new HashMap<>();
        for (var c : cri.listContainers(ContainerFilter.newBuilder().putLabelSelector(CriLabels.POD_UID, uid).build())) {
            sandboxOf.put(c.getId(), c.getPodSandboxId());
            try {
                containers.add(cri.containerStatus(c.getId()));
            } catch (CriException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
        }
        containers.sort(Comparator.comparingLong(ContainerStatus::getCreatedAt).reversed());
        return new Observed(sandboxes, ready, podIp, containers, sandboxOf);
    }

    private static String runtimeHandler(Pod pod) {
        return Objects.requireNonNullElse(pod.getSpec().getRuntimeClassName(), "");
    }

    static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** The runtime writes container logs below the pod's log directory but does not create it. */
    private static void createLogDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create pod log directory " + dir, e);
        }
    }
}
