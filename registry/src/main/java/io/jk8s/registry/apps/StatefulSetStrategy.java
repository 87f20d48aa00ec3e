package io.jk8s.registry.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.core.PodSpecDefaults;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.List;

/** apps/v1 StatefulSets: defaults, validation, and the short list of spec fields that may change. */
public final class StatefulSetStrategy extends BaseStrategy {

    static final List<String> MUTABLE_SPEC = List.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
    static final String FORBIDDEN_UPDATE = "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
            + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
    static final List<String> RETENTION = List.of("Retain", "Delete");

    public StatefulSetStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        Json.defaultStr(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode update = Json.obj(spec, "updateStrategy");
        if (Json.text(update, "type").isEmpty()) {
            update.put("type", "RollingUpdate");
            Json.defaultObj(update, "rollingUpdate");
        }
        if ("RollingUpdate".equals(Json.text(update, "type")) && update.get("rollingUpdate") instanceof ObjectNode rolling) {
            Json.defaultLong(rolling, "partition", 0);
        }
        ObjectNode retention = Json.obj(spec, "persistentVolumeClaimRetentionPolicy");
        Json.defaultStr(retention, "whenDeleted", "Retain");
        Json.defaultStr(retention, "whenScaled", "Retain");
        Json.defaultLong(spec, "replicas", 1);
        Json.defaultLong(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyToTemplate(Json.obj(spec, "template"));
        for (ObjectNode pvc : Json.objects(spec.get("volumeClaimTemplates"))) {
            pvc.put("apiVersion", "v1");
            pvc.put("kind", "PersistentVolumeClaim");
            Json.defaultStr(Json.obj(pvc, "spec"), "volumeMode", "Filesystem");
            Json.defaultStr(Json.obj(pvc, "status"), "phase", "Pending");
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode spec = obj.path("spec");
        String policy = Json.text(spec, "podManagementPolicy");
        if (!policy.equals("OrderedReady") && !policy.equals("Parallel")) {
            errs.invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'");
        }
        JsonNode update = spec.path("updateStrategy");
        switch (Json.text(update, "type")) {
            case "" -> errs.required("spec.updateStrategy");
            case "OnDelete" -> {
                if (Json.has(update, "rollingUpdate")) {
                    errs.invalid("spec.updateStrategy.rollingUpdate", "RollingUpdate", "only allowed for updateStrategy 'RollingUpdate'");
                }
            }
            case "RollingUpdate" -> {
                errs.nonNegative("spec.updateStrategy.rollingUpdate.partition", Json.longOrNull(update, "rollingUpdate", "partition"));
                WorkloadRules.validateIntOrPercent(Json.at(update, "rollingUpdate", "maxUnavailable"),
                        "spec.updateStrategy.rollingUpdate.maxUnavailable", true, errs);
            }
            default -> errs.invalid("spec.updateStrategy", Json.text(update, "type"), "must be 'RollingUpdate' or 'OnDelete'");
        }
        JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
        for (String when : List.of("whenDeleted", "whenScaled")) {
            String v = Json.str(retention, when);
            if (v != null) {
                errs.oneOf("spec.persistentVolumeClaimRetentionPolicy." + when, v, RETENTION);
            }
        }
        WorkloadRules.validateReplicas(spec, "spec.replicas", errs);
        errs.nonNegative("spec.minReadySeconds", Json.longOrNull(spec, "minReadySeconds"));
        errs.nonNegative("spec.ordinals.start", Json.longOrNull(spec, "ordinals", "start"));
        WorkloadRules.validateSelectorAndTemplate(spec, "spec", "template", WorkloadRules.ALWAYS, "statefulset", errs);
        List<ObjectNode> claims = Json.objects(spec.get("volumeClaimTemplates"));
        for (int i = 0; i < claims.size(); i++) {
            String name = Json.text(claims.get(i), "metadata", "name");
            if (name.isEmpty()) {
                errs.required("spec.volumeClaimTemplates[" + i + "].metadata.name", "name or generateName is required");
            } else {
                errs.invalidEach("spec.volumeClaimTemplates[" + i + "].metadata.name", name, NameRules.dns1123Subdomain(name));
            }
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        ObjectNode spec = obj.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.object();
        ObjectNode oldSpec = old.path("spec") instanceof ObjectNode s ? s.deepCopy() : Json.object();
        for (String mutable : MUTABLE_SPEC) {
            spec.remove(mutable);
            oldSpec.remove(mutable);
        }
        if (!Json.same(spec, oldSpec)) {
            errs.forbidden("spec", FORBIDDEN_UPDATE);
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(), Columns.str("Ready", "Number of the pod with ready state"), Columns.age(),
                Columns.containers(), Columns.images());
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode podSpec = Json.at(spec, "template", "spec");
        return List.of(Rows.name(obj),
                Json.longOr(obj, 0, "status", "readyReplicas") + "/" + Json.longOr(spec, 0, "replicas"),
                Rows.age(obj, now), Rows.containerNames(podSpec), Rows.containerImages(podSpec));
    }
}
