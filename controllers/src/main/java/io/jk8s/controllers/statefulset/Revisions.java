package io.jk8s.controllers.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.jk8s.controllers.deployment.TemplateHash;
import io.jk8s.controllers.runtime.Owners;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ControllerRevisions of a StatefulSet (upstream history package): each holds the pod template as
 * the patch {@code {"spec":{"template":{..., "$patch":"replace"}}}}, is named
 * {@code <set>-<hash>} and numbered by {@code revision}; the name is the pods'
 * {@code controller-revision-hash}.
 */
final class Revisions {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Revisions() {
    }

    static String name(StatefulSet set, Integer collisionCount) {
        return set.getMetadata().getName() + "-" + TemplateHash.of(set.getSpec().getTemplate(), collisionCount);
    }

    /** The revision that would record the set's current template (not yet stored). */
    static ControllerRevision forSet(StatefulSet set, long number, Integer collisionCount) {
        Map<String, Object> template = SERIALIZATION.convertValue(set.getSpec().getTemplate(), Map.class);
        Map<String, Object> withReplace = new LinkedHashMap<>(template);
        withReplace.put("$patch", "replace");
        Map<String, String> labels = set.getSpec().getSelector() == null || set.getSpec().getSelector().getMatchLabels() == null
                ? Map.of() : set.getSpec().getSelector().getMatchLabels();
        ControllerRevision r = new ControllerRevision();
        r.setApiVersion("apps/v1");
        r.setKind("ControllerRevision");
        r.setMetadata(new ObjectMetaBuilder().withName(name(set, collisionCount)).withNamespace(set.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(labels)).withOwnerReferences(Owners.controllerRef(set)).build());
        r.setData(Map.of("spec", Map.of("template", withReplace)));
        r.setRevision(number);
        return r;
    }

    /** The pod template a revision records. */
    @SuppressWarnings("unchecked")
    static PodTemplateSpec template(ControllerRevision r) {
        Map<String, Object> data = SERIALIZATION.convertValue(r.getData(), Map.class);
        Map<String, Object> spec = (Map<String, Object>) data.get("spec");
        Map<String, Object> t = new LinkedHashMap<>((Map<String, Object>) spec.get("template"));
        t.remove("$patch");
        return SERIALIZATION.convertValue(t, PodTemplateSpec.class);
    }

    /** Whether two revisions record the same template (map order and the replace marker aside). */
    static boolean sameTemplate(ControllerRevision a, ControllerRevision b) {
        return TemplateHash.of(template(a), null).equals(TemplateHash.of(template(b), null));
    }

    static long maxNumber(List<ControllerRevision> revisions) {
        return revisions.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0);
    }

    static final Comparator<ControllerRevision> OLDEST_FIRST =
            Comparator.comparingLong((ControllerRevision r) -> r.getRevision() == null ? 0 : r.getRevision())
                    .thenComparing(r -> r.getMetadata().getName());
}
