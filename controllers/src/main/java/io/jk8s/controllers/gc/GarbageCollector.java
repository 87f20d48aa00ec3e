package io.jk8s.controllers.gc;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.SyncResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Garbage collector over ownerReferences for the workload kinds (Deployment → ReplicaSet → Pod,
 * StatefulSet → Pod, ControllerRevision and PVC, DaemonSet → Pod, CronJob → Job → Pod):
 * a dependent whose owners are all gone is deleted (background propagation); an owner carrying
 * the {@code foregroundDeletion} finalizer loses it once its dependents are gone (deleting them
 * first); one carrying {@code orphan} has the references to it removed from its dependents.
 *
 * <p>Keys are {@code Kind|namespace/name}. An owner missing from the cache is confirmed with a
 * live GET before anything is deleted, because caches of different kinds lag independently.
 */
public final class GarbageCollector extends Controller {

    static final String FOREGROUND = "foregroundDeletion";
    static final String ORPHAN = "orphan";

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Pod", Pod.class, "ReplicaSet", ReplicaSet.class, "Deployment", Deployment.class,
            "StatefulSet", StatefulSet.class, "DaemonSet", DaemonSet.class, "ControllerRevision", ControllerRevision.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class, "Job", Job.class, "CronJob", CronJob.class);

    private final KubernetesClient client;
    private final Informers informers;

    public GarbageCollector(ControllerContext ctx) {
        super("garbagecollector");
        this.client = ctx.client();
        this.informers = ctx.informers();
    }

    @Override
    public void register(Informers inf) {
        for (var e : KINDS.entrySet()) {
            String kind = e.getKey();
            Class<? extends HasMetadata> type = e.getValue();
            inf.onAny(type, obj -> objectChanged(kind, obj));
        }
    }

    private void objectChanged(String kind, HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        enqueue(kind + "|" + ns + "/" + obj.getMetadata().getName());
        // An owner that changed or went away: look at its dependents.
        for (var e : KINDS.entrySet()) {
            for (HasMetadata dep : informers.controlledBy(e.getValue(), obj.getMetadata().getUid())) {
                enqueue(e.getKey() + "|" + dep.getMetadata().getNamespace() + "/" + dep.getMetadata().getName());
            }
        }
    }

    @Override
    protected SyncResult sync(String key) {
        String kind = key.substring(0, key.indexOf('|'));
        String objKey = key.substring(key.indexOf('|') + 1);
        HasMetadata obj = informers.get(KINDS.get(kind), objKey);
        if (obj == null) return SyncResult.done();
        List<String> finalizers = obj.getMetadata().getFinalizers() == null ? List.of() : obj.getMetadata().getFinalizers();
        if (obj.getMetadata().getDeletionTimestamp() != null && finalizers.contains(ORPHAN)) {
            orphanDependents(obj);
            removeFinalizer(kind, obj, ORPHAN);
        } else if (obj.getMetadata().getDeletionTimestamp() != null && finalizers.contains(FOREGROUND)) {
            if (deleteDependents(obj, "Foreground") == 0) removeFinalizer(kind, obj, FOREGROUND);
        }
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty() || obj.getMetadata().getDeletionTimestamp() != null) return SyncResult.done();
        for (OwnerReference r : refs) {
            if (ownerExists(obj.getMetadata().getNamespace(), r)) return SyncResult.done();
        }
        log.debug("deleting {} whose owners are gone", key);
        try {
            client.resource(obj).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
        return SyncResult.done();
    }

    private boolean ownerExists(String namespace, OwnerReference r) {
        Class<? extends HasMetadata> type = KINDS.get(r.getKind());
        if (type == null) return true; // a kind this collector does not track: never collect on its behalf
        HasMetadata owner = informers.get(type, namespace + "/" + r.getName());
        if (owner != null && r.getUid().equals(owner.getMetadata().getUid())) return true;
        HasMetadata live = client.resources(type).inNamespace(namespace).withName(r.getName()).get();
        return live != null && r.getUid().equals(live.getMetadata().getUid());
    }

    /** Deletes the owner's dependents; returns how many still exist. */
    private int deleteDependents(HasMetadata owner, String policy) {
        int left = 0;
        for (Class<? extends HasMetadata> type : KINDS.values()) {
            for (HasMetadata dep : dependents(type, owner)) {
                left++;
                if (dep.getMetadata().getDeletionTimestamp() != null) continue;
                try {
                    client.resource(dep).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.valueOf(policy.toUpperCase())).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e;
                }
            }
        }
        return left;
    }

    private <T extends HasMetadata> List<T> dependents(Class<T> type, HasMetadata owner) {
        List<T> out = new ArrayList<>();
        for (T obj : informers.inNamespace(type, owner.getMetadata().getNamespace())) {
            List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
            if (refs != null && refs.stream().anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()))) out.add(obj);
        }
        return out;
    }

    private void orphanDependents(HasMetadata owner) {
        for (Class<? extends HasMetadata> type : KINDS.values()) {
            for (HasMetadata dep : dependents(type, owner)) {
                HasMetadata copy = Copies.deepCopy(dep);
                copy.getMetadata().setOwnerReferences(new ArrayList<>(copy.getMetadata().getOwnerReferences().stream()
                        .filter(r -> !owner.getMetadata().getUid().equals(r.getUid())).toList()));
                client.resource(copy).update();
            }
        }
    }

    private void removeFinalizer(String kind, HasMetadata obj, String finalizer) {
        HasMetadata copy = Copies.deepCopy(obj);
        copy.getMetadata().setFinalizers(new ArrayList<>(copy.getMetadata().getFinalizers().stream().filter(f -> !f.equals(finalizer)).toList()));
        client.resource(copy).update();
    }
}
