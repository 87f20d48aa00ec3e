package io.jk8s.controllers.statefulset;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.OwnerEvents;
import io.jk8s.controllers.runtime.Owners;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * StatefulSets (upstream stateful_set_control): one pod per ordinal named {@code <set>-<n>},
 * created in ordinal order and each Running+Ready before the next under {@code OrderedReady}
 * (all at once under {@code Parallel}), removed from the highest ordinal down; PVCs from
 * {@code volumeClaimTemplates} created before their pod and kept (retention {@code Retain});
 * ControllerRevisions record each template, and {@code RollingUpdate} replaces pods at or above
 * {@code partition} one at a time from the highest ordinal, waiting for each to be ready
 * ({@code OnDelete} leaves that to the user).
 */
public final class StatefulSetController extends Controller {

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final RevisionHistory history;

    public StatefulSetController(ControllerContext ctx) {
        super("statefulset");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.history = new RevisionHistory(client);
    }

    @Override
    public void register(Informers inf) {
        inf.onAny(StatefulSet.class, this::enqueue);
        inf.on(Pod.class, OwnerEvents.controlled("StatefulSet", this::enqueue));
        inf.of(ControllerRevision.class);
        inf.of(PersistentVolumeClaim.class);
    }

    @Override
    protected SyncResult sync(String key) {
        StatefulSet cached = informers.get(StatefulSet.class, key);
        if (cached == null || Owners.isDeleting(cached)) return SyncResult.done();
        StatefulSet set = Copies.deepCopy(cached);
        set.setApiVersion("apps/v1");
        set.setKind("StatefulSet");
        String uid = set.getMetadata().getUid();

        List<ControllerRevision> revisions = new ArrayList<>(informers.controlledBy(ControllerRevision.class, uid));
        RevisionHistory.Pair rev = history.ensure(set, revisions);
        Map<Integer, Pod> byOrdinal = new TreeMap<>();
        for (Pod p : informers.controlledBy(Pod.class, uid)) {
            int ord = StatefulIdentity.ordinalOf(set, p);
            if (ord >= 0) byOrdinal.put(ord, p);
        }
        Instant now = clock.instant();
        new Reconcile(set, rev, byOrdinal, now).run();
        history.truncate(set, rev, revisions, byOrdinal.values());
        return writeStatus(cached, set, rev, byOrdinal, now);
    }

    /** One pass over the ordinals; returns after the first blocking step in OrderedReady mode. */
    private final class Reconcile {
        private final StatefulSet set;
        private final RevisionHistory.Pair rev;
        private final Map<Integer, Pod> byOrdinal;
        private final Instant now;
        private final boolean monotonic;
        private final int start;
        private final int replicas;
        private final int minReady;

        Reconcile(StatefulSet set, RevisionHistory.Pair rev, Map<Integer, Pod> byOrdinal, Instant now) {
            this.set = set;
            this.rev = rev;
            this.byOrdinal = byOrdinal;
            this.now = now;
            this.monotonic = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
            this.start = set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
                    ? 0 : set.getSpec().getOrdinals().getStart();
            this.replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
            this.minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        }

        void run() {
            if (!scaleUpAndRepair()) return;
            if (!scaleDown()) return;
            rollingUpdate();
        }

        /** Upstream isHealthy: a terminating pod is not healthy even while it still reports Ready. */
        private boolean healthy(Pod p) {
            return !Owners.isDeleting(p) && "Running".equals(Pods.phase(p)) && Pods.isAvailable(p, minReady, now);
        }

        /** Ordinals below the set's size: create the missing, replace the failed. False = wait. */
        private boolean scaleUpAndRepair() {
            for (int ord = start; ord < start + replicas; ord++) {
                Pod pod = byOrdinal.get(ord);
                if (pod != null && Pods.isTerminated(pod) && !Owners.isDeleting(pod)) {
                    deletePod(pod);
                    if (monotonic) return false;
                    continue;
                }
                if (pod == null) {
                    createPod(ord);
                    if (monotonic) return false;
                    continue;
                }
                if (monotonic && (Owners.isDeleting(pod) || !healthy(pod))) return false;
            }
            return true;
        }

        /** Ordinals at or above the set's size, highest first. False = wait. */
        private boolean scaleDown() {
            List<Pod> condemned = byOrdinal.entrySet().stream()
                    .filter(e -> e.getKey() < start || e.getKey() >= start + replicas).map(Map.Entry::getValue).toList();
            Pod firstUnhealthy = byOrdinal.values().stream().filter(p -> !healthy(p)).findFirst().orElse(null);
            for (int i = condemned.size() - 1; i >= 0; i--) {
                Pod pod = condemned.get(i);
                if (Owners.isDeleting(pod)) {
                    if (monotonic) return false;
                    continue;
                }
                if (monotonic && !healthy(pod) && pod != firstUnhealthy) return false;
                deletePod(pod);
                deleteClaimsIfScaledAway(pod);
                if (monotonic) return false;
            }
            return true;
        }

        /** Highest ordinal first, down to the partition; one pod at a time, each healthy before the next. */
        private void rollingUpdate() {
            var strategy = set.getSpec().getUpdateStrategy();
            if (strategy != null && "OnDelete".equals(strategy.getType())) return;
            int partition = partition(set);
            for (int ord = start + replicas - 1; ord >= start + partition; ord--) {
                Pod pod = byOrdinal.get(ord);
                if (pod == null) return;
                if (!rev.update().getMetadata().getName().equals(StatefulIdentity.revisionOf(pod)) && !Owners.isDeleting(pod)) {
                    deletePod(pod);
                    return;
                }
                if (!healthy(pod)) return;
            }
        }

