package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.jk8s.kubelet.cri.ContainerRuntime;
import io.jk8s.kubelet.cri.CriException;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.ContainerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a pod's running containers as upstream's kubelet kills them: all at once, each first running its
 * {@code lifecycle.preStop} hook (exec, httpGet or sleep) for at most the grace period, then SIGTERM with what
 * is left of it (at least {@value #MIN_STOP_SECONDS} s) before SIGKILL. The hook is what lets a Service move
 * traffic away from a terminating pod before it stops serving.
 */
final class ContainerStopper {

    private static final Logger log = LoggerFactory.getLogger(ContainerStopper.class);
    /** Upstream's minimumGracePeriodInSeconds: the stop signal always gets this long after a hook. */
    static final long MIN_STOP_SECONDS = 2;

    private final ContainerRuntime cri;
    private final Prober prober;
    private final Clock clock;

    ContainerStopper(ContainerRuntime cri, Prober prober, Clock clock) {
        this.cri = cri;
        this.prober = prober;
        this.clock = clock;
    }

    /** Stops {@code running} (containers of {@code pod}) in parallel and returns when all have stopped. */
    void stopAll(Pod pod, List<ContainerStatus> running, Duration grace, String podIp) {
        if (running.size() == 1) {
            stop(pod, running.getFirst(), grace, podIp);
            return;
        }
        // One (virtual) thread per container: hooks and grace periods run side by side, as upstream.
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (ContainerStatus c : running) {
                all.add(CompletableFuture.runAsync(() -> stop(pod, c, grace, podIp), threads));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }
    }

    private void stop(Pod pod, ContainerStatus c, Duration grace, String podIp) {
        Duration left = grace;
        Optional<LifecycleHandler> preStop = grace.isPositive() && c.getState() == ContainerState.CONTAINER_RUNNING ? preStopOf(pod, c.getMetadata().getName()) : Optional.empty();
        if (preStop.isPresent()) {
            Instant start = clock.instant();
            runHook(pod, c, preStop.get(), grace, podIp);
            left = grace.minus(Duration.between(start, clock.instant()));
            if (left.compareTo(Duration.ofSeconds(MIN_STOP_SECONDS)) < 0) left = Duration.ofSeconds(MIN_STOP_SECONDS);
        }
        try {
            cri.stopContainer(c.getId(), left);
        } catch (CriException e) {
            log.warn("pod {}: stopping container {}: {}", PodSyncer.key(pod), c.getId(), e.getMessage());
        }
    }

    private static Optional<LifecycleHandler> preStopOf(Pod pod, String containerName) {
        return Objects.requireNonNullElse(pod.getSpec().getContainers(), List.<Container>of()).stream()
                .filter(s -> s.getName().equals(containerName) && s.getLifecycle() != null && s.getLifecycle().getPreStop() != null)
                .map(s -> s.getLifecycle().getPreStop()).findFirst();
    }

    /** Runs the hook, giving up (and going on to the stop signal) when the grace period is over. */
    private void runHook(Pod pod, ContainerStatus c, LifecycleHandler hook, Duration grace, String podIp) {
        Container spec = pod.getSpec().getContainers().stream()
                .filter(s -> s.getName().equals(c.getMetadata().getName())).findFirst().orElseThrow();
        CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(() -> {
            if (hook.getSleep() != null) {
                sleep(Duration.ofSeconds(Objects.requireNonNullElse(hook.getSleep().getSeconds(), 0L)));
                return true;
            }
            if (hook.getExec() != null) {
                return cri.execSync(c.getId(), hook.getExec().getCommand(), grace).getExitCode() == 0;
            }
            // httpGet / tcpSocket behave like the probe handlers of the same shape.
            Probe asProbe = new ProbeBuilder().withHttpGet(hook.getHttpGet()).withTcpSocket(hook.getTcpSocket())
                    .withTimeoutSeconds((int) Math.max(1, grace.toSeconds())).build();
            return prober.run(asProbe, spec, c.getId(), podIp);
        }, r -> Thread.ofVirtual().name("prestop-" + spec.getName()).start(r));
        try {
            if (!done.get(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("pod {}: preStop hook of {} failed", PodSyncer.key(pod), spec.getName());
            }
        } catch (TimeoutException e) {
            log.info("pod {}: preStop hook of {} still running after the {} s grace period", PodSyncer.key(pod), spec.getName(),
                    grace.toSeconds());
            done.cancel(true);
        } catch (ExecutionException e) {
            log.info("pod {}: preStop hook of {} failed: {}", PodSyncer.key(pod), spec.getName(), e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
