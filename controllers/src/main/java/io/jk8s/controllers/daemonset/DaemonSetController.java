package io.jk8s.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.deployment.TemplateHash;
import io.jk8s.controllers.replicaset.ReplicaSetController;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Expectations;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.OwnerEvents;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pod per eligible node for every DaemonSet (nodeSelector, required node affinity, taints
 * with the upstream automatic tolerations), pods bound directly through {@code spec.nodeName};
 * RollingUpdate replaces pods whose {@code controller-revision-hash} differs, at most
 * {@code maxUnavailable} nodes at a time; OnDelete waits for the user.
 */
public final class DaemonSetController extends Controller {

    static final String REVISION_LABEL = "controller-revision-hash";

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;

    public DaemonSetController(ControllerContext ctx) {
        super("daemonset");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.expectations = new Expectations(clock);
    }

    @Override
    public void register(Informers inf) {
        inf.on(DaemonSet.class, OwnerEvents.owner(expectations, this::enqueue));
        inf.onAny(Node.class, n -> inf.of(DaemonSet.class).getStore().list().forEach(this::enqueue));
        inf.on(Pod.class, OwnerEvents.controlled("DaemonSet", expectations, this::enqueue));
    }

    /** The tolerations upstream adds to every daemon pod so that node conditions do not evict it. */
    static PodTemplateSpec withDaemonTolerations(PodTemplateSpec template) {
        PodTemplateSpec t = Copies.deepCopy(template);
        List<Toleration> tol = t.getSpec().getTolerations() == null ? new ArrayList<>() : new ArrayList<>(t.getSpec().getTolerations());
        addIfMissing(tol, "node.kubernetes.io/not-ready", "NoExecute");
        addIfMissing(tol, "node.kubernetes.io/unreachable", "NoExecute");
        addIfMissing(tol, "node.kubernetes.io/disk-pressure", "NoSchedule");
        addIfMissing(tol, "node.kubernetes.io/memory-pressure", "NoSchedule");
        addIfMissing(tol, "node.kubernetes.io/pid-pressure", "NoSchedule");
        addIfMissing(tol, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (Boolean.TRUE.equals(t.getSpec().getHostNetwork())) addIfMissing(tol, "node.kubernetes.io/network-unavailable", "NoSchedule");
        t.getSpec().setTolerations(tol);
        return t;
    }

    private static void addIfMissing(List<Toleration> tol, String key, String effect) {
        if (tol.stream().anyMatch(x -> key.equals(x.getKey()) && effect.equals(x.getEffect()))) return;
        tol.add(new Toleration(effect, key, "Exists", null, null));
    }

    @Override
    protected SyncResult sync(String key) {
        DaemonSet cached = informers.get(DaemonSet.class, key);
        if (cached == null) {
            expectations.forget(key);
            return SyncResult.done();
        }
        DaemonSet ds = Copies.deepCopy(cached);
        ds.setApiVersion("apps/v1");
        ds.setKind("DaemonSet");
        String hash = TemplateHash.of(ds.getSpec().getTemplate(), null);
        PodTemplateSpec template = withDaemonTolerations(ds.getSpec().getTemplate());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        labels.put(REVISION_LABEL, hash);
        template.getMetadata().setLabels(labels);

        Map<String, List<Pod>> byNode = new HashMap<>();
        for (Pod p : informers.controlledBy(Pod.class, ds.getMetadata().getUid())) {
            if (p.getMetadata().getDeletionTimestamp() != null) continue;
            String node = p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName();
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add(p);
        }
        List<Node> nodes = informers.of(Node.class).getStore().list();
        Instant now = clock.instant();
        int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        List<String> createOn = new ArrayList<>();
        List<Pod> delete = new ArrayList<>();
        List<Pod> outdated = new ArrayList<>();
        int desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0, unavailable = 0;
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            List<Pod> pods = new ArrayList<>(byNode.getOrDefault(name, List.of()));
            byNode.remove(name);
            boolean should = NodeEligibility.shouldRun(template.getSpec(), node);
            // Failed daemon pods are replaced.
            pods.stream().filter(p -> "Failed".equals(Pods.phase(p))).forEach(delete::add);
            pods.removeIf(p -> "Failed".equals(Pods.phase(p)));
            if (!should) {
                if (!pods.isEmpty()) misscheduled++;
                delete.addAll(pods);
                continue;
            }
            desired++;
            if (pods.isEmpty()) {
                createOn.add(name);
                unavailable++;
                continue;
            }
            current++;
            pods.sort(Comparator.comparing(Pods::created));
            delete.addAll(pods.subList(1, pods.size()));
            Pod p = pods.get(0);
            boolean isAvailable = Pods.isAvailable(p, minReady, now);
            if (Pods.isReady(p)) ready++;
            if (isAvailable) available++;
            else unavailable++;
            boolean isUpdated = hash.equals(p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION_LABEL));
            if (isUpdated) updated++;
            else outdated.add(p);
        }
        byNode.values().forEach(delete::addAll); // pods on nodes that no longer exist
        if (expectations.satisfied(key)) {
            boolean rolling = ds.getSpec().getUpdateStrategy() == null || !"OnDelete".equals(ds.getSpec().getUpdateStrategy().getType());
            if (rolling && !outdated.isEmpty()) {
                var ru = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getRollingUpdate();
                int maxUnavailable = maxUnavailable(ru == null ? null : ru.getMaxUnavailable(), desired);
                int budget = maxUnavailable - unavailable;
                // Outdated pods that are not available anyway go first, regardless of budget.
                for (Pod p : outdated) {
                    if (!Pods.isAvailable(p, minReady, now)) delete.add(p);
                    else if (budget-- > 0) delete.add(p);
                }
            }
            expectations.expect(key, createOn.size(), delete.size());
            for (String node : createOn) {
                var pod = ReplicaSetController.podFromTemplate(ds, template);
                pod.getSpec().setNodeName(node);
                try {
                    client.pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
                } catch (KubernetesClientException e) {
                    expectations.lowerAdds(key, 1);
                    events.warning(ds, "FailedCreate", "Error creating: " + e.getMessage());
                }
            }
            for (Pod p : delete) {
                try {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
                    events.normal(ds, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.lowerDeletes(key, 1);
                    if (e.getCode() != 404) events.warning(ds, "FailedDelete", "Error deleting: " + e.getMessage());
                }
            }
        }
        DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : Copies.deepCopy(ds.getStatus());
        s.setDesiredNumberScheduled(desired);
        s.setCurrentNumberScheduled(current);
        s.setNumberMisscheduled(misscheduled);
        s.setNumberReady(ready);
        s.setNumberAvailable(available);
        s.setNumberUnavailable(unavailable);
        s.setUpdatedNumberScheduled(updated);
        s.setObservedGeneration(ds.getMetadata().getGeneration());
        if (!s.equals(cached.getStatus())) {
            ds.setStatus(s);
            client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(ds).updateStatus();
        }
        return SyncResult.done();
    }

    private static int maxUnavailable(io.fabric8.kubernetes.api.model.IntOrString v, int desired) {
        if (v == null) return 1;
        if (v.getIntVal() != null) return Math.max(1, v.getIntVal());
        String s = v.getStrVal();
        if (s.endsWith("%")) return Math.max(1, (int) Math.floor(Double.parseDouble(s.substring(0, s.length() - 1)) * desired / 100.0));
        return Math.max(1, Integer.parseInt(s));
    }
}
