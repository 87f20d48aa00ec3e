package io.jk8s.controllers;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jk8s.apiserver.testing.ManualClock;
import io.jk8s.hollow.HollowNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CronJob controller against the real API server with a clock the test moves: each test
 * uses its own CronJobs, starts the clock at the real time and moves it forward, then touches the
 * CronJob so the controller looks again at once.
 */
class CronJobControllerTest {

    static final ManualClock clock = new ManualClock();
    static TestCluster cluster;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = new TestCluster().withNodes(2)
                .withControllers(TestCluster.config(Set.of("cronjob", "job", "garbagecollector")).withClock(clock));
    }

    /** Each test starts at the real time, so CronJobs it creates have no runs missed at creation. */
    @BeforeEach
    void resetClock() {
        clock.set(Instant.now());
    }

    @AfterAll
    static void tearDown() {
        cluster.close();
    }

    /** A CronJob every minute whose pods exit with {@code exitCode} (or run until deleted when null). */
    static CronJob cronJob(String name, String policy, Integer exitCode) {
        var b = new CronJobBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSchedule("*/1 * * * *").withConcurrencyPolicy(policy).withSuccessfulJobsHistoryLimit(1)
                .withNewJobTemplate().withNewSpec().withBackoffLimit(0).withNewTemplate().withNewMetadata();
        if (exitCode != null) b = b.addToAnnotations(HollowNodes.EXIT_CODE_ANNOTATION, exitCode.toString());
        return b.endMetadata().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox:1.35")
                .endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build();
    }

    CronJob create(CronJob cj) {
        return cluster.client.batch().v1().cronjobs().inNamespace("default").resource(cj).create();
    }

    private static boolean hasActive(CronJob cj) {
        return cj.getStatus() != null && cj.getStatus().getActive() != null;
    }

    CronJob get(String name) {
        return cluster.client.batch().v1().cronjobs().inNamespace("default").withName(name).get();
    }

    /** Moves the clock and makes the controller look at {@code name} now. */
    void tick(String name, Duration d) {
        clock.advance(d);
        cluster.client.batch().v1().cronjobs().inNamespace("default").withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"labels\":{\"tick\":\"" + clock.instant().toEpochMilli() + "\"}}}");
    }

    List<Job> jobsOf(String cronJob) {
        return cluster.client.batch().v1().jobs().inNamespace("default").list().getItems().stream()
                .filter(j -> j.getMetadata().getName().startsWith(cronJob + "-") && j.getMetadata().getDeletionTimestamp() == null).toList();
    }

    static String expectedName(String cronJob, Instant now) {
        return cronJob + "-" + now.getEpochSecond() / 60;
    }

    @Test
    void startsTheLatestMissedRunNamedByItsMinuteAndKeepsHistory() {
        CronJob cj = cronJob("tick", "Allow", 0);
        cj.getMetadata().setLabels(new java.util.HashMap<>());
        create(cj);
        assertThat(jobsOf("tick")).isEmpty();

        tick("tick", Duration.ofMinutes(3));
        String first = expectedName("tick", clock.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("tick").stream().anyMatch(j -> j.getMetadata().getName().equals(first)));
        // Three minutes were missed; only the latest runs.
        assertThat(jobsOf("tick")).hasSize(1);
        Job job = jobsOf("tick").get(0);
        assertThat(job.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("CronJob");
        assertThat(job.getMetadata().getAnnotations()).containsKey("batch.kubernetes.io/cronjob-scheduled-timestamp");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            CronJob c = get("tick");
            return c.getStatus() != null && c.getStatus().getLastSuccessfulTime() != null
                    && (c.getStatus().getActive() == null || c.getStatus().getActive().isEmpty());
        });
        assertThat(Instant.parse(get("tick").getStatus().getLastScheduleTime()).getEpochSecond() / 60)
                .isEqualTo(clock.instant().getEpochSecond() / 60);

        // The next run; successfulJobsHistoryLimit 1 removes the first.
        tick("tick", Duration.ofMinutes(1));
        String second = expectedName("tick", clock.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("tick").stream().map(j -> j.getMetadata().getName()).toList()
                .equals(List.of(second)));
    }

    @Test
    void forbidSkipsWhileARunIsActiveAndReplaceSwapsIt() {
        CronJob forbid = cronJob("forbid", "Forbid", null);
        forbid.getMetadata().setLabels(new java.util.HashMap<>());
        create(forbid);
        CronJob replace = cronJob("replace", "Replace", null);
        replace.getMetadata().setLabels(new java.util.HashMap<>());
        create(replace);

        tick("forbid", Duration.ofMinutes(1));
        tick("replace", Duration.ZERO);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("forbid").size() == 1 && jobsOf("replace").size() == 1);
        String replaced = jobsOf("replace").get(0).getMetadata().getName();
        // The Job exists a moment before the status naming it is written.
        await().atMost(Duration.ofSeconds(20)).until(() -> hasActive(get("forbid")) && hasActive(get("replace")));

        tick("forbid", Duration.ofMinutes(1));
        tick("replace", Duration.ZERO);
        String next = expectedName("replace", clock.instant());
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("replace").stream().map(j -> j.getMetadata().getName()).toList()
                .equals(List.of(next)));
        assertThat(replaced).isNotEqualTo(next);
        // Forbid: still the one first run.
        assertThat(jobsOf("forbid")).hasSize(1);
        assertThat(get("forbid").getStatus().getActive()).hasSize(1);
        assertThat(get("replace").getStatus().getActive()).extracting(r -> r.getName()).containsExactly(next);
    }

    @Test
    void suspendedOrPastTheStartingDeadlineDoesNotRun() {
        CronJob suspended = cronJob("suspended", "Allow", 0);
        suspended.getSpec().setSuspend(true);
        CronJob late = cronJob("late", "Allow", 0);
        late.getSpec().setStartingDeadlineSeconds(5L);
        CronJob onTime = cronJob("ontime", "Allow", 0);
        for (CronJob c : List.of(suspended, late, onTime)) {
            c.getMetadata().setLabels(new java.util.HashMap<>());
            create(c);
        }

        // 30 s past a minute boundary: that run is 30 s late, past the 5 s deadline.
        Instant now = clock.instant();
        tick("suspended", Duration.ofSeconds(60 - now.getEpochSecond() % 60 + 30));
        tick("late", Duration.ZERO);
        tick("ontime", Duration.ZERO);
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("ontime").size() == 1);
        assertThat(jobsOf("suspended")).isEmpty();
        assertThat(jobsOf("late")).isEmpty();

        // 2 s past the next boundary is within the deadline.
        tick("late", Duration.ofSeconds(32));
        await().atMost(Duration.ofSeconds(20)).until(() -> jobsOf("late").size() == 1);
        assertThat(jobsOf("suspended")).isEmpty();
    }
}
