package io.jk8s.registry.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.core.PodSpecValidator;
import io.jk8s.registry.support.GoValue;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.MetaValidator;
import io.jk8s.registry.validation.NameRules;

import java.util.List;
import java.util.regex.Pattern;

/** Rules shared by the controllers' objects: label selectors, pod templates, replicas, int-or-percent values. */
public final class WorkloadRules {

    public static final List<String> ALWAYS = List.of("Always");
    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");
    private static final List<String> SELECTOR_OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private WorkloadRules() {
    }

    /** Upstream's {@code ValidateLabelSelector}. */
    public static void validateLabelSelector(JsonNode selector, String path, Errors errs) {
        MetaValidator.validateLabels(selector.get("matchLabels"), path + ".matchLabels", errs);
        List<ObjectNode> exprs = Json.objects(selector.get("matchExpressions"));
        for (int i = 0; i < exprs.size(); i++) {
            ObjectNode e = exprs.get(i);
            String p = path + ".matchExpressions[" + i + "]";
            String op = Json.text(e, "operator");
            int values = Json.size(e.get("values"));
            if (op.equals("In") || op.equals("NotIn")) {
                if (values == 0) {
                    errs.required(p + ".values", "must be specified when `operator` is 'In' or 'NotIn'");
                }
            } else if (op.equals("Exists") || op.equals("DoesNotExist")) {
                if (values > 0) {
                    errs.forbidden(p + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
                }
            } else {
                errs.invalid(p + ".operator", op, "not a valid selector operator");
            }
            errs.invalidEach(p + ".key", Json.text(e, "key"), NameRules.qualifiedName(Json.text(e, "key")));
        }
    }

    /**
     * A selector that must be present and non-empty, and a template whose labels it selects and whose pod
     * spec uses one of {@code restartPolicies}. {@code kindWord} completes "empty selector is invalid for ...".
     */
    public static void validateSelectorAndTemplate(JsonNode spec, String specPath, String templateField,
                                                   List<String> restartPolicies, String kindWord, Errors errs) {
        JsonNode selector = spec.get("selector");
        if (!Json.present(selector)) {
            errs.required(specPath + ".selector");
        } else {
            validateLabelSelector(selector, specPath + ".selector", errs);
            if (Selectors.isEmpty(selector)) {
                errs.invalid(specPath + ".selector", GoValue.selector(selector), "empty selector is invalid for " + kindWord);
            }
        }
        validateTemplate(spec.path(templateField), selector, specPath + "." + templateField, restartPolicies, errs);
    }

    public static void validateTemplate(JsonNode template, JsonNode selector, String path, List<String> restartPolicies, Errors errs) {
        if (!Json.present(template)) {
            errs.required(path);
            return;
        }
        JsonNode labels = Json.at(template, "metadata", "labels");
        if (Json.present(selector) && !Selectors.isEmpty(selector) && !Selectors.matches(selector, Json.stringMap(labels))) {
            errs.invalid(path + ".metadata.labels", GoValue.labels(labels), "`selector` does not match template `labels`");
        }
        MetaValidator.validateLabels(labels, path + ".metadata.labels", errs);
        MetaValidator.validateAnnotations(Json.at(template, "metadata", "annotations"), path + ".metadata.annotations", errs);
        JsonNode podSpec = template.path("spec");
        PodSpecValidator.validate(podSpec, path + ".spec", PodSpecValidator.ALL_RESTART_POLICIES, errs);
        String restart = Json.text(podSpec, "restartPolicy");
        if (!restart.isEmpty() && PodSpecValidator.ALL_RESTART_POLICIES.contains(restart) && !restartPolicies.contains(restart)) {
            errs.notSupported(path + ".spec.restartPolicy", restart, restartPolicies);
        }
        if (restartPolicies.equals(ALWAYS) && Json.has(podSpec, "activeDeadlineSeconds")) {
            errs.forbidden(path + ".spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported");
        }
    }

    public static void validateReplicas(JsonNode spec, String path, Errors errs) {
        errs.nonNegative(path, Json.longOrNull(spec, "replicas"));
    }

    /** Upstream's {@code ValidatePositiveIntOrPercent} and {@code IsNotMoreThan100Percent}. */
    public static void validateIntOrPercent(JsonNode value, String path, boolean max100, Errors errs) {
        if (!Json.present(value)) {
            return;
        }
        if (value.isTextual()) {
            String s = value.asText();
            if (!PERCENT.matcher(s).matches()) {
                errs.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' "
                        + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
            } else if (max100 && Json.parseDigits(s.substring(0, s.length() - 1)) > 100) {
                errs.invalid(path, s, "must not be greater than 100%");
            }
        } else if (value.isNumber() && value.asLong() < 0) {
            errs.invalid(path, value.asLong(), "must be greater than or equal to 0");
        }
    }

    /** 0 for 0 or "0%", else non-zero (used for "may not both be 0" checks). */
    public static boolean isZero(JsonNode value) {
        if (!Json.present(value)) {
            return true;
        }
        return value.isTextual() ? value.asText().equals("0%") || value.asText().equals("0") : value.asLong() == 0;
    }

    public static void selectorImmutable(JsonNode spec, JsonNode oldSpec, String path, Errors errs) {
        JsonNode now = spec.get("selector");
        JsonNode before = oldSpec.get("selector");
        if (!Json.same(now, before)) {
            errs.invalid(path, GoValue.selector(now), "field is immutable");
        }
    }
}
