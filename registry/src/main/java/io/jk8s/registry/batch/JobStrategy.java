package io.jk8s.registry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.apps.WorkloadRules;
import io.jk8s.registry.core.PodSpecDefaults;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.GoValue;
import io.jk8s.registry.support.HumanDuration;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * batch/v1 Jobs: defaults, the generated {@code batch.kubernetes.io/controller-uid} selector and pod labels
 * (needs {@code metadata.uid} and {@code metadata.name} set before {@link #applyDefaults}), validation,
 * and the immutable selector/template/completion fields.
 */
public final class JobStrategy extends BaseStrategy {

    public static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    public static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String LEGACY_CONTROLLER_UID = "controller-uid";
    static final String LEGACY_JOB_NAME = "job-name";
    static final List<String> JOB_RESTART_POLICIES = List.of("OnFailure", "Never");
    static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");
    /** Template fields a suspended Job may still change (upstream's mutable scheduling directives). */
    static final List<String> SCHEDULING_DIRECTIVES = List.of("nodeSelector", "affinity", "tolerations", "schedulingGates");

    public JobStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        applySpecDefaults(spec);
        ObjectNode template = Json.obj(spec, "template");
        if (!Json.bool(spec, "manualSelector")) {
            generateSelector(obj, spec, template);
        }
        ObjectNode meta = Json.obj(obj, "metadata");
        JsonNode templateLabels = Json.at(template, "metadata", "labels");
        if (Json.size(meta.get("labels")) == 0 && Json.size(templateLabels) > 0) {
            meta.set("labels", templateLabels.deepCopy());
        }
    }

    /** Upstream's {@code SetDefaults_Job}, except the labels copied from the template. */
    static void applySpecDefaults(ObjectNode spec) {
        if (Json.missing(spec, "completions") && Json.missing(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        Json.defaultLong(spec, "parallelism", 1);
        Json.defaultLong(spec, "backoffLimit", Json.has(spec, "backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        Json.defaultStr(spec, "completionMode", "NonIndexed");
        Json.defaultBool(spec, "suspend", false);
        Json.defaultStr(spec, "podReplacementPolicy", Json.has(spec, "podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        PodSpecDefaults.applyToTemplate(Json.obj(spec, "template"));
    }

    private static void generateSelector(ObjectNode obj, ObjectNode spec, ObjectNode template) {
        String uid = Json.text(obj, "metadata", "uid");
        String name = Json.text(obj, "metadata", "name");
        if (uid.isEmpty()) {
            return; // validation reports the missing selector
        }
        ObjectNode labels = Json.obj(Json.obj(template, "metadata"), "labels");
        for (String key : List.of(LEGACY_CONTROLLER_UID, CONTROLLER_UID)) {
            if (Json.missing(labels, key)) {
                labels.put(key, uid);
            }
        }
        for (String key : List.of(LEGACY_JOB_NAME, JOB_NAME)) {
            if (Json.missing(labels, key)) {
                labels.put(key, name);
            }
        }
        ObjectNode matchLabels = Json.obj(Json.obj(spec, "selector"), "matchLabels");
        if (Json.missing(matchLabels, CONTROLLER_UID)) {
            matchLabels.put(CONTROLLER_UID, uid);
        }
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        validateSpec(obj.path("spec"), "spec", true, errs);
    }

    /** Shared with CronJob's {@code spec.jobTemplate.spec}, where the selector is optional. */
    static void validateSpec(JsonNode spec, String path, boolean selectorRequired, Errors errs) {
        errs.nonNegative(path + ".parallelism", Json.longOrNull(spec, "parallelism"));
        errs.nonNegative(path + ".completions", Json.longOrNull(spec, "completions"));
        errs.nonNegative(path + ".backoffLimit", Json.longOrNull(spec, "backoffLimit"));
        errs.nonNegative(path + ".activeDeadlineSeconds", Json.longOrNull(spec, "activeDeadlineSeconds"));
        errs.nonNegative(path + ".ttlSecondsAfterFinished", Json.longOrNull(spec, "ttlSecondsAfterFinished"));
        String mode = Json.str(spec, "completionMode");
        if (mode != null) {
            errs.oneOf(path + ".completionMode", mode, COMPLETION_MODES);
            if (mode.equals("Indexed") && !Json.has(spec, "completions")) {
                errs.required(path + ".completions", "when completion mode is Indexed");
            }
        }
        JsonNode selector = spec.get("selector");
        if (Json.present(selector)) {
            WorkloadRules.validateLabelSelector(selector, path + ".selector", errs);
        } else if (selectorRequired) {
            errs.required(path + ".selector");
        }
        WorkloadRules.validateTemplate(spec.path("template"), selector, path + ".template", JOB_RESTART_POLICIES, errs);
    }

    @Override
    protected void validateTransition(ObjectNode obj, ObjectNode old, Errors errs) {
        JsonNode spec = obj.path("spec");
        JsonNode oldSpec = old.path("spec");
        WorkloadRules.selectorImmutable(spec, oldSpec, "spec.selector", errs);
        JsonNode template = comparableTemplate(spec.path("template"), Json.bool(oldSpec, "suspend"));
        JsonNode oldTemplate = comparableTemplate(oldSpec.path("template"), Json.bool(oldSpec, "suspend"));
        if (!Json.same(template, oldTemplate)) {
            errs.invalid("spec.template", new GoValue("core.PodTemplateSpec{...}"), "field is immutable");
        }
        errs.immutable("spec.completionMode", Json.text(spec, "completionMode"), Json.text(oldSpec, "completionMode"));
        Long completions = Json.longOrNull(spec, "completions");
        Long oldCompletions = Json.longOrNull(oldSpec, "completions");
        boolean elasticIndexed = "Indexed".equals(Json.text(spec, "completionMode"))
                && Objects.equals(completions, Json.longOrNull(spec, "parallelism"));
        if (!Objects.equals(completions, oldCompletions) && !elasticIndexed) {
            errs.invalid("spec.completions", completions, "field is immutable");
        }
    }

    /** A suspended Job may change its pod's labels, annotations and scheduling directives. */
    private static JsonNode comparableTemplate(JsonNode template, boolean suspended) {
        if (!suspended || !(template instanceof ObjectNode t)) {
            return template;
        }
        ObjectNode copy = t.deepCopy();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            meta.remove("labels");
            meta.remove("annotations");
        }
        if (copy.get("spec") instanceof ObjectNode podSpec) {
            SCHEDULING_DIRECTIVES.forEach(podSpec::remove);
        }
        return copy;
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    protected void addSelectableFields(ObjectNode obj, Map<String, String> f) {
        f.put("status.successful", String.valueOf(Json.longOr(obj, 0, "status", "succeeded")));
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(),
                Columns.str("Status", "Status of the job."),
                Columns.str("Completions", "The completion status of the job, e.g. 1/1 or 0/1 of 3."),
                Columns.str("Duration", "Time required to complete the job."),
                Columns.age(), Columns.containers(), Columns.images(),
                Columns.wide("Selector", "A label query over pods that should match the pod count."));
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        JsonNode podSpec = Json.at(spec, "template", "spec");
        List<Object> row = new ArrayList<>();
        row.add(Rows.name(obj));
        row.add(statusText(obj));
        row.add(completions(spec, status));
        row.add(duration(status, now));
        row.add(Rows.age(obj, now));
        row.add(Rows.containerNames(podSpec));
        row.add(Rows.containerImages(podSpec));
        row.add(Selectors.formatLabelSelector(spec.get("selector")));
        return row;
    }

    static String statusText(JsonNode job) {
        JsonNode status = job.path("status");
        if (hasCondition(status, "Complete")) {
            return "Complete";
        } else if (hasCondition(status, "Failed")) {
            return "Failed";
        } else if (Json.has(job, "metadata", "deletionTimestamp")) {
            return "Terminating";
        } else if (hasCondition(status, "Suspended")) {
            return "Suspended";
        } else if (hasCondition(status, "FailureTarget")) {
            return "FailureTarget";
        } else if (hasCondition(status, "SuccessCriteriaMet")) {
            return "SuccessCriteriaMet";
        }
        return "Running";
    }

    private static boolean hasCondition(JsonNode status, String type) {
        for (JsonNode c : Json.objects(status.get("conditions"))) {
            if (type.equals(Json.text(c, "type")) && "True".equals(Json.text(c, "status"))) {
                return true;
            }
        }
        return false;
    }

    static String completions(JsonNode spec, JsonNode status) {
        long succeeded = Json.longOr(status, 0, "succeeded");
        Long completions = Json.longOrNull(spec, "completions");
        Long parallelism = Json.longOrNull(spec, "parallelism");
        if (completions != null) {
            return succeeded + "/" + completions;
        } else if (parallelism != null && parallelism > 1) {
            return succeeded + "/1 of " + parallelism;
        }
        return succeeded + "/1";
    }

    static String duration(JsonNode status, Instant now) {
        Instant start = HumanDuration.parse(Json.str(status, "startTime"));
        if (start == null) {
            return "";
        }
        Instant end = HumanDuration.parse(Json.str(status, "completionTime"));
        return HumanDuration.format(Duration.between(start, end == null ? now : end));
    }
}
