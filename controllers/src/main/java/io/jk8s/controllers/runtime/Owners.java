package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

import java.util.List;

/** Owner reference helpers. */
public final class Owners {

    private Owners() {
    }

    /** The owner reference with {@code controller: true}, or null. */
    public static OwnerReference controllerOf(HasMetadata obj) {
        List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
        if (refs == null) return null;
        for (OwnerReference r : refs) {
            if (Boolean.TRUE.equals(r.getController())) return r;
        }
        return null;
    }

    /**
     * The queue key ({@code namespace/name}) of the {@code ownerKind} object that controls {@code obj},
     * or null when no object of that kind controls it.
     */
    public static String controllerKey(HasMetadata obj, String ownerKind) {
        OwnerReference ref = controllerOf(obj);
        return ref != null && ownerKind.equals(ref.getKind()) ? Keys.of(obj.getMetadata().getNamespace(), ref.getName()) : null;
    }

    /** A controller reference to {@code owner}, blocking the owner's foreground deletion. */
    public static OwnerReference controllerRef(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static boolean isControlledBy(HasMetadata obj, HasMetadata owner) {
        OwnerReference r = controllerOf(obj);
        return r != null && r.getUid() != null && r.getUid().equals(owner.getMetadata().getUid());
    }

    public static boolean isDeleting(HasMetadata obj) {
        return obj.getMetadata().getDeletionTimestamp() != null;
    }
}
