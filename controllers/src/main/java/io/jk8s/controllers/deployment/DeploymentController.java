package io.jk8s.controllers.deployment;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.Owners;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.Selectors;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.jk8s.controllers.deployment.RolloutMath.available;
import static io.jk8s.controllers.deployment.RolloutMath.replicas;
import static io.jk8s.controllers.deployment.RolloutMath.statusReplicas;

/**
 * Rolls Deployments out through one ReplicaSet per pod template ({@code pod-template-hash}):
 * RollingUpdate within maxSurge/maxUnavailable or Recreate, revisions in
 * {@code deployment.kubernetes.io/revision}, pause, history cleanup, and the status and
 * Progressing/Available conditions {@code kubectl rollout status} reads.
 *
 * <p>The new ReplicaSet is named {@code <deployment>-<hash of the deployment's template>}, so
 * a template patched back by {@code kubectl rollout undo} finds its old ReplicaSet again.
 */
public final class DeploymentController extends Controller {

    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
    static final String MAX = "deployment.kubernetes.io/max-replicas";
    static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;

    public DeploymentController(ControllerContext ctx) {
        super("deployment");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
    }

    @Override
    public void register(Informers inf) {
        inf.onAny(Deployment.class, this::enqueue);
        inf.onAny(ReplicaSet.class, this::enqueueOwner);
        inf.on(Pod.class, p -> { }, (o, n) -> { }, this::podDeleted);
    }

    private void enqueueOwner(ReplicaSet rs) {
        OwnerReference ref = Owners.controllerOf(rs);
        if (ref != null) {
            if ("Deployment".equals(ref.getKind())) enqueue(Keys.of(rs.getMetadata().getNamespace(), ref.getName()));
            return;
        }
        for (Deployment d : informers.inNamespace(Deployment.class, rs.getMetadata().getNamespace())) {
            if (Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) enqueue(d);
        }
    }

    /** Recreate waits for old pods to be gone, so their deletion matters. */
    private void podDeleted(Pod pod) {
        String rsKey = Owners.controllerKey(pod, "ReplicaSet");
        ReplicaSet rs = rsKey == null ? null : informers.get(ReplicaSet.class, rsKey);
        if (rs != null) enqueueOwner(rs);
    }

    @Override
    protected SyncResult sync(String key) {
        Deployment cached = informers.get(Deployment.class, key);
        if (cached == null) return SyncResult.done();
        Deployment d = Copies.deepCopy(cached);
        d.setApiVersion("apps/v1");
        d.setKind("Deployment");
        if (Selectors.isEmpty(d.getSpec().getSelector())) {
            events.warning(d, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            return SyncResult.done();
        }
        List<ReplicaSet> all = claimReplicaSets(d);
        if (Owners.isDeleting(d)) {
            return updateStatus(d, all, findNew(d, all), null);
        }
        if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
            ReplicaSet newRS = findNew(d, all);
            scaleWhenNotRollingOut(d, newRS, all);
            return updateStatus(d, all, newRS, null);
        }
        return RolloutMath.isRolling(d) ? rolling(d, all) : recreate(d, all);
    }

    // ------------------------------------------------------------------ ReplicaSets

