package io.jk8s.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;
import io.jk8s.controllers.runtime.SyncResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Binds PersistentVolumeClaims to PersistentVolumes (upstream's persistentvolume-binder, static
 * provisioning only): a Pending claim gets the best-matching Available volume
 * ({@link VolumeMatcher}); the volume's {@code claimRef} is written first, so two claims racing for
 * one volume are decided by the API's optimistic concurrency. Volumes move Available → Bound →
 * Released when their claim goes; reclaim policy Retain keeps them Released, Delete marks them
 * Failed because jk8s never deletes hostPath/local data.
 *
 * <p>Keys: {@code pvc:<namespace>/<name>} and {@code pv:<name>}.
 */
public final class PersistentVolumeBinderController extends Controller {

    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    private static final String CLAIM = "pvc:";
    private static final String VOLUME = "pv:";

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;

    public PersistentVolumeBinderController(ControllerContext ctx) {
        super("persistentvolume-binder");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
    }

    @Override
    public void register(Informers inf) {
        inf.on(PersistentVolumeClaim.class, c -> enqueue(CLAIM + Keys.of(c)), (o, n) -> enqueue(CLAIM + Keys.of(n)), c -> {
            String pv = c.getSpec() == null ? null : c.getSpec().getVolumeName();
            if (pv != null && !pv.isEmpty()) {
                enqueue(VOLUME + pv); // the volume is released
            }
        });
        inf.on(PersistentVolume.class, this::volumeChanged, (o, n) -> volumeChanged(n), pv -> pendingClaimsAgain());
    }

    private void volumeChanged(PersistentVolume pv) {
        enqueue(VOLUME + pv.getMetadata().getName());
        pendingClaimsAgain(); // a volume appeared or was freed: pending claims may fit now
    }

    private void pendingClaimsAgain() {
        for (PersistentVolumeClaim c : informers.of(PersistentVolumeClaim.class).getStore().list()) {
            if (c.getStatus() == null || !"Bound".equals(c.getStatus().getPhase())) {
                enqueue(CLAIM + Keys.of(c));
            }
        }
    }

    @Override
    protected SyncResult sync(String key) {
        if (key.startsWith(CLAIM)) {
            syncClaim(key.substring(CLAIM.length()));
        } else if (key.startsWith(VOLUME)) {
            syncVolume(key.substring(VOLUME.length()));
        }
        return SyncResult.done();
    }

    private void syncClaim(String key) {
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, key);
        if (claim == null || claim.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String volumeName = claim.getSpec().getVolumeName();
        boolean named = volumeName != null && !volumeName.isEmpty();
        PersistentVolume pv;
        if (named) {
            pv = informers.get(PersistentVolume.class, volumeName);
            if (pv == null) {
                // A bound claim whose volume vanished is Lost; a pre-bound one waits for its volume.
                claimPhase(claim, "Bound".equals(phase(claim)) || "Lost".equals(phase(claim)) ? "Lost" : "Pending");
                return;
            }
            if (pv.getSpec().getClaimRef() != null && !VolumeMatcher.refersTo(pv.getSpec().getClaimRef(), claim)) {
                claimPhase(claim, "Bound".equals(phase(claim)) ? "Lost" : "Pending");
                events.warning(claim, "FailedBinding", "volume \"" + volumeName + "\" already bound to a different claim.");
                return;
            }
            if (VolumeMatcher.match(claim, java.util.List.of(pv)).isEmpty() && pv.getSpec().getClaimRef() == null) {
                claimPhase(claim, "Pending");
                events.warning(claim, "VolumeMismatch", "Cannot bind to requested volume \"" + volumeName
                        + "\": it does not satisfy the claim (storage class, access modes, volume mode or size)");
                return;
            }
        } else {
            var found = VolumeMatcher.match(claim, informers.of(PersistentVolume.class).getStore().list());
            if (found.isEmpty()) {
                claimPhase(claim, "Pending");
                String cls = Objects.requireNonNullElse(claim.getSpec().getStorageClassName(), "");
                events.normal(claim, "FailedBinding", cls.isEmpty()
                        ? "no persistent volumes available for this claim and no storage class is set"
                        : "no persistent volumes available for this claim with storage class \"" + cls + "\"");
                return;
            }
            pv = found.get();
        }
        bind(pv, claim, !named);
    }

