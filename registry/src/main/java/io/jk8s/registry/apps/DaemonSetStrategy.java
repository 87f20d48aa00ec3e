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

/** apps/v1 DaemonSets. */
public final class DaemonSetStrategy extends BaseStrategy {

    static final List<String> UPDATE_TYPES = List.of("OnDelete", "RollingUpdate");
    /** apps/v1 exposes the internal templateGeneration counter as this annotation. */
    public static final String TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

    public DaemonSetStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        super.prepareForCreate(obj);
        Json.obj(Json.obj(obj, "metadata"), "annotations").put(TEMPLATE_GENERATION, "1");
    }

    /** Keeps status and bumps the template generation when the pod template changes. */
    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForUpdate(obj, old);
        Long stored = Json.parseDigits(Json.text(old, "metadata", "annotations", TEMPLATE_GENERATION));
        long generation = stored == null || stored == Long.MAX_VALUE ? 1 : stored;
        if (!Json.same(Json.at(obj, "spec", "template"), Json.at(old, "spec", "template"))) {
            generation++;
        }
        Json.obj(Json.obj(obj, "metadata"), "annotations").put(TEMPLATE_GENERATION, String.valueOf(generation));
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        ObjectNode update = Json.obj(spec, "updateStrategy");
        Json.defaultStr(update, "type", "RollingUpdate");
        if ("RollingUpdate".equals(Json.text(update, "type"))) {
            ObjectNode rolling = Json.obj(update, "rollingUpdate");
            if (Json.missing(rolling, "maxUnavailable")) {
                rolling.put("maxUnavailable", 1);
            }
            if (Json.missing(rolling, "maxSurge")) {
                rolling.put("maxSurge", 0);
            }
        }
        Json.defaultLong(spec, "revisionHistoryLimit", 10);
        PodSpecDefaults.applyToTemplate(Json.obj(spec, "template"));
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode spec = obj.path("spec");
        WorkloadRules.validateSelectorAndTemplate(spec, "spec", "template", WorkloadRules.ALWAYS, "daemonset", errs);
        errs.nonNegative("spec.minReadySeconds", Json.longOrNull(spec, "minReadySeconds"));
        errs.nonNegative("spec.revisionHistoryLimit", Json.longOrNull(spec, "revisionHistoryLimit"));
        JsonNode update = spec.path("updateStrategy");
        String type = Json.text(update, "type");
        if (!UPDATE_TYPES.contains(type)) {
            errs.notSupported("spec.updateStrategy.type", type, UPDATE_TYPES);
        } else if (type.equals("RollingUpdate")) {
            JsonNode rolling = update.path("rollingUpdate");
            String base = "spec.updateStrategy.rollingUpdate.";
            WorkloadRules.validateIntOrPercent(rolling.get("maxUnavailable"), base + "maxUnavailable", true, errs);
            WorkloadRules.validateIntOrPercent(rolling.get("maxSurge"), base + "maxSurge", true, errs);
            if (WorkloadRules.isZero(rolling.get("maxUnavailable")) && WorkloadRules.isZero(rolling.get("maxSurge"))) {
                errs.invalid(base + "maxUnavailable", Json.text(rolling, "maxUnavailable"), "cannot be 0 when maxSurge is 0");
            }
        }
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
                Columns.integer("Desired", "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod)."),
                Columns.integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
                Columns.integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition."),
                Columns.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
                Columns.integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)"),
                Columns.str("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
                Columns.age(), Columns.containers(), Columns.images(),
                Columns.wide("Selector", "A label query over pods that are managed by the daemon set."));
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        JsonNode podSpec = Json.at(spec, "template", "spec");
        return List.of(Rows.name(obj),
                Json.longOr(status, 0, "desiredNumberScheduled"),
                Json.longOr(status, 0, "currentNumberScheduled"),
                Json.longOr(status, 0, "numberReady"),
                Json.longOr(status, 0, "updatedNumberScheduled"),
                Json.longOr(status, 0, "numberAvailable"),
                Selectors.formatLabels(podSpec.get("nodeSelector")),
                Rows.age(obj, now),
                Rows.containerNames(podSpec), Rows.containerImages(podSpec),
                Selectors.formatLabelSelector(spec.get("selector")));
    }
}
