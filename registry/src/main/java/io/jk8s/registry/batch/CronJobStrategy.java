package io.jk8s.registry.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;
import io.jk8s.registry.BaseStrategy;
import io.jk8s.registry.TableColumn;
import io.jk8s.registry.core.PodSpecDefaults;
import io.jk8s.registry.support.Columns;
import io.jk8s.registry.support.HumanDuration;
import io.jk8s.registry.support.Json;
import io.jk8s.registry.support.Rows;
import io.jk8s.registry.support.Selectors;
import io.jk8s.registry.validation.Errors;
import io.jk8s.registry.validation.NameRules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** batch/v1 CronJobs: defaults, schedule/time-zone checks, the 52-character name limit, job template rules. */
public final class CronJobStrategy extends BaseStrategy {

    static final int MAX_NAME_LENGTH = 52;
    static final List<String> CONCURRENCY = List.of("Allow", "Forbid", "Replace");

    public CronJobStrategy(ResourceType type) {
        super(type, NameRules.SUBDOMAIN_NAME);
    }

    @Override
    public void applyDefaults(ObjectNode obj) {
        ObjectNode spec = Json.obj(obj, "spec");
        Json.defaultStr(spec, "concurrencyPolicy", "Allow");
        Json.defaultBool(spec, "suspend", false);
        Json.defaultLong(spec, "successfulJobsHistoryLimit", 3);
        Json.defaultLong(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobSpec = Json.obj(Json.obj(spec, "jobTemplate"), "spec");
        PodSpecDefaults.applyToTemplate(Json.obj(jobSpec, "template"));
    }

    @Override
    protected void validate(ObjectNode obj, Errors errs) {
        String name = Json.text(obj, "metadata", "name");
        if (name.length() > MAX_NAME_LENGTH) {
            errs.invalid("metadata.name", name, "must be no more than " + MAX_NAME_LENGTH + " characters");
        }
        JsonNode spec = obj.path("spec");
        String schedule = Json.text(spec, "schedule");
        if (schedule.isEmpty()) {
            errs.required("spec.schedule");
        } else if (schedule.contains("TZ")) {
            errs.invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        } else {
            String problem = CronSchedule.problem(schedule);
            if (problem != null) {
                errs.invalid("spec.schedule", schedule, problem);
            }
        }
        String tz = Json.str(spec, "timeZone");
        if (tz != null && !validZone(tz)) {
            errs.invalid("spec.timeZone", tz, "unknown time zone " + tz);
        }
        String concurrency = Json.text(spec, "concurrencyPolicy");
        if (concurrency.isEmpty()) {
            errs.required("spec.concurrencyPolicy");
        } else {
            errs.oneOf("spec.concurrencyPolicy", concurrency, CONCURRENCY);
        }
        errs.nonNegative("spec.startingDeadlineSeconds", Json.longOrNull(spec, "startingDeadlineSeconds"));
        errs.nonNegative("spec.successfulJobsHistoryLimit", Json.longOrNull(spec, "successfulJobsHistoryLimit"));
        errs.nonNegative("spec.failedJobsHistoryLimit", Json.longOrNull(spec, "failedJobsHistoryLimit"));
        JobStrategy.validateSpec(Json.at(spec, "jobTemplate", "spec"), "spec.jobTemplate.spec", false, errs);
    }

    private static boolean validZone(String tz) {
        if (tz.isEmpty() || tz.equals("Local") || tz.contains(" ")) {
            return false;
        }
        try {
            ZoneId.of(tz);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<TableColumn> columns() {
        return List.of(Columns.name(),
                Columns.str("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
                Columns.str("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
                Columns.bool("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
                Columns.integer("Active", "A list of pointers to currently running jobs."),
                Columns.str("Last Schedule", "Information when was the last time the job was successfully scheduled."),
                Columns.age(), Columns.containers(), Columns.images(),
                Columns.wide("Selector", "A label query over pods that should match the pod count."));
    }

    @Override
    public List<Object> row(ObjectNode obj, Instant now) {
        JsonNode spec = obj.path("spec");
        JsonNode status = obj.path("status");
        JsonNode jobSpec = Json.at(spec, "jobTemplate", "spec");
        JsonNode podSpec = Json.at(jobSpec, "template", "spec");
        String last = Json.str(status, "lastScheduleTime");
        List<Object> row = new ArrayList<>();
        row.add(Rows.name(obj));
        row.add(Json.text(spec, "schedule"));
        row.add(Rows.orNone(Json.str(spec, "timeZone")));
        row.add(Json.has(spec, "suspend") ? (Json.bool(spec, "suspend") ? "True" : "False") : "<unset>");
        row.add((long) Json.size(status.get("active")));
        row.add(last == null ? "<none>" : HumanDuration.since(last, now));
        row.add(Rows.age(obj, now));
        row.add(Rows.containerNames(podSpec));
        row.add(Rows.containerImages(podSpec));
        row.add(Selectors.formatLabelSelector(jobSpec.get("selector")));
        return row;
    }
}
