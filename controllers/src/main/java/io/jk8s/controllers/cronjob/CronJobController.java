package io.jk8s.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.OwnerEvents;
import io.jk8s.controllers.runtime.Owners;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CronJobs (upstream cronjob_controllerv2): at each scheduled time creates the Job
 * {@code <cronjob>-<scheduled time in minutes since the epoch>} from {@code jobTemplate}, honouring
 * {@code suspend}, {@code startingDeadlineSeconds}, {@code concurrencyPolicy} (Allow, Forbid,
 * Replace) and {@code timeZone}; keeps {@code status.active}, {@code lastScheduleTime} and
 * {@code lastSuccessfulTime}; deletes finished Jobs past the history limits; and requeues itself
 * for the next scheduled time. Time comes from the manager's {@link Clock}.
 */
public final class CronJobController extends Controller {

    static final String SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** Past this many missed times the controller warns (it still starts only the latest). */
    private static final int TOO_MANY_MISSED = 100;
    /** Requeue a little after the scheduled minute so the clock has surely passed it. */
    private static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;

    public CronJobController(ControllerContext ctx) {
        super("cronjob");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
    }

    @Override
    public void register(Informers inf) {
        inf.onAny(CronJob.class, this::enqueue);
        inf.on(Job.class, OwnerEvents.controlled("CronJob", this::enqueue));
    }

