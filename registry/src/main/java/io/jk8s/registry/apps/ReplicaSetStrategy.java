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
import java.util.Map;

/**
 * apps/v1 ReplicaSets, and core/v1 ReplicationControllers (whose selector is a plain map that defaults
 * to the template labels).
 */
public final class ReplicaSetStrategy extends BaseStrategy {

    private final boolean replicationController;

    public ReplicaSetStrategy(ResourceType type, boolean replicationController) {
        super(type, NameRules.SUBDOMAIN_NAME);
        this.replicationController = replicationController;
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        Json.defaultLong(spec, "replicas", 1);
        ObjectNode template = Json.obj(spec, "template");
        PodSpecDefaults.applyToTemplate(template);
        if (replicationController) {
            JsonNode templateLabels = Json.at(template, "metadata", "labels");
            if (Json.size(spec.get("selector")) == 0 && Json.size(templateLabels) > 0) {
                spec.set("selector", templateLabels.deepCopy());
            }
            ObjectNode meta = Json.obj(obj, "metadata");
            if (Json.size(meta.get("labels")) == 0 && Json.size(templateLabels) > 0) {
                meta.set("labels", templateLabels.deepCopy());
            }
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode spec = obj.path("spec");
        WorkloadRules.validateReplicas(spec, "spec.replicas", errs);
        errs.nonNegative("spec.minReadySeconds", Json.longOrNull(spec, "minReadySeconds"));
        if (replicationController) {
            Map<String, String> selector = Json.stringMap(spec.get("selector"));
            if (selector.isEmpty()) {
                errs.required("spec.selector");
            }
            ObjectNode asLabelSelector = Json.object();
            asLabelSelector.set("matchLabels", spec.path("selector").deepCopy());
            WorkloadRules.validateTemplate(spec.path("template"), selector.isEmpty() ? null : asLabelSelector,
                    "spec.template", WorkloadRules.ALWAYS, errs);
        } else {
            WorkloadRules.validateSelectorAndTemplate(spec, "spec", "template", WorkloadRules.ALWAYS, "deployment", errs);
        }
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        if (!replicationController) {
            WorkloadRules.selectorImmutable(obj.path("spec"), old.path("spec"), "spec.selector", errs);
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        f.put("status.replicas", String.valueOf(Json.longOr(obj, 0, "status", "replicas")));
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(),
                Columns.integer("Desired", "Number of desired pods."),
                Columns.integer("Current", "Replicas is the most recently observed number of replicas."),
                Columns.integer("Ready", "The number of ready replicas for this replica set."),
                Columns.age(), Columns.containers(), Columns.images(),
                Columns.wide("Selector", "Selector is a label query over pods that should match the replica count."));
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        JsonNode podSpec = Json.at(spec, "template", "spec");
        String selector = replicationController ? Selectors.formatLabels(spec.get("selector"))
                : Selectors.formatLabelSelector(spec.get("selector"));
        return List.of(Rows.name(obj),
                Json.longOr(spec, 0, "replicas"),
                Json.longOr(status, 0, "replicas"),
                Json.longOr(status, 0, "readyReplicas"),
                Rows.age(obj, now),
                Rows.containerNames(podSpec), Rows.containerImages(podSpec), selector);
    }
}
