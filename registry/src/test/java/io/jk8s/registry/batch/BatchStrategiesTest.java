package io.jk8s.registry.batch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.TestJson;
import io.jk8s.registry.support.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static io.jk8s.registry.TestJson.fields;
import static io.jk8s.registry.TestJson.json;
import static io.jk8s.registry.TestJson.messages;
import static org.assertj.core.api.Assertions.assertThat;

class BatchStrategiesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
    private final KindStrategy jobs = TestJson.strategy("batch", "jobs");
    private final KindStrategy cronJobs = TestJson.strategy("batch", "cronjobs");

    static ObjectNode job(String restartPolicy) {
        return json("{'metadata':{'name':'pi','namespace':'default','uid':'1234-abcd','creationTimestamp':'2026-01-01T00:00:00Z'},"
                + "'spec':{'template':{'spec':{'restartPolicy':'" + restartPolicy + "','containers':[{'name':'pi','image':'perl:5.34'}]}}}}");
    }

    @Test
    void jobDefaultsAndGeneratedSelector() {
        ObjectNode j = job("Never");
        assertThat(TestJson.create(jobs, j)).isEmpty();
        assertThat(j.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(j.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(j.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(j.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(j.at("/spec/suspend").asBoolean()).isFalse();
        assertThat(j.at("/spec/podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(j.at("/spec/selector/matchLabels/batch.kubernetes.io~1controller-uid").asText()).isEqualTo("1234-abcd");
        ObjectNode labels = (ObjectNode) j.at("/spec/template/metadata/labels");
        assertThat(labels.get("batch.kubernetes.io/controller-uid").asText()).isEqualTo("1234-abcd");
        assertThat(labels.get("batch.kubernetes.io/job-name").asText()).isEqualTo("pi");
        assertThat(labels.get("controller-uid").asText()).isEqualTo("1234-abcd");
        assertThat(labels.get("job-name").asText()).isEqualTo("pi");
        assertThat(j.at("/metadata/labels")).isEqualTo(labels);
    }

    @Test
    void parallelismAloneLeavesCompletionsUnset() {
        ObjectNode j = job("OnFailure");
        Json.obj(j, "spec").put("parallelism", 3);
        TestJson.create(jobs, j);
        assertThat(j.at("/spec/completions").isMissingNode()).isTrue();
        j.putObject("status").put("succeeded", 1);
        assertThat(jobs.row(j, NOW).get(2)).isEqualTo("1/1 of 3");
    }

    @Test
    void jobRestartPolicyMustBeNeverOrOnFailure() {
        assertThat(messages(TestJson.create(jobs, job("Always"))))
                .containsExactly("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    @Test
    void manualSelectorWithoutSelectorIsRequired() {
        ObjectNode j = job("Never");
        Json.obj(j, "spec").put("manualSelector", true);
        assertThat(messages(TestJson.create(jobs, j))).containsExactly("spec.selector: Required value");
    }

    @Test
    void jobTemplateIsImmutableUnlessSuspendedSchedulingDirectives() {
        ObjectNode old = job("Never");
        TestJson.create(jobs, old);
        ObjectNode newImage = old.deepCopy();
        ((ObjectNode) newImage.at("/spec/template/spec/containers/0")).put("image", "perl:5.36");
        assertThat(fields(TestJson.update(jobs, newImage, old))).containsExactly("spec.template");

        ObjectNode suspended = old.deepCopy();
        Json.obj(suspended, "spec").put("suspend", true);
        assertThat(TestJson.update(jobs, suspended, old)).isEmpty();
        ObjectNode moved = suspended.deepCopy();
        ((ObjectNode) moved.at("/spec/template/spec")).putObject("nodeSelector").put("zone", "a");
        assertThat(TestJson.update(jobs, moved, suspended)).isEmpty();

        ObjectNode completions = old.deepCopy();
        Json.obj(completions, "spec").put("completions", 5);
        assertThat(fields(TestJson.update(jobs, completions, old))).containsExactly("spec.completions");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "running | {} | Running | 0/1 | ''",
            "complete | {'succeeded':1,'startTime':'2026-01-01T00:00:00Z','completionTime':'2026-01-01T00:00:42Z','conditions':[{'type':'Complete','status':'True'}]} | Complete | 1/1 | 42s",
            "failed | {'failed':7,'startTime':'2026-01-01T00:00:00Z','conditions':[{'type':'Failed','status':'True'}]} | Failed | 0/1 | 10m",
            "suspended | {'conditions':[{'type':'Suspended','status':'True'}]} | Suspended | 0/1 | ''"})
    void jobRows(String name, String status, String text, String completions, String duration) {
        ObjectNode j = job("Never");
        TestJson.create(jobs, j);
        j.set("status", json(status));
        assertThat(jobs.row(j, NOW).subList(0, 5)).containsExactly("pi", text, completions, duration, "10m");
        assertThat(jobs.selectableFields(j)).containsEntry("status.successful", String.valueOf(j.at("/status/succeeded").asInt()));
    }

    static ObjectNode cron(String schedule) {
        return json("{'metadata':{'name':'hello','namespace':'default','creationTimestamp':'2026-01-01T00:00:00Z'},"
                + "'spec':{'schedule':'" + schedule + "','jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'OnFailure',"
                + "'containers':[{'name':'hello','image':'busybox:1.35'}]}}}}}}");
    }

    @Test
    void cronJobDefaultsAndRow() {
        ObjectNode c = cron("*/5 * * * *");
        assertThat(TestJson.create(cronJobs, c)).isEmpty();
        assertThat(c.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(c.at("/spec/suspend").asBoolean()).isFalse();
        assertThat(c.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(c.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(c.at("/spec/jobTemplate/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(30);
        assertThat(cronJobs.row(c, NOW)).containsExactly("hello", "*/5 * * * *", "<none>", "False", 0L, "<none>", "10m",
                "hello", "busybox:1.35", "<none>");
        c.putObject("status").put("lastScheduleTime", "2026-01-01T00:05:00Z").putArray("active").addObject().put("name", "hello-1");
        assertThat(cronJobs.row(c, NOW).subList(4, 6)).containsExactly(1L, "5m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"* * * * *", "0 0 * * 0", "15,45 9-17 * jan-jun mon-fri", "@hourly", "@every 1h30m", "0 0 1 */2 ?"})
    void acceptsCronSchedules(String schedule) {
        assertThat(CronSchedule.problem(schedule)).isNull();
        assertThat(TestJson.create(cronJobs, cron(schedule))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "hourly | expected exactly 5 fields, found 1: hourly",
            "61 * * * * | end of range (61) above maximum (59): 61",
            "* * 0 * * | beginning of range (0) below minimum (1): 0",
            "@sometimes | unrecognized descriptor: @sometimes",
            "*/0 * * * * | step of range should be a positive number: */0",
            "99999999999999999999 * * * * | end of range (2147483647) above maximum (59): 99999999999999999999"})
    void rejectsBadSchedules(String schedule, String problem) {
        assertThat(messages(TestJson.create(cronJobs, cron(schedule))))
                .containsExactly("spec.schedule: Invalid value: \"" + schedule + "\": " + problem);
    }

    @Test
    void cronJobOtherRules() {
        ObjectNode noSchedule = cron("");
        assertThat(messages(TestJson.create(cronJobs, noSchedule))).containsExactly("spec.schedule: Required value");
        ObjectNode tz = cron("TZ=UTC 0 * * * *");
        assertThat(messages(TestJson.create(cronJobs, tz))).singleElement().asString().endsWith("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
        ObjectNode badZone = cron("0 * * * *");
        Json.obj(badZone, "spec").put("timeZone", "Mars/Olympus");
        assertThat(messages(TestJson.create(cronJobs, badZone))).containsExactly("spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus");
        ObjectNode longName = cron("0 * * * *");
        Json.obj(longName, "metadata").put("name", "a".repeat(53));
        assertThat(fields(TestJson.create(cronJobs, longName))).containsExactly("metadata.name");
        ObjectNode always = cron("0 * * * *");
        ((ObjectNode) always.at("/spec/jobTemplate/spec/template/spec")).put("restartPolicy", "Always");
        assertThat(fields(TestJson.create(cronJobs, always))).containsExactly("spec.jobTemplate.spec.template.spec.restartPolicy");
        ObjectNode forbid = cron("0 * * * *");
        Json.obj(forbid, "spec").put("concurrencyPolicy", "Sometimes");
        assertThat(fields(TestJson.create(cronJobs, forbid))).containsExactly("spec.concurrencyPolicy");
    }
}
