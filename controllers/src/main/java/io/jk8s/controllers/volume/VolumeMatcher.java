package io.jk8s.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.jk8s.controllers.runtime.Selectors;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Upstream's findMatchingVolume: which PersistentVolume a claim should bind to. A volume
 * pre-bound to the claim (claimRef) wins; otherwise the smallest Available volume with the same
 * storage class and volume mode, all requested access modes, enough capacity and labels matching
 * the claim's selector. A claim naming a volume ({@code spec.volumeName}) considers only that one.
 */
final class VolumeMatcher {

    private VolumeMatcher() {
    }

    static Optional<PersistentVolume> match(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes) {
        String wanted = claim.getSpec().getVolumeName();
        if (wanted != null && !wanted.isEmpty()) {
            return volumes.stream().filter(pv -> pv.getMetadata().getName().equals(wanted))
                    .filter(pv -> pv.getSpec().getClaimRef() == null || refersTo(pv.getSpec().getClaimRef(), claim))
                    .filter(pv -> satisfies(pv, claim, false))
                    .findFirst();
        }
        Optional<PersistentVolume> preBound = volumes.stream()
                .filter(pv -> pv.getMetadata().getDeletionTimestamp() == null)
                .filter(pv -> pv.getSpec().getClaimRef() != null && refersTo(pv.getSpec().getClaimRef(), claim))
                .filter(pv -> satisfies(pv, claim, false))
                .findFirst();
        if (preBound.isPresent()) {
            return preBound;
        }
        return volumes.stream()
                .filter(pv -> pv.getMetadata().getDeletionTimestamp() == null)
                .filter(pv -> pv.getSpec().getClaimRef() == null)
                .filter(pv -> satisfies(pv, claim, true))
                .min(Comparator.comparing(VolumeMatcher::capacity));
    }

    /** The claimRef names this claim (and, once set, its uid). */
    static boolean refersTo(ObjectReference ref, PersistentVolumeClaim claim) {
        return claim.getMetadata().getName().equals(ref.getName())
                && claim.getMetadata().getNamespace().equals(ref.getNamespace())
                && (ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid()));
    }

    private static boolean satisfies(PersistentVolume pv, PersistentVolumeClaim claim, boolean checkSelector) {
        var spec = pv.getSpec();
        var want = claim.getSpec();
        if (!Objects.requireNonNullElse(spec.getStorageClassName(), "").equals(Objects.requireNonNullElse(want.getStorageClassName(), ""))) {
            return false;
        }
        if (!Objects.requireNonNullElse(spec.getVolumeMode(), "Filesystem").equals(Objects.requireNonNullElse(want.getVolumeMode(), "Filesystem"))) {
            return false;
        }
        if (!Objects.requireNonNullElse(spec.getAccessModes(), List.<String>of())
                .containsAll(Objects.requireNonNullElse(want.getAccessModes(), List.<String>of()))) {
            return false;
        }
        if (capacity(pv).compareTo(request(claim)) < 0) {
            return false;
        }
        if (checkSelector && want.getSelector() != null && !Selectors.isEmpty(want.getSelector())) {
            return Selectors.matches(want.getSelector(), Objects.requireNonNullElse(pv.getMetadata().getLabels(), Map.of()));
        }
        return true;
    }

    static BigDecimal capacity(PersistentVolume pv) {
        Quantity q = Objects.requireNonNullElse(pv.getSpec().getCapacity(), Map.<String, Quantity>of()).get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    static BigDecimal request(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        Quantity q = resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }
}
