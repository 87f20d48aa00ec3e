package io.jk8s.controllers.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/** A Job's outcome as the CronJob controller reads it. */
final class JobState {

    private JobState() {
    }

    /** "Complete" or "Failed" when the Job has finished, else null. */
    static String finishedCondition(Job j) {
        if (j.getStatus() == null || j.getStatus().getConditions() == null) return null;
        for (JobCondition c : j.getStatus().getConditions()) {
            if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) return c.getType();
        }
        return null;
    }

    static String startedOrCreated(Job j) {
        String s = j.getStatus() == null ? null : j.getStatus().getStartTime();
        return s != null ? s : j.getMetadata().getCreationTimestamp() == null ? "" : j.getMetadata().getCreationTimestamp();
    }
}