        private void createPod(int ord) {
            // Ordinals below the partition keep the current revision (upstream newVersionedStatefulSetPod).
            boolean rolling = set.getSpec().getUpdateStrategy() == null || !"OnDelete".equals(set.getSpec().getUpdateStrategy().getType());
            ControllerRevision r = rolling && ord < start + partition(set) ? rev.current() : rev.update();
            Pod pod = StatefulIdentity.newPod(set, Revisions.template(r), r.getMetadata().getName(), ord);
            createClaims(pod, ord);
            try {
                client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
                events.normal(set, "SuccessfulCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                        + set.getMetadata().getName() + " successful");
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) return; // our cache is behind: the pod is there
                events.warning(set, "FailedCreate", "create Pod " + pod.getMetadata().getName() + " in StatefulSet "
                        + set.getMetadata().getName() + " failed error: " + e.getMessage());
                throw e;
            }
        }

        private void createClaims(Pod pod, int ord) {
            List<PersistentVolumeClaim> templates = set.getSpec().getVolumeClaimTemplates();
            if (templates == null) return;
            var retention = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
            boolean ownedBySet = retention != null && "Delete".equals(retention.getWhenDeleted());
            for (PersistentVolumeClaim t : templates) {
                PersistentVolumeClaim claim = StatefulIdentity.newClaim(set, t, ord, ownedBySet);
                String ns = set.getMetadata().getNamespace();
                if (informers.get(PersistentVolumeClaim.class, Keys.of(ns, claim.getMetadata().getName())) != null) continue;
                try {
                    client.persistentVolumeClaims().inNamespace(ns).resource(claim).create();
                    events.normal(set, "SuccessfulCreate", "create Claim " + claim.getMetadata().getName() + " Pod "
                            + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " success");
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409) continue;
                    events.warning(set, "FailedCreate", "create Claim " + claim.getMetadata().getName() + " for Pod "
                            + pod.getMetadata().getName() + " in StatefulSet " + set.getMetadata().getName() + " failed error: " + e.getMessage());
                    throw e;
                }
            }
        }

        private void deletePod(Pod pod) {
            String name = pod.getMetadata().getName();
            try {
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(name).delete();
                events.normal(set, "SuccessfulDelete", "delete Pod " + name + " in StatefulSet " + set.getMetadata().getName() + " successful");
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        }

        /** {@code whenScaled: Delete}: a claim goes with the pod removed by a scale-down. */
        private void deleteClaimsIfScaledAway(Pod pod) {
            var retention = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
            if (retention == null || !"Delete".equals(retention.getWhenScaled()) || set.getSpec().getVolumeClaimTemplates() == null) return;
            int ord = StatefulIdentity.ordinalOf(set, pod);
            for (PersistentVolumeClaim t : set.getSpec().getVolumeClaimTemplates()) {
                String claim = StatefulIdentity.claimName(t.getMetadata().getName(), set, ord);
                client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace()).withName(claim).delete();
            }
        }
    }

    static int partition(StatefulSet set) {
        var s = set.getSpec().getUpdateStrategy();
        if (s == null || s.getRollingUpdate() == null || s.getRollingUpdate().getPartition() == null) return 0;
        return s.getRollingUpdate().getPartition();
    }

    private SyncResult writeStatus(StatefulSet cached, StatefulSet set, RevisionHistory.Pair rev, Map<Integer, Pod> pods, Instant now) {
        int minReady = set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
        String current = rev.current().getMetadata().getName();
        String update = rev.update().getMetadata().getName();
        int count = 0, ready = 0, available = 0, currentCount = 0, updated = 0;
        Instant nextAvailable = null;
        for (Pod p : pods.values()) {
            count++;
            boolean running = "Running".equals(Pods.phase(p));
            if (running && Pods.isReady(p)) ready++;
            if (running && Pods.isAvailable(p, minReady, now)) {
                available++;
            } else if (running) {
                Instant at = Pods.availableAt(p, minReady);
                if (at != null && (nextAvailable == null || at.isBefore(nextAvailable))) nextAvailable = at;
            }
            if (Owners.isDeleting(p)) continue;
            String r = StatefulIdentity.revisionOf(p);
            if (current.equals(r)) currentCount++;
            if (update.equals(r)) updated++;
        }
        StatefulSetStatus s = set.getStatus() == null ? new StatefulSetStatus() : Copies.deepCopy(set.getStatus());
        s.setObservedGeneration(set.getMetadata().getGeneration());
        s.setReplicas(count);
        s.setReadyReplicas(ready);
        s.setAvailableReplicas(available);
        s.setCurrentReplicas(currentCount);
        s.setUpdatedReplicas(updated);
        s.setCurrentRevision(current);
        s.setUpdateRevision(update);
        s.setCollisionCount(rev.collisionCount());
        // The rollout is complete once every pod is updated and ready (upstream completeRollingUpdate).
        if (updated == count && ready == count) {
            s.setCurrentRevision(update);
            s.setCurrentReplicas(updated);
        }
        if (!s.equals(cached.getStatus())) {
            set.setStatus(s);
            client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(set).updateStatus();
        }
        return nextAvailable == null ? SyncResult.done()
                : SyncResult.requeueAfter(Duration.between(now, nextAvailable).plusMillis(200));
    }

    /** Revisions that must be kept: the current and update ones and any a pod still runs. */
    static Set<String> revisionsInUse(RevisionHistory.Pair rev, Iterable<Pod> pods) {
        Set<String> live = new HashSet<>();
        live.add(rev.current().getMetadata().getName());
        live.add(rev.update().getMetadata().getName());
        for (Pod p : pods) {
            String r = StatefulIdentity.revisionOf(p);
            if (r != null) live.add(r);
        }
        return live;
    }
}
