package io.jk8s.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.Owners;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stable identity a StatefulSet gives each ordinal (upstream stateful_set_utils): pod name
 * {@code <set>-<ordinal>}, its labels, hostname/subdomain, and the claims
 * {@code <claim>-<set>-<ordinal>} mounted in place of the template's volumes of the same name.
 */
final class StatefulIdentity {

    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    static final String REVISION_LABEL = "controller-revision-hash";

    private StatefulIdentity() {
    }

    static String podName(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    /** The ordinal encoded in a pod's name, or -1 when the name is not {@code <set>-<n>}. */
    static int ordinalOf(StatefulSet set, Pod pod) {
        String prefix = set.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) return -1;
        String digits = name.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) return -1;
        if (digits.length() > 1 && digits.charAt(0) == '0') return -1;
        return Integer.parseInt(digits);
    }

    static String claimName(String claimTemplate, StatefulSet set, int ordinal) {
        return claimTemplate + "-" + podName(set, ordinal);
    }

    static String revisionOf(Pod pod) {
        Map<String, String> l = pod.getMetadata().getLabels();
        return l == null ? null : l.get(REVISION_LABEL);
    }

    /** A new pod for {@code ordinal} from {@code template} (the template of the revision it gets). */
    static Pod newPod(StatefulSet set, PodTemplateSpec template, String revision, int ordinal) {
        PodTemplateSpec t = Copies.deepCopy(template);
        String name = podName(set, ordinal);
        Map<String, String> labels = new LinkedHashMap<>();
        if (t.getMetadata() != null && t.getMetadata().getLabels() != null) labels.putAll(t.getMetadata().getLabels());
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        labels.put(REVISION_LABEL, revision);
        var meta = new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(t.getMetadata() == null ? null : t.getMetadata().getAnnotations())
                .withFinalizers(t.getMetadata() == null ? null : t.getMetadata().getFinalizers())
                .withOwnerReferences(Owners.controllerRef(set))
                .build();
        Pod pod = new PodBuilder().withMetadata(meta).withSpec(t.getSpec()).build();
        pod.getSpec().setHostname(name);
        String service = set.getSpec().getServiceName();
        if (service != null && !service.isEmpty()) pod.getSpec().setSubdomain(service);
        mountClaims(set, pod, ordinal);
        return pod;
    }

    /** Replaces the template's volumes named like a claim template with the ordinal's PVC. */
    private static void mountClaims(StatefulSet set, Pod pod, int ordinal) {
        List<PersistentVolumeClaim> templates = set.getSpec().getVolumeClaimTemplates();
        if (templates == null || templates.isEmpty()) return;
        List<Volume> volumes = new ArrayList<>();
        List<String> claimNames = templates.stream().map(c -> c.getMetadata().getName()).toList();
        if (pod.getSpec().getVolumes() != null) {
            for (Volume v : pod.getSpec().getVolumes()) if (!claimNames.contains(v.getName())) volumes.add(v);
        }
        for (String claim : claimNames) {
            volumes.add(new VolumeBuilder().withName(claim).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(claim, set, ordinal)).endPersistentVolumeClaim().build());
        }
        pod.getSpec().setVolumes(volumes);
    }

    /** The PVC of {@code template} for {@code ordinal}: labelled with the set's selector, as upstream. */
    static PersistentVolumeClaim newClaim(StatefulSet set, PersistentVolumeClaim template, int ordinal, boolean ownedBySet) {
        PersistentVolumeClaim t = Copies.deepCopy(template);
        Map<String, String> labels = new LinkedHashMap<>();
        if (t.getMetadata().getLabels() != null) labels.putAll(t.getMetadata().getLabels());
        if (set.getSpec().getSelector() != null && set.getSpec().getSelector().getMatchLabels() != null) {
            labels.putAll(set.getSpec().getSelector().getMatchLabels());
        }
        var meta = new ObjectMetaBuilder()
                .withName(claimName(t.getMetadata().getName(), set, ordinal))
                .withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(t.getMetadata().getAnnotations());
        if (ownedBySet) {
            var ref = Owners.controllerRef(set);
            ref.setController(null);
            ref.setBlockOwnerDeletion(null);
            meta.withOwnerReferences(ref);
        }
        return new PersistentVolumeClaimBuilder().withMetadata(meta.build()).withSpec(t.getSpec()).build();
    }
}