    private List<ReplicaSet> claimReplicaSets(Deployment d) {
        List<ReplicaSet> owned = new ArrayList<>();
        for (ReplicaSet rs : informers.inNamespace(ReplicaSet.class, d.getMetadata().getNamespace())) {
            OwnerReference ref = Owners.controllerOf(rs);
            boolean matches = Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels());
            if (ref != null) {
                if (Objects.equals(ref.getUid(), d.getMetadata().getUid())) owned.add(Copies.deepCopy(rs));
            } else if (matches && !Owners.isDeleting(d) && !Owners.isDeleting(rs)) {
                ReplicaSet copy = Copies.deepCopy(rs);
                List<OwnerReference> refs = new ArrayList<>(copy.getMetadata().getOwnerReferences() == null ? List.of() : copy.getMetadata().getOwnerReferences());
                refs.add(Owners.controllerRef(d));
                copy.getMetadata().setOwnerReferences(refs);
                try {
                    owned.add(client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy).update());
                } catch (KubernetesClientException e) {
                    log.debug("adopting {}: {}", Keys.of(rs), e.getMessage());
                }
            }
        }
        return owned;
    }

    private ReplicaSet findNew(Deployment d, List<ReplicaSet> all) {
        String name = newReplicaSetName(d);
        for (ReplicaSet rs : all) {
            if (rs.getMetadata().getName().equals(name)) return rs;
        }
        // Oldest first, as upstream, when several share the template.
        return all.stream().sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
                .filter(rs -> TemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                .findFirst().orElse(null);
    }

    private static String newReplicaSetName(Deployment d) {
        Integer collisions = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
        return d.getMetadata().getName() + "-" + TemplateHash.of(d.getSpec().getTemplate(), collisions);
    }

    private static long revision(ReplicaSet rs) {
        String v = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<ReplicaSet> others(List<ReplicaSet> all, ReplicaSet newRS) {
        return all.stream().filter(rs -> newRS == null || !rs.getMetadata().getUid().equals(newRS.getMetadata().getUid())).toList();
    }

    /** The new ReplicaSet, created (with {@code replicas}) when missing and {@code create}; its revision raised above the old ones. */
    private ReplicaSet getOrCreateNew(Deployment d, List<ReplicaSet> all, boolean create, int replicas, Progress progress) {
        ReplicaSet existing = findNew(d, all);
        long maxOld = others(all, existing).stream().mapToLong(DeploymentController::revision).max().orElse(0);
        String newRevision = Long.toString(maxOld + 1);
        if (existing != null) {
            boolean changed = false;
            Map<String, String> ann = annotations(existing.getMetadata());
            if (revision(existing) < maxOld + 1) {
                ann.put(REVISION, newRevision);
                changed = true;
            }
            changed |= copyChangeCause(d, ann);
            Integer minReady = d.getSpec().getMinReadySeconds();
            if (!Objects.equals(existing.getSpec().getMinReadySeconds(), minReady)) {
                existing.getSpec().setMinReadySeconds(minReady);
                changed = true;
            }
            if (changed) existing = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(existing).update();
            setRevision(d, existing);
            return existing;
        }
        if (!create) return null;
        String hash = TemplateHash.of(d.getSpec().getTemplate(), d.getStatus() == null ? null : d.getStatus().getCollisionCount());
        PodTemplateSpec template = Copies.deepCopy(d.getSpec().getTemplate());
        if (template.getMetadata() == null) template.setMetadata(new ObjectMeta());
        Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
        labels.put(TemplateHash.LABEL, hash);
        template.getMetadata().setLabels(labels);
        LabelSelector selector = Copies.deepCopy(d.getSpec().getSelector());
        Map<String, String> match = new LinkedHashMap<>(selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels());
        match.put(TemplateHash.LABEL, hash);
        selector.setMatchLabels(match);
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(REVISION, newRevision);
        ann.put(DESIRED, Integer.toString(replicas(d)));
        ann.put(MAX, Integer.toString(replicas(d) + RolloutMath.maxSurge(d)));
        copyChangeCause(d, ann);
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash).withNamespace(d.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(ann).withOwnerReferences(Owners.controllerRef(d)).endMetadata()
                .withNewSpec().withReplicas(replicas).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                .withSelector(selector).withTemplate(template).endSpec()
                .build();
        ReplicaSet created;
        try {
            created = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) throw e;
            ReplicaSet clash = client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).get();
            if (clash != null && Owners.isControlledBy(clash, d) && TemplateHash.equalIgnoringHash(clash.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                return clash; // our own, not yet in the cache
            }
            bumpCollisionCount(d);
            throw e;
        }
        events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + replicas);
        progress.created = created.getMetadata().getName();
        setRevision(d, created);
        return created;
    }

    private void bumpCollisionCount(Deployment d) {
        Deployment copy = Copies.deepCopy(d);
        DeploymentStatus st = copy.getStatus() == null ? new DeploymentStatus() : copy.getStatus();
        st.setCollisionCount(st.getCollisionCount() == null ? 1 : st.getCollisionCount() + 1);
        copy.setStatus(st);
        client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy).updateStatus();
    }

    private static boolean copyChangeCause(Deployment d, Map<String, String> ann) {
        String cause = d.getMetadata().getAnnotations() == null ? null : d.getMetadata().getAnnotations().get(CHANGE_CAUSE);
        if (cause == null || cause.equals(ann.get(CHANGE_CAUSE))) return false;
        ann.put(CHANGE_CAUSE, cause);
        return true;
    }

    private static Map<String, String> annotations(ObjectMeta meta) {
        if (meta.getAnnotations() == null) meta.setAnnotations(new LinkedHashMap<>());
        return meta.getAnnotations();
    }

    /** Writes the new ReplicaSet's revision on the Deployment (metadata, so a plain update). */
    private void setRevision(Deployment d, ReplicaSet newRS) {
        String rev = annotations(newRS.getMetadata()).get(REVISION);
        Map<String, String> ann = annotations(d.getMetadata());
        if (rev == null || rev.equals(ann.get(REVISION))) return;
        ann.put(REVISION, rev);
        Deployment updated = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).update();
        d.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
    }

    /** Sets {@code rs} to {@code n} replicas (and the desired/max annotations); true when it changed. */
    private boolean scale(Deployment d, ReplicaSet rs, int n) {
        Map<String, String> ann = annotations(rs.getMetadata());
        String desired = Integer.toString(replicas(d));
        String max = Integer.toString(replicas(d) + RolloutMath.maxSurge(d));
        int before = replicas(rs);
        if (before == n && desired.equals(ann.get(DESIRED)) && max.equals(ann.get(MAX))) return false;
        rs.getSpec().setReplicas(n);
        ann.put(DESIRED, desired);
        ann.put(MAX, max);
        ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).update();
        rs.getMetadata().setResourceVersion(updated.getMetadata().getResourceVersion());
        if (before != n) {
            events.normal(d, "ScalingReplicaSet", "Scaled " + (n > before ? "up" : "down") + " replica set "
                    + rs.getMetadata().getName() + " from " + before + " to " + n);
        }
        return before != n;
    }

    /** With no rollout in progress (only the new ReplicaSet has replicas), follow spec.replicas. */
    private void scaleWhenNotRollingOut(Deployment d, ReplicaSet newRS, List<ReplicaSet> all) {
        List<ReplicaSet> active = all.stream().filter(rs -> replicas(rs) > 0).toList();
        if (newRS != null && (active.isEmpty() || active.size() == 1 && active.get(0).getMetadata().getUid().equals(newRS.getMetadata().getUid()))) {
            scale(d, newRS, replicas(d));
        } else if (newRS == null && active.size() == 1) {
            scale(d, active.get(0), replicas(d));
        }
    }

    // ------------------------------------------------------------------ strategies

    /** What this sync did, for the Progressing condition. */
    static final class Progress {
        String created;
    }

    private SyncResult rolling(Deployment d, List<ReplicaSet> all) {
        Progress progress = new Progress();
        ReplicaSet newRS = findNew(d, all);
        int initial = newRS == null ? RolloutMath.newReplicaSetReplicas(d, all, emptyRS()) : replicas(newRS);
        newRS = getOrCreateNew(d, all, true, initial, progress);
        all = withReplaced(all, newRS);
        List<ReplicaSet> old = others(all, newRS);
        // Scale up the new ReplicaSet within the surge budget.
        int target = replicas(newRS) > replicas(d) ? replicas(d) : RolloutMath.newReplicaSetReplicas(d, all, newRS);
        if (scale(d, newRS, target)) {
            return updateStatus(d, all, newRS, progress);
        }
        // Scale old ReplicaSets down within the unavailability budget.
        reconcileOld(d, all, old, newRS);
        if (isComplete(d, all, newRS)) cleanup(d, old);
        return updateStatus(d, all, newRS, progress);
    }

    private static ReplicaSet emptyRS() {
        return new ReplicaSetBuilder().withNewSpec().withReplicas(0).endSpec().build();
    }

    private static List<ReplicaSet> withReplaced(List<ReplicaSet> all, ReplicaSet rs) {
        List<ReplicaSet> out = new ArrayList<>();
        boolean found = false;
        for (ReplicaSet r : all) {
            if (r.getMetadata().getUid().equals(rs.getMetadata().getUid())) {
                out.add(rs);
                found = true;
            } else {
                out.add(r);
            }
        }
        if (!found) out.add(rs);
        return out;
    }

    /** Upstream reconcileOldReplicaSets: unhealthy old replicas go first, then available ones down to minAvailable. */
    private void reconcileOld(Deployment d, List<ReplicaSet> all, List<ReplicaSet> old, ReplicaSet newRS) {
        if (RolloutMath.sumSpec(old) == 0) return;
        int allPods = RolloutMath.sumSpec(all);
        int minAvailable = replicas(d) - RolloutMath.maxUnavailable(d);
        int newUnavailable = replicas(newRS) - available(newRS);
        int maxScaledDown = allPods - minAvailable - newUnavailable;
        if (maxScaledDown <= 0) return;
        List<ReplicaSet> oldest = old.stream().sorted(Comparator.comparing((ReplicaSet rs) -> rs.getMetadata().getCreationTimestamp())).toList();
        int cleaned = 0;
        for (ReplicaSet rs : oldest) {
            if (cleaned >= maxScaledDown) break;
            int unhealthy = replicas(rs) - available(rs);
            if (replicas(rs) == 0 || unhealthy <= 0) continue;
            int down = Math.min(unhealthy, maxScaledDown - cleaned);
            scale(d, rs, replicas(rs) - down);
            cleaned += down;
        }
        int totalAvailable = RolloutMath.sumAvailable(all);
        int budget = totalAvailable - minAvailable;
        // Pods just removed as unhealthy were not available, so they do not change the budget.
        budget = Math.min(budget, maxScaledDown - cleaned);
        for (ReplicaSet rs : oldest) {
            if (budget <= 0) break;
            if (replicas(rs) == 0) continue;
            int down = Math.min(replicas(rs), budget);
            scale(d, rs, replicas(rs) - down);
            budget -= down;
        }
    }

    private SyncResult recreate(Deployment d, List<ReplicaSet> all) {
        Progress progress = new Progress();
        ReplicaSet newRS = findNew(d, all);
        List<ReplicaSet> old = others(all, newRS);
        boolean scaledDown = false;
        for (ReplicaSet rs : old) scaledDown |= scale(d, rs, 0);
        if (scaledDown) return updateStatus(d, all, newRS, progress);
        if (oldPodsRunning(old)) return updateStatus(d, all, newRS, progress);
        newRS = getOrCreateNew(d, all, true, replicas(d), progress);
        all = withReplaced(all, newRS);
        scale(d, newRS, replicas(d));
        if (isComplete(d, all, newRS)) cleanup(d, others(all, newRS));
        return updateStatus(d, all, newRS, progress);
    }

    private boolean oldPodsRunning(List<ReplicaSet> old) {
        for (ReplicaSet rs : old) {
            if (statusReplicas(rs) > 0) return true;
            for (Pod p : informers.controlledBy(Pod.class, rs.getMetadata().getUid())) {
                if (!Pods.isTerminated(p)) return true;
            }
        }
        return false;
    }

    /** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
    private void cleanup(Deployment d, List<ReplicaSet> old) {
        int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
        List<ReplicaSet> idle = old.stream()
                .filter(rs -> replicas(rs) == 0 && statusReplicas(rs) == 0 && rs.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparingLong(DeploymentController::revision)).toList();
        for (int i = 0; i < idle.size() - limit; i++) {
            ReplicaSet rs = idle.get(i);
            try {
                client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        }
    }

    // ------------------------------------------------------------------ status

    private boolean isComplete(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        DeploymentStatus s = computeStatus(d, all, newRS);
        return isComplete(d, s);
    }

    private static boolean isComplete(Deployment d, DeploymentStatus s) {
        int want = replicas(d);
        return s.getUpdatedReplicas() == want && s.getReplicas() == want && s.getAvailableReplicas() == want
                && s.getObservedGeneration() >= d.getMetadata().getGeneration();
    }

    private static DeploymentStatus computeStatus(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : Copies.deepCopy(d.getStatus());
        int total = all.stream().mapToInt(RolloutMath::statusReplicas).sum();
        int ready = all.stream().mapToInt(RolloutMath::ready).sum();
        int avail = RolloutMath.sumAvailable(all);
        s.setObservedGeneration(d.getMetadata().getGeneration());
        s.setReplicas(total);
        s.setUpdatedReplicas(newRS == null ? 0 : statusReplicas(newRS));
        s.setReadyReplicas(ready);
        s.setAvailableReplicas(avail);
        s.setUnavailableReplicas(Math.max(0, RolloutMath.sumSpec(all) - avail));
        return s;
    }

    private SyncResult updateStatus(Deployment d, List<ReplicaSet> all, ReplicaSet newRS, Progress progress) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        DeploymentStatus s = computeStatus(d, all, newRS);
        Map<String, DeploymentCondition> conds = new LinkedHashMap<>();
        if (s.getConditions() != null) s.getConditions().forEach(c -> conds.put(c.getType(), c));
        int want = replicas(d);
        boolean minAvailable = s.getAvailableReplicas() >= want - RolloutMath.maxUnavailable(d);
        setCondition(conds, "Available", minAvailable ? "True" : "False",
                minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now);
        SyncResult result = SyncResult.done();
        String rsName = newRS == null ? null : newRS.getMetadata().getName();
        DeploymentCondition progressing = conds.get("Progressing");
        Integer deadline = d.getSpec().getProgressDeadlineSeconds();
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        if (paused) {
            if (progressing == null || !"DeploymentPaused".equals(progressing.getReason())) {
                setCondition(conds, "Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now);
            }
        } else if (progressing != null && "DeploymentPaused".equals(progressing.getReason())) {
            setCondition(conds, "Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now);
        } else if (progress != null && progress.created != null) {
            setCondition(conds, "Progressing", "True", "NewReplicaSetCreated", "Created new replica set \"" + progress.created + "\"", now);
            if (deadline != null) result = SyncResult.requeueAfter(Duration.ofSeconds(deadline + 1L));
        } else if (progress != null && rsName != null && (deadline == null || deadline != Integer.MAX_VALUE)) {
            boolean alreadyComplete = progressing != null && "NewReplicaSetAvailable".equals(progressing.getReason())
                    && Objects.equals(s.getReplicas(), s.getUpdatedReplicas());
            if (isComplete(d, s)) {
                setCondition(conds, "Progressing", "True", "NewReplicaSetAvailable",
                        "ReplicaSet \"" + rsName + "\" has successfully progressed.", now);
            } else if (!alreadyComplete && madeProgress(old, s)) {
                // Progress refreshes lastUpdateTime, which restarts the deadline.
                conds.remove("Progressing");
                setCondition(conds, "Progressing", "True", "ReplicaSetUpdated", "ReplicaSet \"" + rsName + "\" is progressing.", now);
                if (progressing != null && "True".equals(progressing.getStatus())) {
                    conds.get("Progressing").setLastTransitionTime(progressing.getLastTransitionTime());
                }
                if (deadline != null) result = SyncResult.requeueAfter(Duration.ofSeconds(deadline + 1L));
            } else if (!alreadyComplete && deadline != null && progressing != null) {
                Instant last = Instant.parse(progressing.getLastUpdateTime());
                Instant expires = last.plusSeconds(deadline);
                if (!now.isBefore(expires) || "ProgressDeadlineExceeded".equals(progressing.getReason())) {
                    if (!"ProgressDeadlineExceeded".equals(progressing.getReason())) {
                        events.warning(d, "ProgressDeadlineExceeded", "ReplicaSet \"" + rsName + "\" has timed out progressing.");
                    }
                    setCondition(conds, "Progressing", "False", "ProgressDeadlineExceeded",
                            "ReplicaSet \"" + rsName + "\" has timed out progressing.", now);
                } else {
                    result = SyncResult.requeueAfter(Duration.between(now, expires).plusSeconds(1));
                }
            }
        }
        s.setConditions(new ArrayList<>(conds.values()));
        if (!s.equals(d.getStatus())) {
            Deployment copy = Copies.deepCopy(d);
            copy.setStatus(s);
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy).updateStatus();
        }
        return result;
    }

    private static boolean madeProgress(DeploymentStatus old, DeploymentStatus s) {
        int oldOld = nz(old.getReplicas()) - nz(old.getUpdatedReplicas());
        int newOld = nz(s.getReplicas()) - nz(s.getUpdatedReplicas());
        return nz(s.getUpdatedReplicas()) > nz(old.getUpdatedReplicas()) || newOld < oldOld
                || nz(s.getReadyReplicas()) > nz(old.getReadyReplicas()) || nz(s.getAvailableReplicas()) > nz(old.getAvailableReplicas());
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    /** Upstream SetDeploymentCondition: lastTransitionTime only moves when the status changes. */
    private static void setCondition(Map<String, DeploymentCondition> conds, String type, String status, String reason, String message, Instant now) {
        DeploymentCondition cur = conds.get(type);
        if (cur != null && cur.getStatus().equals(status) && Objects.equals(cur.getReason(), reason) && Objects.equals(cur.getMessage(), message)) {
            return;
        }
        String t = now.toString();
        String transition = cur != null && cur.getStatus().equals(status) ? cur.getLastTransitionTime() : t;
        conds.put(type, new DeploymentCondition(transition, t, message, reason, status, type));
    }
}
