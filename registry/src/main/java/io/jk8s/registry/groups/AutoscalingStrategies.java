package io.jk8s.registry.groups;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.SimpleStrategy;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.validation.Errors;

import java.util.ArrayList;
import java.util.List;

/** autoscaling/v2 HorizontalPodAutoscalers: defaults (min replicas, 80% CPU, scaling behaviour), bounds, printer. */
public final class AutoscalingStrategies {

    private AutoscalingStrategies() {
    }

    public static KindStrategy hpa(ResourceType type) {
        return SimpleStrategy.builder(type)
                .tracksGeneration()
                .defaults(AutoscalingStrategies::defaults)
                .validate(AutoscalingStrategies::validate)
                .table(List.of(Columns.str("Reference", "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource."),
                                Columns.str("Targets", "metrics contains the specifications for which to use to calculate the desired replica count"),
                                Columns.str("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
                                Columns.integer("MaxPods", "maxReplicas is the upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas."),
                                Columns.integer("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.")),
                        (o, now) -> {
                            JsonNode spec = o.path("spec");
                            Long min = Json.longOrNull(spec, "minReplicas");
                            return List.of(Json.text(spec, "scaleTargetRef", "kind") + "/" + Json.text(spec, "scaleTargetRef", "name"),
                                    targets(spec, o.path("status")), min == null ? "<unset>" : String.valueOf(min),
                                    Json.longOr(spec, 0, "maxReplicas"), Json.longOr(o, 0, "status", "currentReplicas"));
                        })
                .build();
    }

    private static void defaults(ObjectNode o) {
        ObjectNode spec = Json.obj(o, "spec");
        Json.defaultLong(spec, "minReplicas", 1);
        if (Json.size(spec.get("metrics")) == 0) {
            ObjectNode metric = spec.putArray("metrics").addObject();
            metric.put("type", "Resource");
            ObjectNode resource = metric.putObject("resource");
            resource.put("name", "cpu");
            ObjectNode target = resource.putObject("target");
            target.put("type", "Utilization");
            target.put("averageUtilization", 80);
        }
        ObjectNode behavior = Json.obj(spec, "behavior");
        ObjectNode up = Json.obj(behavior, "scaleUp");
        Json.defaultLong(up, "stabilizationWindowSeconds", 0);
        Json.defaultStr(up, "selectPolicy", "Max");
        if (Json.size(up.get("policies")) == 0) {
            ArrayNode policies = up.putArray("policies");
            policy(policies, "Pods", 4);
            policy(policies, "Percent", 100);
        }
        ObjectNode down = Json.obj(behavior, "scaleDown");
        Json.defaultStr(down, "selectPolicy", "Max");
        if (Json.size(down.get("policies")) == 0) {
            policy(down.putArray("policies"), "Percent", 100);
        }
    }

    private static void policy(ArrayNode policies, String type, int value) {
        ObjectNode p = policies.addObject();
        p.put("type", type);
        p.put("value", value);
        p.put("periodSeconds", 15);
    }

    private static void validate(ObjectNode o, Errors errs) {
        JsonNode spec = o.path("spec");
        if (Json.text(spec, "scaleTargetRef", "kind").isEmpty()) {
            errs.required("spec.scaleTargetRef.kind");
        }
        if (Json.text(spec, "scaleTargetRef", "name").isEmpty()) {
            errs.required("spec.scaleTargetRef.name");
        }
        Long min = Json.longOrNull(spec, "minReplicas");
        long max = Json.longOr(spec, 0, "maxReplicas");
        if (min != null && min < 1) {
            errs.invalid("spec.minReplicas", min, "must be greater than or equal to 1");
        }
        if (max < 1) {
            errs.invalid("spec.maxReplicas", max, "must be greater than 0");
        }
        if (min != null && max < min) {
            errs.invalid("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`");
        }
    }

    /** "cpu: 20%/80%" per metric, "&lt;unknown&gt;" before the first measurement, at most three. */
    static String targets(JsonNode spec, JsonNode status) {
        List<ObjectNode> metrics = Json.objects(spec.get("metrics"));
        List<ObjectNode> current = Json.objects(status.get("currentMetrics"));
        if (metrics.isEmpty()) {
            return "<none>";
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < metrics.size() && i < 3; i++) {
            ObjectNode m = metrics.get(i);
            String type = Json.text(m, "type");
            String field = switch (type) {
                case "Resource" -> "resource";
                case "ContainerResource" -> "containerResource";
                case "Pods" -> "pods";
                case "Object" -> "object";
                default -> "external";
            };
            JsonNode target = Json.at(m, field, "target");
            JsonNode cur = i < current.size() ? Json.at(current.get(i), field, "current") : null;
            String targetText;
            String currentText = "<unknown>";
            if (Json.has(target, "averageUtilization")) {
                targetText = Json.longOr(target, 0, "averageUtilization") + "%";
                if (cur != null && Json.has(cur, "averageUtilization")) {
                    currentText = Json.longOr(cur, 0, "averageUtilization") + "%";
                }
            } else {
                String key = Json.has(target, "averageValue") ? "averageValue" : "value";
                targetText = Json.text(target, key);
                if (cur != null && Json.has(cur, key)) {
                    currentText = Json.text(cur, key);
                }
            }
            String label = type.equals("Resource") || type.equals("ContainerResource") ? Json.text(m, field, "name") + ": " : "";
            out.add(label + currentText + "/" + targetText);
        }
        String text = String.join(", ", out);
        return metrics.size() > 3 ? text + " + " + (metrics.size() - 3) + " more..." : text;
    }
}
