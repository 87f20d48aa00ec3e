package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.api.selector.LabelSelector;
import io.jk8s.apiserver.json.Json;
import io.jk8s.registry.KindStrategy;

import java.time.Clock;
import java.util.List;

/** {@code /scale}, {@code pods/binding} and {@code pods/eviction}: variants over {@link ResourceStorage}. */
public final class Subresources {

    private final ResourceStorage storage;
    private final Clock clock;

    public Subresources(ResourceStorage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** The autoscaling/v1 Scale view of a workload. */
    public static ObjectNode scaleOf(ObjectNode obj) {
        ObjectNode scale = Json.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode m = scale.putObject("metadata");
        JsonNode om = obj.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (om.has(f)) m.set(f, om.get(f));
        }
        scale.putObject("spec").put("replicas", obj.path("spec").path("replicas").asInt(1));
        ObjectNode status = scale.putObject("status");
        status.put("replicas", obj.path("status").path("replicas").asInt(0));
        String sel = obj.path("spec").path("selector").isObject() ? LabelSelector.fromJson(obj.path("spec").path("selector")).toString() : "";
        if (!sel.isEmpty()) status.put("selector", sel);
        return scale;
    }

    public ObjectNode getScale(KindStrategy s, String ns, String name) {
        return scaleOf(storage.get(s, ns, name, false));
    }

    public ObjectNode updateScale(KindStrategy s, String ns, String name, ObjectNode scale, boolean dryRun) {
        ResourceType t = s.type();
        JsonNode replicas = scale.path("spec").path("replicas");
        String rv = Json.text(scale.path("metadata"), "resourceVersion");
        ObjectNode out = storage.patchWith(s, ns, name, current -> {
            if (rv != null && !rv.isEmpty()) Json.meta(current).put("resourceVersion", rv);
            setReplicas(t, name, current, replicas);
            return current;
        }, ResourceStorage.Part.MAIN, dryRun);
        return scaleOf(out);
    }

    public ObjectNode patchScale(KindStrategy s, String ns, String name, PatchType type, JsonNode patch, boolean dryRun) {
        ResourceType t = s.type();
        ObjectNode out = storage.patchWith(s, ns, name, current -> {
            ObjectNode patched = ResourceStorage.applyPatch(type, scaleOf(current), patch, io.fabric8.kubernetes.api.model.autoscaling.v1.Scale.class);
            String rv = Json.text(patched.path("metadata"), "resourceVersion");
            if (rv != null && !rv.isEmpty()) Json.meta(current).put("resourceVersion", rv);
            setReplicas(t, name, current, patched.path("spec").path("replicas"));
            return current;
        }, ResourceStorage.Part.MAIN, dryRun);
        return scaleOf(out);
    }

    private static void setReplicas(ResourceType t, String name, ObjectNode obj, JsonNode replicas) {
        if (!replicas.canConvertToInt() || replicas.asInt() < 0 || !replicas.isIntegralNumber()) {
            throw ApiException.invalid("autoscaling", "Scale", name, List.of(FieldError.invalid("spec.replicas",
                    replicas.isMissingNode() ? null : replicas.toString(), "must be greater than or equal to 0")));
        }
        ObjectNode spec = obj.has("spec") && obj.get("spec").isObject() ? (ObjectNode) obj.get("spec") : obj.putObject("spec");
        spec.put("replicas", replicas.asInt());
    }

    /** pods/binding: sets spec.nodeName once and marks the pod scheduled. */
    public void bind(KindStrategy pods, String ns, String name, ObjectNode binding) {
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            throw ApiException.invalid("", "Binding", name, List.of(FieldError.required("target.name", "")));
        }
        ResourceType t = pods.type();
        storage.mutate(t, ns, name, pod -> {
            String current = pod.path("spec").path("nodeName").asText("");
            if (!current.isEmpty()) {
                throw ApiException.conflict("", "pods/binding", name, "pod " + name + " is already assigned to node \"" + current + "\"");
            }
            if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
                throw ApiException.conflict("", "pods/binding", name, "pod " + name + " is being deleted, cannot be assigned to a host");
            }
            ((ObjectNode) pod.path("spec")).put("nodeName", node);
            ObjectNode status = pod.has("status") && pod.get("status").isObject() ? (ObjectNode) pod.get("status") : pod.putObject("status");
            ArrayNode conds = status.has("conditions") && status.get("conditions").isArray()
                    ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
            for (int i = conds.size() - 1; i >= 0; i--) {
                if ("PodScheduled".equals(conds.get(i).path("type").asText())) conds.remove(i);
            }
            conds.addObject().put("type", "PodScheduled").put("status", "True")
                    .putNull("lastProbeTime").put("lastTransitionTime", Json.time(clock.instant()));
            return pod;
        });
    }

    /** pods/eviction: deletes the pod (PodDisruptionBudgets are not consulted yet). */
    public void evict(KindStrategy pods, String ns, String name, ObjectNode eviction, boolean dryRun) {
        DeleteOptions opts = DeleteOptions.from(eviction.path("deleteOptions"), null, null, dryRun);
        storage.delete(pods, ns, name, opts);
    }
}