    /** The volume's claimRef first (the contended step), then its phase, then the claim's name and phase. */
    private void bind(PersistentVolume pv, PersistentVolumeClaim claim, boolean byController) {
        var ref = pv.getSpec().getClaimRef();
        if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
            PersistentVolumeBuilder updated = new PersistentVolumeBuilder(pv).editSpec()
                    .withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                            .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                            .withUid(claim.getMetadata().getUid())
                            .withResourceVersion(claim.getMetadata().getResourceVersion()).build())
                    .endSpec();
            if (ref == null) {
                updated.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            pv = client.persistentVolumes().resource(updated.build()).update();
        }
        volumePhase(pv, "Bound", null);
        if (!pv.getMetadata().getName().equals(claim.getSpec().getVolumeName())
                || !"yes".equals(annotation(claim, BIND_COMPLETED))) {
            PersistentVolumeClaimBuilder updated = new PersistentVolumeClaimBuilder(claim).editSpec()
                    .withVolumeName(pv.getMetadata().getName()).endSpec()
                    .editMetadata().addToAnnotations(BIND_COMPLETED, "yes").endMetadata();
            if (byController) {
                updated.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            claim = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
                    .resource(updated.build()).update();
        }
        if (!"Bound".equals(phase(claim))) {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("phase", "Bound");
            status.put("accessModes", pv.getSpec().getAccessModes());
            status.put("capacity", pv.getSpec().getCapacity());
            patchStatus(claim, status);
            log.info("bound claim {} to volume {}", Keys.of(claim), pv.getMetadata().getName());
        }
    }

    private void syncVolume(String name) {
        PersistentVolume pv = informers.get(PersistentVolume.class, name);
        if (pv == null || pv.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        var ref = pv.getSpec().getClaimRef();
        if (ref == null) {
            volumePhase(pv, "Available", null);
            return;
        }
        if (ref.getUid() == null || ref.getUid().isEmpty()) {
            volumePhase(pv, "Available", null); // pre-bound by the user: waits for its claim
            enqueue(CLAIM + Keys.of(ref.getNamespace(), ref.getName()));
            return;
        }
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, Keys.of(ref.getNamespace(), ref.getName()));
        if (claim != null && ref.getUid().equals(claim.getMetadata().getUid())) {
            if (name.equals(claim.getSpec().getVolumeName())) {
                volumePhase(pv, "Bound", null);
            }
            enqueue(CLAIM + Keys.of(claim)); // finish the claim's side if a bind was interrupted
            return;
        }
        // The claim is gone: release per the reclaim policy.
        String policy = Objects.requireNonNullElse(pv.getSpec().getPersistentVolumeReclaimPolicy(), "Retain");
        switch (policy) {
            case "Delete" -> {
                String message = "jk8s does not delete the data of hostPath/local volumes; delete the volume's"
                        + " data and the PersistentVolume yourself";
                if (!"Failed".equals(phase(pv))) {
                    events.warning(pv, "VolumeFailedDelete", message);
                }
                volumePhase(pv, "Failed", message);
            }
            case "Recycle" -> volumePhase(pv, "Failed", "Recycle is not supported (deprecated upstream); use Retain or Delete");
            default -> volumePhase(pv, "Released", null);
        }
    }

    private void volumePhase(PersistentVolume pv, String phase, String message) {
        if (phase.equals(phase(pv)) && Objects.equals(message, pv.getStatus() == null ? null : pv.getStatus().getMessage())) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase);
        status.put("message", message); // null clears an old message
        client.persistentVolumes().withName(pv.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }

    private void claimPhase(PersistentVolumeClaim claim, String phase) {
        if (!phase.equals(phase(claim))) {
            patchStatus(claim, Map.of("phase", phase));
        }
    }

    private void patchStatus(PersistentVolumeClaim claim, Map<String, Object> status) {
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("status", status)));
    }

    private static String phase(PersistentVolumeClaim c) {
        return c.getStatus() == null ? null : c.getStatus().getPhase();
    }

    private static String phase(PersistentVolume pv) {
        return pv.getStatus() == null ? null : pv.getStatus().getPhase();
    }

    private static String annotation(PersistentVolumeClaim c, String key) {
        return c.getMetadata().getAnnotations() == null ? null : c.getMetadata().getAnnotations().get(key);
    }
}
