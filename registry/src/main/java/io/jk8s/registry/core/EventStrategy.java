package io.jk8s.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
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

/** core/v1 Events (also used for events.k8s.io/v1 with its field names). */
public final class EventStrategy extends BaseStrategy {

    private final boolean eventsV1;

    public EventStrategy(ResourceType type, boolean eventsV1) {
        super(type, NameRules.SUBDOMAIN_NAME);
        this.eventsV1 = eventsV1;
    }

    private String involvedField() {
        return eventsV1 ? "regarding" : "involvedObject";
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        JsonNode involved = obj.path(involvedField());
        String ns = Json.text(obj, "metadata", "namespace");
        String involvedNs = Json.text(involved, "namespace");
        if (!involvedNs.isEmpty() && !ns.isEmpty() && !involvedNs.equals(ns)) {
            errs.invalid(involvedField() + ".namespace", involvedNs, "does not match event.namespace");
        }
        if (eventsV1) {
            if (!Json.has(obj, "eventTime")) {
                errs.required("eventTime");
            }
            if (Json.text(obj, "reportingController").isEmpty()) {
                errs.required("reportingController");
            }
            if (Json.text(obj, "action").isEmpty()) {
                errs.required("action");
            }
            String type = Json.text(obj, "type");
            if (!type.equals("Normal") && !type.equals("Warning")) {
                errs.invalid("type", type, "has invalid value: " + type);
            }
        }
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        JsonNode involved = obj.path(involvedField());
        f.put("involvedObject.kind", Json.text(involved, "kind"));
        f.put("involvedObject.namespace", Json.text(involved, "namespace"));
        f.put("involvedObject.name", Json.text(involved, "name"));
        f.put("involvedObject.uid", Json.text(involved, "uid"));
        f.put("involvedObject.apiVersion", Json.text(involved, "apiVersion"));
        f.put("involvedObject.resourceVersion", Json.text(involved, "resourceVersion"));
        f.put("involvedObject.fieldPath", Json.text(involved, "fieldPath"));
        f.put("reason", Json.text(obj, "reason"));
        f.put("reportingComponent", Json.text(obj, "reportingController"));
        f.put("source", Json.text(obj, eventsV1 ? "deprecatedSource" : "source", "component"));
        f.put("type", Json.text(obj, "type"));
        if (eventsV1) {
            for (String k : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
                f.put("regarding." + k, Json.text(involved, k));
            }
        }
    }

    @Override
    public List<TableColumn> columns() {
        return EventPrinter.COLUMNS;
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        return EventPrinter.row(obj, now, eventsV1);
    }
}
