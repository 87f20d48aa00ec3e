package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.jk8s.scheduler.cache.SchedulerCache;
import io.jk8s.scheduler.cache.Snapshot;
import io.jk8s.scheduler.framework.CycleState;
import io.jk8s.scheduler.framework.Framework;
import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.framework.PostFilterResult;
import io.jk8s.scheduler.framework.PreemptionActions;
import io.jk8s.scheduler.framework.Profile;
import io.jk8s.scheduler.framework.Status;
import io.jk8s.scheduler.plugins.InterPodAffinity;
import io.jk8s.scheduler.plugins.PodTopologySpread;
import io.jk8s.scheduler.queue.Nominator;
import io.jk8s.scheduler.queue.QueuedPodInfo;
import io.jk8s.scheduler.queue.SchedulingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The scheduler without its API plumbing: consumes pod and node events (from informers in production,
 * from tests directly), keeps the cache and queue, and runs scheduling cycles ({@link #scheduleOne}).
 * A cycle runs on the caller's thread (one scheduling thread); binding and the API side effects of a
 * cycle (events, status patches, victim deletion) run on {@code sideEffects}, so the loop never waits
 * for the API. Event methods are thread safe.
 */
public final class SchedulingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulingEngine.class);
    static final Set<String> AFFINITY_PLUGINS = Set.of(InterPodAffinity.NAME, PodTopologySpread.NAME);

    private final SchedulerApi api;
    private final Executor sideEffects;
    private final SchedulerCache cache = new SchedulerCache();
    private final SchedulingQueue queue;
    private final Nominator nominator = new Nominator();
    private final Map<String, Framework> frameworks = new HashMap<>();
    private final SchedulingAlgorithm algorithm;
    private final Snapshot snapshot = new Snapshot();
    /** Upstream's events broadcaster queues at most this many events (maxQueuedEvents). */
    static final int MAX_PENDING_EVENTS = 1000;
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final AtomicLong droppedEvents = new AtomicLong();

    public SchedulingEngine(List<Profile> profiles, SchedulerApi api, Executor sideEffects, InstantSource clock,
                            RandomGenerator random, int percentageOfNodesToScore,
                            Duration initialBackoff, Duration maxBackoff) {
        this.api = api;
        this.sideEffects = sideEffects;
        this.queue = new SchedulingQueue(clock, initialBackoff, maxBackoff);
        this.algorithm = new SchedulingAlgorithm(percentageOfNodesToScore, random);
        PreemptionActions actions = new ApiPreemptionActions();
        for (Profile p : profiles) {
            frameworks.put(p.schedulerName(), new Framework(p, nominator, actions));
        }
    }

    public SchedulerCache cache() {
        return cache;
    }

    public SchedulingQueue queue() {
        return queue;
    }

    public Nominator nominator() {
        return nominator;
    }

    // ---- events -------------------------------------------------------------------------------

    public void onNodeAdd(Node node) {
        cache.addNode(node);
        queue.moveAllToActiveOrBackoff(q -> true);
    }

    /**
     * A node changed. Waiting pods are retried only when something scheduling looks at changed
     * (allocatable, labels, taints, cordon), not on every status heartbeat.
     */
    public void onNodeUpdate(Node oldNode, Node node) {
        cache.updateNode(node);
        if (oldNode == null || schedulingRelevantChange(oldNode, node)) {
            queue.moveAllToActiveOrBackoff(q -> true);
        }
    }

    static boolean schedulingRelevantChange(Node a, Node b) {
        var sa = a.getSpec();
        var sb = b.getSpec();
        return !Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels())
                || !Objects.equals(sa == null ? null : sa.getTaints(), sb == null ? null : sb.getTaints())
                || !Objects.equals(sa == null ? null : sa.getUnschedulable(), sb == null ? null : sb.getUnschedulable())
                || !Objects.equals(a.getStatus() == null ? null : a.getStatus().getAllocatable(),
                b.getStatus() == null ? null : b.getStatus().getAllocatable());
    }

    public void onNodeDelete(Node node) {
        cache.removeNode(node.getMetadata().getName());
    }

    /** A pod was added or changed in the API. */
    public void onPodUpsert(Pod pod) {
        PodInfo info = PodInfo.of(pod);
        if (isAssigned(pod)) {
            boolean wasKnown = cache.contains(info);
            queue.delete(info.uid());
            nominator.remove(info);
            if (isTerminal(pod)) {
                // A finished pod frees its node's resources.
                if (wasKnown) {
                    cache.removePod(info);
                    queue.moveAllToActiveOrBackoff(q -> true);
                }
                return;
            }
            cache.addOrUpdatePod(info);
            if (!wasKnown) {
                // Only (anti-)affinity and spreading can start to fit because a pod appeared.
                queue.moveAllToActiveOrBackoff(q -> intersects(q.unschedulablePlugins(), AFFINITY_PLUGINS));
            }
            return;
        }
        if (!responsibleFor(pod) || pod.getMetadata().getDeletionTimestamp() != null || cache.isAssumed(info)) {
            return;
        }
        String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        if (nominated != null && !nominated.isEmpty()) {
            nominator.add(info, nominated);
        } else {
            nominator.update(info);
        }
        queue.update(info);
    }

    public void onPodDelete(Pod pod) {
        PodInfo info = PodInfo.of(pod);
        queue.delete(info.uid());
        nominator.remove(info);
        // Assumed pods too: a pod deleted right after its binding would otherwise be counted forever.
        if (cache.contains(info)) {
            cache.removePod(info);
            queue.moveAllToActiveOrBackoff(q -> true);
        }
    }

    private boolean responsibleFor(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
        return frameworks.containsKey(name == null || name.isEmpty() ? SchedulerConfig.DEFAULT_SCHEDULER_NAME : name);
    }

    static boolean isAssigned(Pod pod) {
        return pod.getSpec() != null && pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    }

    private static boolean isTerminal(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String x : a) {
            if (b.contains(x)) {
                return true;
            }
        }
        return false;
    }

    // ---- scheduling cycle ----------------------------------------------------------------------

    /**
     * Takes one pod from the queue (waiting up to {@code wait}) and runs its scheduling cycle.
     *
     * @return false when no pod was available
     */
    public boolean scheduleOne(Duration wait) throws InterruptedException {
        QueuedPodInfo q = queue.pop(wait);
        if (q == null) {
            return false;
        }
        long cycle = queue.schedulingCycle();
        PodInfo podInfo = q.podInfo();
        Pod pod = podInfo.pod();
        String schedulerName = pod.getSpec().getSchedulerName();
        Framework fw = frameworks.get(schedulerName == null || schedulerName.isEmpty()
                ? SchedulerConfig.DEFAULT_SCHEDULER_NAME : schedulerName);
        if (fw == null || cache.contains(podInfo)) {
            queue.done(podInfo.uid());
            return true;
        }
        CycleState state = new CycleState();
        state.setPodInfo(podInfo);
        cache.updateSnapshot(snapshot);
        fw.setSnapshot(snapshot);

        ScheduleResult result;
        try {
            result = algorithm.schedule(fw, state, podInfo, snapshot);
        } catch (RuntimeException e) {
            LOG.error("scheduling {} failed", podInfo.key(), e);
            result = new ScheduleResult.Failed(Status.error(String.valueOf(e.getMessage())));
        }
        switch (result) {
            case ScheduleResult.Suggested s -> assumeAndBind(fw, state, q, s.nodeName(), cycle);
            case ScheduleResult.Unschedulable u -> handleUnschedulable(fw, state, q, u, cycle);
            case ScheduleResult.Failed f -> handleFailure(q, f.status().message(), "SchedulerError", false, null, cycle);
        }
        return true;
    }

    private void assumeAndBind(Framework fw, CycleState state, QueuedPodInfo q, String nodeName, long cycle) {
        PodInfo podInfo = q.podInfo();
        Pod pod = podInfo.pod();
        PodInfo assumed = podInfo.withNodeName(nodeName);
        cache.assumePod(assumed, nodeName);
        Status reserved = fw.runReserve(state, pod, nodeName);
        if (!reserved.isSuccess()) {
            cache.forgetPod(assumed);
            handleFailure(q, reserved.message(), "SchedulerError", false, null, cycle);
            return;
        }
        nominator.remove(podInfo);
        sideEffects.execute(() -> bind(fw, state, q, assumed, nodeName, cycle));
    }

    private void bind(Framework fw, CycleState state, QueuedPodInfo q, PodInfo assumed, String nodeName, long cycle) {
        Pod pod = assumed.pod();
        Status s;
        try {
            s = fw.runBind(state, pod, nodeName);
        } catch (RuntimeException e) {
            s = Status.error(String.valueOf(e.getMessage()));
        }
        if (s.isSuccess()) {
            queue.done(assumed.uid());
            recordEvent(pod, "Normal", "Scheduled", "Binding",
                    "Successfully assigned " + assumed.key() + " to " + nodeName);
            return;
        }
        LOG.info("binding {} to {} failed: {}", assumed.key(), nodeName, s.message());
        cache.forgetPod(assumed);
        fw.runUnreserve(state, pod, nodeName);
        // The forgotten pod's room is free again.
        queue.moveAllToActiveOrBackoff(x -> true);
        handleFailure(q, s.message(), "SchedulerError", false, null, cycle);
    }

    private void handleUnschedulable(Framework fw, CycleState state, QueuedPodInfo q, ScheduleResult.Unschedulable u,
                                     long cycle) {
        String message = u.message();
        String nominatedNode = null;
        FitError fitError = u.fitError();
        if (fitError != null && fw.hasPostFilterPlugins() && fitError.numAllNodes() > 0) {
            PostFilterResult pf = fw.runPostFilter(state, q.podInfo().pod(), fitError.nodeToStatus());
            String pfMsg = pf.status().message();
            fitError = fitError.withPostFilterMsg(pfMsg);
            message = fitError.message();
            nominatedNode = pf.nominatedNodeName();
            if (pf.status().code() == Status.Code.ERROR) {
                LOG.warn("preemption for {} failed: {}", q.podInfo().key(), pfMsg);
            }
        }
        if (fitError != null) {
            q.setUnschedulablePlugins(fitError.unschedulablePlugins());
        }
        handleFailure(q, message, "Unschedulable", true, nominatedNode, cycle);
    }

    /**
     * Requeues the pod and reports why: a {@code FailedScheduling} event and the
     * {@code PodScheduled=False} condition (skipped when the pod already says the same).
     */
    private void handleFailure(QueuedPodInfo q, String message, String reason, boolean unschedulable,
                               String nominatedNode, long cycle) {
        PodInfo podInfo = q.podInfo();
        Pod pod = podInfo.pod();
        if (nominatedNode != null) {
            if (nominatedNode.isEmpty()) {
                nominator.remove(podInfo);
            } else {
                nominator.add(podInfo, nominatedNode);
            }
        }
        queue.addUnschedulable(q, unschedulable, cycle);
        LOG.debug("unable to schedule {}: {}", podInfo.key(), message);
        recordEvent(pod, "Warning", "FailedScheduling", "Scheduling", message);
        String currentNominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
        String nominatedChange = nominatedNode == null
                || Objects.equals(nullToEmpty(currentNominated), nominatedNode) ? null : nominatedNode;
        if (nominatedChange == null && sameScheduledCondition(pod, reason, message)) {
            return;
        }
        PodCondition condition = new PodConditionBuilder()
                .withType("PodScheduled").withStatus("False").withReason(reason).withMessage(message)
                .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .build();
        sideEffects.execute(() -> {
            try {
                api.updatePodStatus(pod, condition, nominatedChange);
            } catch (RuntimeException e) {
                LOG.warn("updating the status of {} failed: {}", podInfo.key(), e.getMessage());
            }
        });
    }

    private static boolean sameScheduledCondition(Pod pod, String reason, String message) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : pod.getStatus().getConditions()) {
            if ("PodScheduled".equals(c.getType())) {
                return "False".equals(c.getStatus()) && reason.equals(c.getReason()) && message.equals(c.getMessage());
            }
        }
        return false;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Events wait for the API behind bindings; like upstream's broadcaster (a queue of 1,000 that
     * drops when full) at most {@link #MAX_PENDING_EVENTS} wait here, so a slow API server costs
     * events, never memory or bindings.
     */
    private void recordEvent(Pod pod, String type, String reason, String action, String message) {
        if (pendingEvents.incrementAndGet() > MAX_PENDING_EVENTS) {
            pendingEvents.decrementAndGet();
            long dropped = droppedEvents.incrementAndGet();
            if (dropped == 1 || dropped % 1000 == 0) {
                LOG.warn("{} events waiting for the API server: dropped {} events so far", MAX_PENDING_EVENTS, dropped);
            }
            return;
        }
        try {
            sideEffects.execute(() -> {
                try {
                    api.recordEvent(pod, type, reason, action, message);
                } catch (RuntimeException e) {
                    LOG.debug("recording event {} for {} failed: {}", reason, PodInfo.keyOf(pod), e.getMessage());
                } finally {
                    pendingEvents.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            pendingEvents.decrementAndGet(); // not queued (the executor is shut down)
            throw e;
        }
    }

    /** Preemption's API effects, run off the scheduling thread. */
    private final class ApiPreemptionActions implements PreemptionActions {
        @Override
        public void evict(Pod victim, Pod preemptor, String nodeName) {
            String message = "Preempted by pod " + preemptor.getMetadata().getUid() + " on node " + nodeName;
            sideEffects.execute(() -> {
                try {
                    PodCondition disruption = new PodConditionBuilder()
                            .withType("DisruptionTarget").withStatus("True").withReason("PreemptionByScheduler")
                            .withMessage(SchedulerConfig.DEFAULT_SCHEDULER_NAME + ": preempting to accommodate a higher priority pod")
                            .withLastTransitionTime(DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                            .build();
                    try {
                        api.updatePodStatus(victim, disruption, null);
                    } catch (RuntimeException e) {
                        LOG.debug("marking victim {} failed: {}", PodInfo.keyOf(victim), e.getMessage());
                    }
                    api.deletePod(victim);
                    api.recordEvent(victim, "Normal", "Preempted", "Preempting", message);
                } catch (RuntimeException e) {
                    LOG.warn("preempting {} failed: {}", PodInfo.keyOf(victim), e.getMessage());
                }
            });
        }

        @Override
        public void clearNomination(Pod pod) {
            nominator.remove(PodInfo.of(pod));
            sideEffects.execute(() -> {
                try {
                    api.updatePodStatus(pod, null, "");
                } catch (RuntimeException e) {
                    LOG.debug("clearing the nomination of {} failed: {}", PodInfo.keyOf(pod), e.getMessage());
                }
            });
        }
    }

    /** Stops {@link #scheduleOne} callers. */
    public void close() {
        queue.close();
    }

    /** Moves pods that wait for a cluster event (test hook for event-driven requeueing). */
    void moveAll(Predicate<QueuedPodInfo> which) {
        queue.moveAllToActiveOrBackoff(which);
    }
}
