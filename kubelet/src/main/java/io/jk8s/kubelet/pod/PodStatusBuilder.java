package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.jk8s.kubelet.cri.v1.ContainerState;
import io.jk8s.kubelet.cri.v1.ContainerStatus;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Computes a pod's API status from what the runtime reports: phase, conditions, container
 * statuses, IPs. Follows upstream's rules for the phase (a container waiting after a crash
 * counts as stopped; restartPolicy decides between Running, Succeeded and Failed).
 */
public final class PodStatusBuilder {

    /** Why a container is not running although the kubelet wants it to (e.g. CrashLoopBackOff). */
    public record Waiting(String reason, String message) {}

    private final Clock clock;

    public PodStatusBuilder(Clock clock) {
        this.clock = clock;
    }

    PodStatus build(Pod pod, Observed observed, Map<String, Waiting> waiting, Set<String> unready, String hostIp) {
        PodStatus previous = Objects.requireNonNullElse(pod.getStatus(), new PodStatus());
        List<Container> inits = Objects.requireNonNullElse(pod.getSpec().getInitContainers(), List.of());
        List<Container> apps = pod.getSpec().getContainers();

        boolean sandboxReady = observed.readySandbox().isPresent();
        boolean initFailed = false;
        boolean initDone = true;
        for (Container init : inits) {
            Optional<ContainerStatus> latest = sandboxReady ? observed.latestInSandbox(init.getName()) : observed.latest(init.getName());
            boolean succeeded = latest.map(s -> s.getState() == ContainerState.CONTAINER_EXITED && s.getExitCode() == 0).orElse(false);
            if (!succeeded) {
                initDone = false;
                initFailed = latest.map(s -> s.getState() == ContainerState.CONTAINER_EXITED).orElse(false)
                        && PodSyncer.restartPolicy(pod).equals("Never");
                break;
            }
        }

        List<io.fabric8.kubernetes.api.model.ContainerStatus> initStatuses = new ArrayList<>();
        for (Container init : inits) {
            initStatuses.add(containerStatus(init, observed, waiting, "PodInitializing"));
        }
        List<io.fabric8.kubernetes.api.model.ContainerStatus> appStatuses = new ArrayList<>();
        for (Container app : apps) {
            var status = containerStatus(app, observed, waiting, initDone ? "ContainerCreating" : "PodInitializing");
            if (unready.contains(app.getName())) {
                status.setReady(false); // its readiness probe has not succeeded (yet)
            }
            appStatuses.add(status);
        }

        String phase = initFailed ? "Failed" : !initDone ? "Pending" : phase(pod, appStatuses);
        boolean containersReady = initDone && appStatuses.stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));

        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition(previous, "PodReadyToStartContainers", sandboxReady, null));
        conditions.add(condition(previous, "Initialized", initDone, initDone ? null : "ContainersNotInitialized"));
        conditions.add(condition(previous, "Ready", containersReady, containersReady ? null : "ContainersNotReady"));
        conditions.add(condition(previous, "ContainersReady", containersReady, containersReady ? null : "ContainersNotReady"));
        conditions.add(condition(previous, "PodScheduled", true, null));

        PodStatus status = new PodStatus();
        status.setPhase(phase);
        status.setConditions(conditions);
        status.setInitContainerStatuses(initStatuses);
        status.setContainerStatuses(appStatuses);
        status.setHostIP(hostIp);
        status.setHostIPs(List.of(new HostIP(hostIp)));
        String podIp = observed.podIp();
        if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            podIp = hostIp;
        }
        if (!podIp.isEmpty()) {
            status.setPodIP(podIp);
            status.setPodIPs(List.of(new PodIP(podIp)));
        } else if (previous.getPodIP() != null) {
            status.setPodIP(previous.getPodIP()); // keep the address a terminated pod had
            status.setPodIPs(previous.getPodIPs());
        }
        status.setStartTime(Objects.requireNonNullElse(previous.getStartTime(), now()));
        status.setQosClass(previous.getQosClass());
        return status;
    }

    private io.fabric8.kubernetes.api.model.ContainerStatus containerStatus(
            Container spec, Observed observed, Map<String, Waiting> waiting, String defaultWaitingReason) {
        List<ContainerStatus> instances = observed.all(spec.getName());
        ContainerStatusBuilder status = new ContainerStatusBuilder()
                .withName(spec.getName()).withImage(spec.getImage())
                .withImageID("").withRestartCount(0).withReady(false).withStarted(false);
        Waiting wanted = waiting.get(spec.getName());
        if (instances.isEmpty()) {
            Waiting w = wanted != null ? wanted : new Waiting(defaultWaitingReason, null);
            return status.withNewState().withNewWaiting().withReason(w.reason()).withMessage(w.message())
                    .endWaiting().endState().build();
        }
        ContainerStatus latest = instances.getFirst();
        status.withRestartCount(PodSyncer.restartCountOf(latest))
                .withContainerID("containerd://" + latest.getId())
                .withImageID(latest.getImageRef());
        boolean running = latest.getState() == ContainerState.CONTAINER_RUNNING;
        // Ready unless its readiness probe says otherwise (the caller passes those as unready).
        status.withReady(running).withStarted(running);
        if (wanted != null || latest.getState() == ContainerState.CONTAINER_CREATED) {
            Waiting w = wanted != null ? wanted : new Waiting("ContainerCreating", null);
            status.withNewState().withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting().endState();
            if (latest.getState() == ContainerState.CONTAINER_EXITED) {
                status.withLastState(terminated(latest));
            } else if (instances.size() > 1) {
                status.withLastState(terminated(instances.get(1)));
            }
            return status.build();
        }
        if (running) {
            status.withNewState().withNewRunning().withStartedAt(time(latest.getStartedAt())).endRunning().endState();
        } else {
            status.withState(terminated(latest));
        }
        if (instances.size() > 1) {
            status.withLastState(terminated(instances.get(1)));
        }
        return status.build();
    }

    private static io.fabric8.kubernetes.api.model.ContainerState terminated(ContainerStatus c) {
        String reason = !c.getReason().isEmpty() ? c.getReason() : c.getExitCode() == 0 ? "Completed" : "Error";
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(c.getExitCode())
                .withReason(reason)
                .withMessage(c.getMessage().isEmpty() ? null : c.getMessage())
                .withStartedAt(c.getStartedAt() == 0 ? null : time(c.getStartedAt()))
                .withFinishedAt(c.getFinishedAt() == 0 ? null : time(c.getFinishedAt()))
                .withContainerID("containerd://" + c.getId())
                .endTerminated().build();
    }

    /** Upstream's getPhase for pods whose init containers are done. */
    private static String phase(Pod pod, List<io.fabric8.kubernetes.api.model.ContainerStatus> statuses) {
        int waiting = 0, running = 0, stopped = 0, succeeded = 0;
        for (var s : statuses) {
            var state = s.getState();
            if (state.getRunning() != null) {
                running++;
            } else if (state.getTerminated() != null) {
                stopped++;
                if (state.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (state.getWaiting() != null) {
                if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
                    stopped++; // crashed and waiting to restart
                    if (s.getLastState().getTerminated().getExitCode() == 0) {
                        succeeded++;
                    }
                } else {
                    waiting++;
                }
            }
        }
        String policy = PodSyncer.restartPolicy(pod);
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if (policy.equals("Always")) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            return policy.equals("Never") ? "Failed" : "Running";
        }
        return "Pending";
    }

    private PodCondition condition(PodStatus previous, String type, boolean value, String reason) {
        String status = value ? "True" : "False";
        String since = Objects.requireNonNullElse(previous.getConditions(), List.<PodCondition>of()).stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals(status))
                .map(PodCondition::getLastTransitionTime).filter(Objects::nonNull).findFirst().orElse(now());
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withLastTransitionTime(since).build();
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String time(long nanos) {
        return Instant.ofEpochSecond(0, nanos).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
