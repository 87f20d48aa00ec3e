package io.jk8s.controllers.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Node health and NoExecute eviction. A node whose kubelet heartbeat (its Lease in
 * {@code kube-node-lease} or its Ready condition's heartbeat) has not changed for
 * {@code nodeMonitorGracePeriod} gets Ready=Unknown; Unknown/False nodes get the
 * {@code node.kubernetes.io/unreachable} or {@code not-ready} NoSchedule and NoExecute taints
 * (removed when the node is Ready again), and their pods are marked not Ready. Pods on a node
 * with NoExecute taints are deleted when they do not tolerate a taint, or once their
 * {@code tolerationSeconds} since the taint's {@code timeAdded} have passed.
 *
 * <p>Staleness is measured from when this controller saw the heartbeat change, on its own
 * clock, so that skewed node clocks do not matter (as upstream). Keys are node names.
 */
public final class NodeLifecycleController extends Controller {

    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final String BY_NODE = "node-name";

    private record Probe(String heartbeat, Instant seenAt) {}

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration grace;
    private final Duration period;
    private final Map<String, Probe> probes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-monitor");
        t.setDaemon(true);
        return t;
    });

    public NodeLifecycleController(ControllerContext ctx) {
        super("nodelifecycle");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.grace = ctx.config().nodeMonitorGracePeriod();
        this.period = ctx.config().nodeMonitorPeriod();
    }

    @Override
    public void register(Informers inf) {
        inf.of(Pod.class).addIndexers(Map.of(BY_NODE, p ->
                p.getSpec() == null || p.getSpec().getNodeName() == null ? List.of() : List.of(p.getSpec().getNodeName())));
        inf.on(Node.class, this::enqueue, (o, n) -> enqueue(n), n -> probes.remove(n.getMetadata().getName()));
        inf.onAny(Lease.class, l -> {
            if (LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())) enqueue(l.getMetadata().getName());
        });
    }

    @Override
    public synchronized void start(int count) {
        super.start(count);
        long ms = period.toMillis();
        ticker.scheduleAtFixedRate(() -> {
            for (Node n : informers.of(Node.class).getStore().list()) enqueue(n.getMetadata().getName());
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        super.close();
    }

    @Override
    protected SyncResult sync(String name) {
        Node cached = informers.get(Node.class, name);
        if (cached == null) {
            probes.remove(name);
            return SyncResult.done();
        }
        Instant now = clock.instant();
        Node node = Copies.deepCopy(cached);
        NodeCondition ready = condition(node, "Ready");
        String heartbeat = heartbeat(node, ready);
        Probe probe = probes.compute(name, (k, p) -> p == null || !p.heartbeat.equals(heartbeat) ? new Probe(heartbeat, now) : p);
        boolean stale = Duration.between(probe.seenAt, now).compareTo(grace) > 0;
        String readyStatus = ready == null ? "Unknown" : ready.getStatus();
        if (stale && !"Unknown".equals(readyStatus)) {
            markUnknown(node, now);
            readyStatus = "Unknown";
            events.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
            markPodsNotReady(name, now);
        }
        reconcileTaints(node, readyStatus, now);
        SyncResult next = evictPods(node, now);
        return SyncResult.sooner(next, SyncResult.requeueAfter(period));
    }

    private String heartbeat(Node node, NodeCondition ready) {
        Lease lease = informers.get(Lease.class, LEASE_NAMESPACE + "/" + node.getMetadata().getName());
        String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? "" : lease.getSpec().getRenewTime().toString();
        String hb = ready == null ? "" : Objects.toString(ready.getLastHeartbeatTime(), "");
        return renew + "|" + hb;
    }

    private static NodeCondition condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return null;
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private void markUnknown(Node node, Instant now) {
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<NodeCondition> conds = node.getStatus().getConditions() == null ? new ArrayList<>() : node.getStatus().getConditions();
        if (conds.stream().noneMatch(c -> "Ready".equals(c.getType()))) {
            conds.add(new NodeCondition(null, t, "", "", "Unknown", "Ready"));
        }
        for (NodeCondition c : conds) {
            if ("Unknown".equals(c.getStatus())) continue;
            c.setStatus("Unknown");
            c.setReason("NodeStatusUnknown");
            c.setMessage("Kubelet stopped posting node status.");
            c.setLastTransitionTime(t);
        }
        node.getStatus().setConditions(conds);
        Node updated = client.nodes().resource(node).updateStatus();
        node.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    }

    private void reconcileTaints(Node node, String readyStatus, Instant now) {
        String wanted = switch (readyStatus) {
            case "Unknown" -> UNREACHABLE;
            case "False" -> NOT_READY;
            default -> null;
        };
        List<Taint> taints = node.getSpec().getTaints() == null ? new ArrayList<>() : new ArrayList<>(node.getSpec().getTaints());
        boolean changed = taints.removeIf(t -> (UNREACHABLE.equals(t.getKey()) || NOT_READY.equals(t.getKey())) && !t.getKey().equals(wanted));
        if (wanted != null) {
            for (String effect : List.of("NoSchedule", "NoExecute")) {
                if (taints.stream().noneMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()))) {
                    String added = effect.equals("NoExecute") ? now.truncatedTo(ChronoUnit.SECONDS).toString() : null;
                    taints.add(new Taint(effect, wanted, added, null));
                    changed = true;
                }
            }
        }
        if (!changed) return;
        node.getSpec().setTaints(taints.isEmpty() ? null : taints);
        Node updated = client.nodes().resource(node).update();
        node.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
        node.setSpec(updated.getSpec());
    }

    private List<Pod> podsOn(String nodeName) {
        return informers.of(Pod.class).getIndexer().byIndex(BY_NODE, nodeName);
    }

    private void markPodsNotReady(String nodeName, Instant now) {
        String t = now.truncatedTo(ChronoUnit.SECONDS).toString();
        for (Pod cached : podsOn(nodeName)) {
            if (cached.getStatus() == null || cached.getStatus().getConditions() == null) continue;
            Pod pod = Copies.deepCopy(cached);
            boolean changed = false;
            for (PodCondition c : pod.getStatus().getConditions()) {
                if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
                    c.setStatus("False");
                    c.setLastTransitionTime(t);
                    changed = true;
                }
            }
            if (!changed) continue;
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
            } catch (KubernetesClientException e) {
                log.debug("marking {} not ready: {}", pod.getMetadata().getName(), e.getMessage());
            }
        }
    }

    /** Deletes pods whose time on a NoExecute-tainted node is up; returns when to look again. */
    private SyncResult evictPods(Node node, Instant now) {
        List<Taint> noExecute = node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
        if (noExecute.isEmpty()) return SyncResult.done();
        SyncResult next = SyncResult.done();
        for (Pod pod : podsOn(node.getMetadata().getName())) {
            if (pod.getMetadata().getDeletionTimestamp() != null) continue;
            Instant evictAt = evictionTime(pod, noExecute, now);
            if (evictAt == null) continue;
            if (!evictAt.isAfter(now)) {
                try {
                    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
                    events.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e;
                }
            } else {
                next = SyncResult.sooner(next, SyncResult.requeueAfter(Duration.between(now, evictAt).plusMillis(50)));
            }
        }
        return next;
    }

    /** Null when the pod tolerates every taint forever; else when it must go. */
    static Instant evictionTime(Pod pod, List<Taint> taints, Instant now) {
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        Instant at = null;
        for (Taint taint : taints) {
            Long seconds = null;
            boolean tolerated = false;
            for (Toleration tol : tolerations) {
                if (!tolerates(tol, taint)) continue;
                if (tol.getTolerationSeconds() == null) {
                    tolerated = true;
                    seconds = null;
                    break;
                }
                tolerated = true;
                seconds = seconds == null ? tol.getTolerationSeconds() : Math.min(seconds, tol.getTolerationSeconds());
            }
            if (!tolerated) return now;
            if (seconds == null) continue;
            Instant added = taint.getTimeAdded() == null ? now : Instant.parse(taint.getTimeAdded());
            Instant t = added.plusSeconds(Math.max(0, seconds));
            if (at == null || t.isBefore(at)) at = t;
        }
        return at;
    }

    static boolean tolerates(Toleration tol, Taint taint) {
        return io.jk8s.controllers.runtime.Tolerations.tolerates(tol, taint);
    }
}
