package io.jk8s.controllers.job;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.replicaset.ReplicaSetController;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Copies;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Expectations;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.OwnerEvents;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.SlowStart;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs Jobs to completion: keeps {@code min(parallelism, remaining completions)} pods active,
 * counts succeeded and failed pods, fails the Job past {@code backoffLimit} failures or
 * {@code activeDeadlineSeconds}, sets the Complete/Failed conditions, and deletes a finished Job
 * {@code ttlSecondsAfterFinished} after it finished.
 */
public final class JobController extends Controller {

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final Expectations expectations;

    public JobController(ControllerContext ctx) {
        super("job");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clock = ctx.clock();
        this.expectations = new Expectations(clock);
    }

    @Override
    public void register(Informers inf) {
        inf.on(Job.class, OwnerEvents.owner(expectations, this::enqueue));
        inf.on(Pod.class, OwnerEvents.controlled("Job", expectations, this::enqueue));
    }

    private static boolean finished(Job job) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) return false;
        return job.getStatus().getConditions().stream()
                .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
    }

    @Override
    protected SyncResult sync(String key) {
        Job cached = informers.get(Job.class, key);
        if (cached == null) {
            expectations.forget(key);
            return SyncResult.done();
        }
        Job job = Copies.deepCopy(cached);
        job.setApiVersion("batch/v1");
        job.setKind("Job");
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (finished(job)) return ttl(job, now);
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) return SyncResult.done();

        List<Pod> pods = informers.controlledBy(Pod.class, job.getMetadata().getUid());
        List<Pod> active = pods.stream().filter(Pods::isActive).toList();
        int succeeded = (int) pods.stream().filter(p -> "Succeeded".equals(Pods.phase(p))).count();
        int failed = (int) pods.stream().filter(p -> "Failed".equals(Pods.phase(p))).count();
        int ready = (int) active.stream().filter(Pods::isReady).count();
        JobStatus status = job.getStatus() == null ? new JobStatus() : Copies.deepCopy(job.getStatus());
        // Pods that disappear must not lower the counts (there is no pod finalizer tracking here).
        succeeded = Math.max(succeeded, nz(status.getSucceeded()));
        failed = Math.max(failed, nz(status.getFailed()));
        if (status.getStartTime() == null) status.setStartTime(now.toString());
        Instant start = Instant.parse(status.getStartTime());

        int backoffLimit = job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
        Integer completions = job.getSpec().getCompletions();
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        SyncResult result = SyncResult.done();
        String failReason = null;
        String failMessage = null;
        if (failed > backoffLimit) {
            failReason = "BackoffLimitExceeded";
            failMessage = "Job has reached the specified backoff limit";
        } else if (deadline != null && !now.isBefore(start.plusSeconds(deadline))) {
            failReason = "DeadlineExceeded";
            failMessage = "Job was active longer than specified deadline";
        } else if (deadline != null) {
            result = SyncResult.requeueAfter(Duration.between(now, start.plusSeconds(deadline)).plusMillis(200));
        }
        boolean complete = completions == null ? succeeded > 0 && active.isEmpty() : succeeded >= completions;
        if (failReason != null) {
            deleteAll(active);
            active = List.of();
            addCondition(status, "Failed", failReason, failMessage, now);
            events.warning(job, failReason, failMessage);
        } else if (complete) {
            deleteAll(active);
            active = List.of();
            status.setCompletionTime(now.toString());
            addCondition(status, "Complete", null, null, now);
            events.normal(job, "Completed", "Job completed");
        } else if (expectations.satisfied(key)) {
            int want = completions == null ? (succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, completions - succeeded);
            int diff = want - active.size();
            if (diff > 0) {
                expectations.expect(key, diff, 0);
                Job owner = job;
                int created = SlowStart.run(diff, 1, i -> create(owner));
                if (created < diff) expectations.lowerAdds(key, diff - created);
            } else if (diff < 0) {
                deleteAll(active.stream().sorted(Pods.DELETE_FIRST).limit(-diff).toList());
            }
        }
        status.setActive(active.size());
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        status.setReady(ready);
        if (!status.equals(cached.getStatus())) {
            job.setStatus(status);
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
        }
        if (finished(job)) return ttl(job, now);
        return result;
    }

    private boolean create(Job job) {
        Pod pod = ReplicaSetController.podFromTemplate(job, job.getSpec().getTemplate());
        try {
            Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
            events.normal(job, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
            return true;
        } catch (KubernetesClientException e) {
            events.warning(job, "FailedCreate", "Error creating: " + e.getMessage());
            return false;
        }
    }

    private void deleteAll(List<Pod> pods) {
        for (Pod p : pods) {
            try {
                client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) throw e;
            }
        }
    }

    private SyncResult ttl(Job job, Instant now) {
        Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
        if (ttl == null) return SyncResult.done();
        JobStatus s = job.getStatus();
        String finishedAt = s.getCompletionTime();
        if (finishedAt == null && s.getConditions() != null) {
            finishedAt = s.getConditions().stream().filter(c -> "True".equals(c.getStatus()))
                    .map(JobCondition::getLastTransitionTime).findFirst().orElse(null);
        }
        Instant expires = finishedAt == null ? now : Instant.parse(finishedAt).plusSeconds(ttl);
        if (now.isBefore(expires)) return SyncResult.requeueAfter(Duration.between(now, expires).plusMillis(200));
        try {
            client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
        return SyncResult.done();
    }

    private static void addCondition(JobStatus status, String type, String reason, String message, Instant now) {
        List<JobCondition> conds = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
        conds.removeIf(c -> type.equals(c.getType()));
        JobCondition c = new JobCondition();
        c.setType(type);
        c.setStatus("True");
        c.setReason(reason);
        c.setMessage(message);
        c.setLastProbeTime(now.toString());
        c.setLastTransitionTime(now.toString());
        conds.add(c);
        status.setConditions(conds);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }
}
