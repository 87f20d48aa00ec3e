package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Pods: defaults (including what upstream's admission plugins add: priority, default service account,
 * not-ready/unreachable tolerations), spec validation, the narrow set of mutable spec fields, and
 * kubectl's STATUS column.
 */
public final class PodStrategy extends BaseStrategy {

    static final String IMMUTABLE_SPEC = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
    static final int DEFAULT_TOLERATION_SECONDS = 300;

    public PodStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    /** A new pod starts Pending; its QoS class is filled in once requests are defaulted. */
    @Override
    public void prepareForCreate(ObjectNode obj) {
        ObjectNode status = obj.putObject("status");
        status.put("phase", "Pending");
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        PodSpecDefaults.applyToSpec(spec);
        for (ObjectNode c : Json.objects(spec.get("containers"))) {
            copyLimitsToRequests(c);
        }
        for (ObjectNode c : Json.objects(spec.get("initContainers"))) {
            copyLimitsToRequests(c);
        }
        // ServiceAccount admission
        Json.defaultStr(spec, "serviceAccountName", "default");
        spec.put("serviceAccount", spec.get("serviceAccountName").asText());
        // Priority admission (no priorityClassName: the global default of 0)
        if (Json.missing(spec, "priority") && Json.text(spec, "priorityClassName").isEmpty()) {
            spec.put("priority", 0);
        }
        Json.defaultStr(spec, "preemptionPolicy", "PreemptLowerPriority");
        addDefaultTolerations(spec);
        if (obj.get("status") instanceof ObjectNode status && Json.missing(status, "qosClass")) {
            status.put("qosClass", QosClass.of(spec));
        }
    }

    /** Upstream's {@code SetDefaults_Pod}: a limit without a request implies an equal request. */
    private static void copyLimitsToRequests(ObjectNode container) {
        ObjectNode resources = Json.obj(container, "resources");
        Map<String, String> limits = Json.stringMap(resources.get("limits"));
        if (limits.isEmpty()) {
            return;
        }
        ObjectNode requests = Json.obj(resources, "requests");
        limits.forEach((k, v) -> {
            if (Json.missing(requests, k)) {
                requests.put(k, v);
            }
        });
    }

    /** DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 300s unless the pod says otherwise. */
    private static void addDefaultTolerations(ObjectNode spec) {
        ArrayNode tolerations = Json.arr(spec, "tolerations");
        for (String key : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            boolean covered = false;
            for (JsonNode t : tolerations) {
                String effect = Json.text(t, "effect");
                if ((effect.isEmpty() || effect.equals("NoExecute")) && (Json.text(t, "key").equals(key)
                        || (Json.text(t, "key").isEmpty() && "Exists".equals(Json.text(t, "operator"))))) {
                    covered = true;
                }
            }
            if (!covered) {
                ObjectNode t = tolerations.addObject();
                t.put("key", key);
                t.put("operator", "Exists");
                t.put("effect", "NoExecute");
                t.put("tolerationSeconds", DEFAULT_TOLERATION_SECONDS);
            }
        }
    }

    @Override
    protected void resetMetadataOnStatusUpdate(ObjectNode meta, ObjectNode oldMeta) {
        // kubelets may not rewrite owner references through /status (upstream keeps labels changeable)
        Json.copyField(meta, oldMeta, "ownerReferences");
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        PodSpecValidator.validate(obj.path("spec"), "spec", PodSpecValidator.ALL_RESTART_POLICIES, errs);
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        if (!(oldSpec instanceof ObjectNode oldSpecObj)) {
            return;
        }
        ObjectNode mutable = oldSpecObj.deepCopy();
        if (!copyImages(spec, mutable, "containers") || !copyImages(spec, mutable, "initContainers")) {
            errs.forbidden("spec", IMMUTABLE_SPEC);
            return;
        }
        Json.copyField(mutable, spec, "activeDeadlineSeconds");
        Long oldGrace = Json.longOrNull(oldSpec, "terminationGracePeriodSeconds");
        if (oldGrace != null && oldGrace < 0 && Json.longOr(spec, 0, "terminationGracePeriodSeconds") == 1) {
            mutable.put("terminationGracePeriodSeconds", 1);
        }
        // tolerations may only grow
        if (containsAll(spec.get("tolerations"), oldSpec.get("tolerations"))) {
            Json.copyField(mutable, spec, "tolerations");
        }
        // scheduling gates may only be removed
        if (containsAll(oldSpec.get("schedulingGates"), spec.get("schedulingGates"))) {
            Json.copyField(mutable, spec, "schedulingGates");
        }
        if (!Json.same(mutable, spec)) {
            errs.forbidden("spec", IMMUTABLE_SPEC);
        }
    }

    private static boolean copyImages(JsonNode from, ObjectNode to, String list) {
        List<ObjectNode> src = Json.objects(from.get(list));
        List<ObjectNode> dst = Json.objects(to.get(list));
        if (src.size() != dst.size()) {
            return false;
        }
        for (int i = 0; i < src.size(); i++) {
            Json.copyField(dst.get(i), src.get(i), "image");
        }
        return true;
    }

    private static boolean containsAll(JsonNode bigger, JsonNode smaller) {
        for (JsonNode e : Json.objects(smaller)) {
            boolean found = false;
            for (JsonNode b : Json.objects(bigger)) {
                if (Json.same(b, e)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        f.put("spec.nodeName", Json.text(spec, "nodeName"));
        f.put("spec.restartPolicy", Json.text(spec, "restartPolicy"));
        f.put("spec.schedulerName", Json.text(spec, "schedulerName"));
        f.put("spec.serviceAccountName", Json.text(spec, "serviceAccountName"));
        f.put("spec.hostNetwork", String.valueOf(PodSpecDefaults.hostNetwork(spec)));
        f.put("status.phase", Json.text(status, "phase"));
        f.put("status.podIP", PodPrinter.podIp(status));
        f.put("status.nominatedNodeName", Json.text(status, "nominatedNodeName"));
    }

    @Override
    public List<TableColumn> columns() {
        return PodPrinter.COLUMNS;
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return PodPrinter.row(obj, now);
    }
}
