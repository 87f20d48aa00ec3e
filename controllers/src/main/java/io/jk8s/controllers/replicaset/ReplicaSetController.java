package io.jk8s.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Expectations;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.OwnerEvents;
import io.jk8s.controllers.runtime.Owners;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.Selectors;
import io.jk8s.controllers.runtime.SlowStart;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps {@code spec.replicas} active pods for every ReplicaSet: creates missing pods from the
 * template (slow start, at most {@value #BURST} per sync), deletes surplus ones (worst first),
 * adopts matching orphans, releases pods that no longer match, and reports status.
 */
public final class ReplicaSetController extends Controller {

    static final int BURST = 500;

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;

    public ReplicaSetController(ControllerContext ctx) {
        super("replicaset");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.expectations = new Expectations(clock);
    }

    @Override
    public void register(Informers inf) {
        inf.on(ReplicaSet.class, OwnerEvents.owner(expectations, this::enqueue));
        inf.on(Pod.class, this::podAdded, this::podUpdated, this::podDeleted);
    }

    private void podAdded(Pod pod) {
        OwnerReference ref = Owners.controllerOf(pod);
        if (ref != null) {
            if (!"ReplicaSet".equals(ref.getKind())) return;
            String key = Keys.of(pod.getMetadata().getNamespace(), ref.getName());
            expectations.creationObserved(key);
            enqueue(key);
        } else {
            enqueueMatchingOrphanOwners(pod);
        }
    }

    private void podUpdated(Pod oldPod, Pod pod) {
        OwnerReference oldRef = Owners.controllerOf(oldPod);
        OwnerReference ref = Owners.controllerOf(pod);
        if (oldRef != null && !Objects.equals(oldRef, ref) && "ReplicaSet".equals(oldRef.getKind())) {
            enqueue(Keys.of(pod.getMetadata().getNamespace(), oldRef.getName()));
        }
        if (pod.getMetadata().getDeletionTimestamp() != null && oldPod.getMetadata().getDeletionTimestamp() == null
                && ref != null && "ReplicaSet".equals(ref.getKind())) {
            // A graceful delete counts as observed as soon as it is marked.
            expectations.deletionObserved(Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
        }
        if (ref != null) {
            if ("ReplicaSet".equals(ref.getKind())) enqueue(Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
        } else if (!Objects.equals(oldPod.getMetadata().getLabels(), pod.getMetadata().getLabels()) || oldRef != null) {
            enqueueMatchingOrphanOwners(pod);
        }
    }

    private void podDeleted(Pod pod) {
        OwnerReference ref = Owners.controllerOf(pod);
        if (ref == null || !"ReplicaSet".equals(ref.getKind())) return;
        String key = Keys.of(pod.getMetadata().getNamespace(), ref.getName());
        if (oldDeletionNotCounted(pod)) expectations.deletionObserved(key);
        enqueue(key);
    }

    private static boolean oldDeletionNotCounted(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null;
    }

    private void enqueueMatchingOrphanOwners(Pod pod) {
        for (ReplicaSet rs : informers.inNamespace(ReplicaSet.class, pod.getMetadata().getNamespace())) {
            if (Selectors.matches(rs.getSpec().getSelector(), pod.getMetadata().getLabels())) enqueue(rs);
        }
    }

    @Override
    protected SyncResult sync(String key) {
        ReplicaSet rs = informers.get(ReplicaSet.class, key);
        if (rs == null) {
            expectations.forget(key);
            return SyncResult.done();
        }
        boolean needsSync = expectations.satisfied(key) && !Owners.isDeleting(rs);
        List<Pod> pods = claimPods(rs);
        List<Pod> active = pods.stream().filter(Pods::isActive).toList();
        String error = null;
        if (needsSync) {
            try {
                manageReplicas(rs, active);
            } catch (KubernetesClientException e) {
                error = e.getMessage();
            }
        }
        int minReady = rs.getSpec().getMinReadySeconds() == null ? 0 : rs.getSpec().getMinReadySeconds();
        SyncResult result = updateStatus(rs, active, minReady, error);
        if (error != null) throw new KubernetesClientException(error);
        return result;
    }

    /** Pods this ReplicaSet controls after adopting matching orphans and releasing non-matching pods. */
    private List<Pod> claimPods(ReplicaSet rs) {
        List<Pod> owned = new ArrayList<>();
        boolean selectorEmpty = Selectors.isEmpty(rs.getSpec().getSelector());
        for (Pod p : informers.inNamespace(Pod.class, rs.getMetadata().getNamespace())) {
            boolean matches = !selectorEmpty && Selectors.matches(rs.getSpec().getSelector(), p.getMetadata().getLabels());
            OwnerReference ref = Owners.controllerOf(p);
            if (ref != null) {
                if (!Objects.equals(ref.getUid(), rs.getMetadata().getUid())) continue;
                if (matches) {
                    owned.add(p);
                } else if (!Owners.isDeleting(rs)) {
                    release(p, rs);
                }
            } else if (matches && !Owners.isDeleting(rs) && !Owners.isDeleting(p)) {
                Pod adopted = adopt(p, rs);
                if (adopted != null) owned.add(adopted);
            }
        }
        return owned;
    }

    private Pod adopt(Pod cached, ReplicaSet rs) {
        Pod p = Copies.deepCopy(cached);
        List<OwnerReference> refs = p.getMetadata().getOwnerReferences() == null ? new ArrayList<>() : new ArrayList<>(p.getMetadata().getOwnerReferences());
        refs.add(Owners.controllerRef(withKind(rs)));
        p.getMetadata().setOwnerReferences(refs);
        try {
            return client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).update();
        } catch (KubernetesClientException e) {
            log.debug("adopting {} into {}: {}", Keys.of(p), Keys.of(rs), e.getMessage());
            return null;
        }
    }

    private void release(Pod cached, ReplicaSet rs) {
        Pod p = Copies.deepCopy(cached);
        p.getMetadata().setOwnerReferences(new ArrayList<>(p.getMetadata().getOwnerReferences().stream()
                .filter(r -> !Objects.equals(r.getUid(), rs.getMetadata().getUid())).toList()));
        try {
            client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).update();
        } catch (KubernetesClientException e) {
            log.debug("releasing {} from {}: {}", Keys.of(p), Keys.of(rs), e.getMessage());
        }
    }

    private static ReplicaSet withKind(ReplicaSet rs) {
        ReplicaSet r = Copies.deepCopy(rs);
        r.setApiVersion("apps/v1");
        r.setKind("ReplicaSet");
        return r;
    }

    private void manageReplicas(ReplicaSet rs, List<Pod> active) {
        String key = Keys.of(rs);
        int want = rs.getSpec().getReplicas() == null ? 1 : rs.getSpec().getReplicas();
        int diff = active.size() - want;
        if (diff < 0) {
            int n = Math.min(-diff, BURST);
            expectations.expect(key, n, 0);
            ReplicaSet owner = withKind(rs);
            int created = SlowStart.run(n, 1, i -> createPod(owner));
            if (created < n) {
                expectations.lowerAdds(key, n - created);
                throw new KubernetesClientException("created " + created + " of " + n + " pods for " + key);
            }
        } else if (diff > 0) {
            int n = Math.min(diff, BURST);
            List<Pod> victims = active.stream().sorted(Pods.DELETE_FIRST).limit(n).toList();
            expectations.expect(key, 0, n);
            int failed = 0;
            for (Pod p : victims) {
                try {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
                    events.normal(rs, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    failed++;
                    if (e.getCode() != 404) {
                        events.warning(rs, "FailedDelete", "Error deleting: " + e.getMessage());
                    }
                }
            }
            if (failed > 0) expectations.lowerDeletes(key, failed);
        }
    }

    private boolean createPod(ReplicaSet rs) {
        Pod pod = podFromTemplate(rs, rs.getSpec().getTemplate());
        try {
            Pod created = client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
            events.normal(rs, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (KubernetesClientException e) {
            events.warning(rs, "FailedCreate", "Error creating: " + e.getMessage());
            return false;
        }
    }

    /** A pod for {@code owner} from its template: template labels/annotations, generateName, controller reference. */
    public static Pod podFromTemplate(HasMetadata owner, PodTemplateSpec template) {
        PodTemplateSpec t = Copies.deepCopy(template);
        var meta = new ObjectMetaBuilder()
                .withGenerateName(owner.getMetadata().getName() + "-")
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(t.getMetadata() == null ? null : t.getMetadata().getLabels())
                .withAnnotations(t.getMetadata() == null ? null : t.getMetadata().getAnnotations())
                .withFinalizers(t.getMetadata() == null ? null : t.getMetadata().getFinalizers())
                .withOwnerReferences(Owners.controllerRef(owner))
                .build();
        return new PodBuilder().withMetadata(meta).withSpec(t.getSpec()).build();
    }

    private SyncResult updateStatus(ReplicaSet rs, List<Pod> active, int minReady, String error) {
        Instant now = clock.instant();
        Map<String, String> tmplLabels = rs.getSpec().getTemplate().getMetadata() == null ? Map.of()
                : rs.getSpec().getTemplate().getMetadata().getLabels() == null ? Map.of() : rs.getSpec().getTemplate().getMetadata().getLabels();
        int fully = 0;
        int ready = 0;
        int available = 0;
        Instant nextAvailable = null;
        for (Pod p : active) {
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            if (labels.entrySet().containsAll(tmplLabels.entrySet())) fully++;
            if (Pods.isReady(p)) ready++;
            if (Pods.isAvailable(p, minReady, now)) {
                available++;
            } else {
                Instant at = Pods.availableAt(p, minReady);
                if (at != null && (nextAvailable == null || at.isBefore(nextAvailable))) nextAvailable = at;
            }
        }
        ReplicaSetStatus cur = rs.getStatus() == null ? new ReplicaSetStatus() : rs.getStatus();
        ReplicaSetStatus next = Copies.deepCopy(cur);
        next.setReplicas(active.size());
        next.setFullyLabeledReplicas(fully);
        next.setReadyReplicas(ready);
        next.setAvailableReplicas(available);
        next.setObservedGeneration(rs.getMetadata().getGeneration());
        next.setConditions(replicaFailure(cur, error, now));
        if (!next.equals(cur)) {
            ReplicaSet copy = Copies.deepCopy(rs);
            copy.setStatus(next);
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy).updateStatus();
        }
        return nextAvailable == null ? SyncResult.done()
                : SyncResult.requeueAfter(Duration.between(now, nextAvailable).plusMillis(100));
    }

    private static List<io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition> replicaFailure(ReplicaSetStatus cur, String error, Instant now) {
        var conds = new ArrayList<io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition>();
        if (cur.getConditions() != null) {
            cur.getConditions().stream().filter(c -> !"ReplicaFailure".equals(c.getType())).forEach(conds::add);
        }
        if (error != null) {
            conds.add(new io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition(now.toString().replaceAll("\\.\\d+Z$", "Z"),
                    error, "FailedCreate", "True", "ReplicaFailure"));
        }
        return conds.isEmpty() ? null : conds;
    }
}