    @Override
    protected SyncResult sync(String key) {
        CronJob cached = informers.get(CronJob.class, key);
        if (cached == null) return SyncResult.done();
        CronJob cj = Copies.deepCopy(cached);
        cj.setApiVersion("batch/v1");
        cj.setKind("CronJob");
        CronJobStatus status = cj.getStatus() == null ? new CronJobStatus() : cj.getStatus();
        cj.setStatus(status);
        List<Job> jobs = informers.controlledBy(Job.class, cj.getMetadata().getUid());
        reconcileActive(cj, jobs);
        deleteFinishedBeyondLimits(cj, jobs);

        SyncResult result = Owners.isDeleting(cj) ? SyncResult.done() : schedule(cj, jobs);
        if (!status.equals(cached.getStatus() == null ? new CronJobStatus() : cached.getStatus())) {
            client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).resource(cj).updateStatus();
        }
        return result;
    }

    /** Drops finished and vanished Jobs from {@code active}; records the latest successful completion. */
    private void reconcileActive(CronJob cj, List<Job> jobs) {
        CronJobStatus status = cj.getStatus();
        List<ObjectReference> active = status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive());
        Set<String> uids = jobs.stream().map(j -> j.getMetadata().getUid()).collect(Collectors.toSet());
        for (Job j : jobs) {
            boolean listed = active.stream().anyMatch(r -> j.getMetadata().getUid().equals(r.getUid()));
            String finished = JobState.finishedCondition(j);
            // Jobs this controller made carry the scheduled time. One missing from active was created by a
            // sync whose status write then failed (a conflict): it is active all the same.
            boolean ours = j.getMetadata().getAnnotations() != null
                    && j.getMetadata().getAnnotations().containsKey(SCHEDULED_TIMESTAMP_ANNOTATION);
            if (!listed && finished == null && ours && !Owners.isDeleting(j)) {
                active.add(referenceTo(j));
            } else if (!listed && finished == null) {
                events.warning(cj, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + j.getMetadata().getName());
            } else if (listed && finished != null) {
                active.removeIf(r -> j.getMetadata().getUid().equals(r.getUid()));
                events.normal(cj, "SawCompletedJob", "Saw completed job: " + j.getMetadata().getName() + ", condition: " + finished);
            }
            String completed = "Complete".equals(finished) ? j.getStatus().getCompletionTime() : null;
            if (completed != null && (status.getLastSuccessfulTime() == null
                    || Instant.parse(completed).isAfter(Instant.parse(status.getLastSuccessfulTime())))) {
                status.setLastSuccessfulTime(completed);
            }
        }
        active.removeIf(r -> !uids.contains(r.getUid()));
        status.setActive(active.isEmpty() ? null : active);
    }

    private void deleteFinishedBeyondLimits(CronJob cj, List<Job> jobs) {
        int keepOk = cj.getSpec().getSuccessfulJobsHistoryLimit() == null ? 3 : cj.getSpec().getSuccessfulJobsHistoryLimit();
        int keepFailed = cj.getSpec().getFailedJobsHistoryLimit() == null ? 1 : cj.getSpec().getFailedJobsHistoryLimit();
        deleteOldest(cj, jobs.stream().filter(j -> "Complete".equals(JobState.finishedCondition(j))).toList(), keepOk);
        deleteOldest(cj, jobs.stream().filter(j -> "Failed".equals(JobState.finishedCondition(j))).toList(), keepFailed);
    }

    private void deleteOldest(CronJob cj, List<Job> finished, int keep) {
        List<Job> oldestFirst = finished.stream().filter(j -> !Owners.isDeleting(j))
                .sorted(Comparator.comparing(JobState::startedOrCreated).thenComparing(j -> j.getMetadata().getName())).toList();
        for (int i = 0; i < oldestFirst.size() - keep; i++) deleteJob(cj, oldestFirst.get(i));
    }

    /** Starts the Job of the latest missed scheduled time, if allowed; returns when to look again. */
    private SyncResult schedule(CronJob cj, List<Job> jobs) {
        CronSchedule schedule;
        ZoneId zone;
        try {
            schedule = CronSchedule.parse(cj.getSpec().getSchedule());
            zone = cj.getSpec().getTimeZone() == null ? ZoneId.systemDefault() : ZoneId.of(cj.getSpec().getTimeZone());
        } catch (RuntimeException e) {
            events.warning(cj, "UnparseableSchedule", "unparseable schedule: " + cj.getSpec().getSchedule() + " : " + e.getMessage());
            return SyncResult.done();
        }
        if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) return SyncResult.done();
        Instant now = clock.instant();
        ZonedDateTime nowZ = now.atZone(zone);
        Instant earliest = Instant.parse(cj.getStatus().getLastScheduleTime() != null
                ? cj.getStatus().getLastScheduleTime() : cj.getMetadata().getCreationTimestamp());
        Long deadline = cj.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && earliest.isBefore(now.minusSeconds(deadline))) earliest = now.minusSeconds(deadline);

        ZonedDateTime scheduled = null;
        int missed = 0;
        for (ZonedDateTime t = schedule.next(earliest.atZone(zone), zone); t != null && !t.isAfter(nowZ); t = schedule.next(t, zone)) {
            scheduled = t;
            missed++;
        }
        SyncResult next = requeueForNext(schedule, nowZ, zone, now);
        if (scheduled == null) return next;
        if (missed > TOO_MANY_MISSED) {
            events.warning(cj, "TooManyMissedTimes", "too many missed start times: " + missed
                    + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        }
        if (deadline != null && scheduled.toInstant().plusSeconds(deadline).isBefore(now)) {
            events.warning(cj, "MissSchedule", "Missed scheduled time to start a job: " + scheduled.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            return next;
        }
        String name = jobName(cj, scheduled.toInstant());
        boolean alreadyRun = jobs.stream().anyMatch(j -> j.getMetadata().getName().equals(name))
                || active(cj).stream().anyMatch(r -> name.equals(r.getName()));
        if (alreadyRun) {
            // Started by a sync whose status write was lost; record it now.
            cj.getStatus().setLastScheduleTime(scheduled.toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
            return next;
        }
        String policy = cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
        if ("Forbid".equals(policy) && !active(cj).isEmpty()) {
            events.normal(cj, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            return next;
        }
        if ("Replace".equals(policy)) {
            for (ObjectReference r : active(cj)) {
                jobs.stream().filter(j -> j.getMetadata().getUid().equals(r.getUid())).findFirst().ifPresent(j -> deleteJob(cj, j));
            }
            cj.getStatus().setActive(null);
        }
        Job created = createJob(cj, name, scheduled);
        List<ObjectReference> active = new ArrayList<>(active(cj));
        active.add(referenceTo(created));
        cj.getStatus().setActive(active);
        cj.getStatus().setLastScheduleTime(scheduled.toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
        return next;
    }

    private static ObjectReference referenceTo(Job j) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(j.getMetadata().getNamespace()).withName(j.getMetadata().getName())
                .withUid(j.getMetadata().getUid()).withResourceVersion(j.getMetadata().getResourceVersion()).build();
    }

    private static List<ObjectReference> active(CronJob cj) {
        return cj.getStatus().getActive() == null ? List.of() : cj.getStatus().getActive();
    }

    private SyncResult requeueForNext(CronSchedule schedule, ZonedDateTime nowZ, ZoneId zone, Instant now) {
        ZonedDateTime next = schedule.next(nowZ, zone);
        if (next == null) return SyncResult.done();
        return SyncResult.requeueAfter(Duration.between(now, next.toInstant()).plus(NEXT_SCHEDULE_DELTA));
    }

    /** {@code <cronjob>-<minutes since the epoch>}: one name per scheduled time, so a retry cannot start it twice. */
    static String jobName(CronJob cj, Instant scheduled) {
        return cj.getMetadata().getName() + "-" + scheduled.getEpochSecond() / 60;
    }

    private Job createJob(CronJob cj, String name, ZonedDateTime scheduled) {
        JobTemplateSpec t = Copies.deepCopy(cj.getSpec().getJobTemplate());
        Map<String, String> annotations = new LinkedHashMap<>();
        if (t.getMetadata() != null && t.getMetadata().getAnnotations() != null) annotations.putAll(t.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP_ANNOTATION, scheduled.truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        Job job = new Job();
        job.setApiVersion("batch/v1");
        job.setKind("Job");
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(cj.getMetadata().getNamespace())
                .withLabels(t.getMetadata() == null ? null : t.getMetadata().getLabels()).withAnnotations(annotations)
                .withOwnerReferences(Owners.controllerRef(cj)).build());
        job.setSpec(t.getSpec());
        try {
            Job created = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).resource(job).create();
            events.normal(cj, "SuccessfulCreate", "Created job " + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                Job existing = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).withName(name).get();
                if (existing != null && Owners.isControlledBy(existing, cj)) return existing;
            }
            events.warning(cj, "FailedCreate", "Error creating job: " + e.getMessage());
            throw e;
        }
    }

    private void deleteJob(CronJob cj, Job j) {
        try {
            client.batch().v1().jobs().inNamespace(j.getMetadata().getNamespace()).withName(j.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            events.normal(cj, "SuccessfulDelete", "Deleted job " + j.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }
}
