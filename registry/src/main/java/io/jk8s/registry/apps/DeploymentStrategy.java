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
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Instant;
import java.util.List;

/** apps/v1 Deployments: upstream defaults, strategy and selector validation, immutable selector. */
public final class DeploymentStrategy extends BaseStrategy {

    static final List<String> STRATEGY_TYPES = List.of("Recreate", "RollingUpdate");

    public DeploymentStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        Json.defaultLong(spec, "replicas", 1);
        ObjectNode strategy = Json.obj(spec, "strategy");
        Json.defaultStr(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(Json.text(strategy, "type"))) {
            ObjectNode rolling = Json.obj(strategy, "rollingUpdate");
            if (Json.missing(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", "25%");
            }
            if (Json.missing(rolling, "maxSurge")) {
                rolling.put("maxSurge", "25%");
            }
        }
        Json.defaultLong(spec, "revisionHistoryLimit", 10);
        Json.defaultLong(spec, "progressDeadlineSeconds", 600);
        PodSpecDefaults.applyToTemplate(Json.obj(spec, "template"));
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode spec = obj.path("spec");
        WorkloadRules.validateReplicas(spec, "spec.replicas", errs);
        WorkloadRules.validateSelectorAndTemplate(spec, "spec", "template", WorkloadRules.ALWAYS, "deployment", errs);
        validateStrategy(spec.path("strategy"), errs);
        long minReady = Json.longOr(spec, 0, "minReadySeconds");
        errs.nonNegative("spec.minReadySeconds", minReady);
        errs.nonNegative("spec.revisionHistoryLimit", Json.longOrNull(spec, "revisionHistoryLimit"));
        Long deadline = Json.longOrNull(spec, "progressDeadlineSeconds");
        if (deadline != null) {
            errs.nonNegative("spec.progressDeadlineSeconds", deadline);
            if (deadline <= minReady) {
                errs.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds");
            }
        }
    }

    private static void validateStrategy(JsonNode strategy, Errors errs) {
        String type = Json.text(strategy, "type");
        switch (type) {
            case "Recreate" -> {
                if (Json.has(strategy, "rollingUpdate")) {
                    errs.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
                }
            }
            case "RollingUpdate" -> {
                JsonNode rolling = strategy.path("rollingUpdate");
                WorkloadRules.validateIntOrPercent(rolling.get("maxUnavailable"), "spec.strategy.rollingUpdate.maxUnavailable", true, errs);
                WorkloadRules.validateIntOrPercent(rolling.get("maxSurge"), "spec.strategy.rollingUpdate.maxSurge", false, errs);
                if (WorkloadRules.isZero(rolling.get("maxUnavailable")) && WorkloadRules.isZero(rolling.get("maxSurge"))) {
                    JsonNode v = rolling.get("maxUnavailable");
                    errs.invalid("spec.strategy.rollingUpdate.maxUnavailable", v != null && v.isTextual() ? v.asText() : (Object) 0L,
                            "may not be 0 when `maxSurge` is 0");
                }
            }
            default -> errs.notSupported("spec.strategy", type, STRATEGY_TYPES);
        }
    }

    @Override
    protected void resetMetadataOnStatusUpdate(ObjectNode meta, ObjectNode oldMeta) {
        Json.copyField(meta, oldMeta, "labels");
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        WorkloadRules.selectorImmutable(obj.path("spec"), old.path("spec"), "spec.selector", errs);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(),
                Columns.str("Ready", "Number of the pod with ready state"),
                Columns.integer("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                Columns.integer("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                Columns.age(), Columns.containers(), Columns.images(),
                Columns.wide("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment."));
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        JsonNode podSpec = Json.at(spec, "template", "spec");
        return List.of(Rows.name(obj),
                Json.longOr(status, 0, "readyReplicas") + "/" + Json.longOr(spec, 0, "replicas"),
                Json.longOr(status, 0, "updatedReplicas"),
                Json.longOr(status, 0, "availableReplicas"),
                Rows.age(obj, now),
                Rows.containerNames(podSpec), Rows.containerImages(podSpec),
                Selectors.formatLabelSelector(spec.get("selector")));
    }
}
