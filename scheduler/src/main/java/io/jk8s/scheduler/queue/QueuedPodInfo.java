package io.jk8s.scheduler.queue;

import io.jk8s.scheduler.framework.PodInfo;

import java.util.Set;

/**
 * A pending pod in the scheduling queue: the latest PodInfo, when it was first and last queued,
 * how many scheduling attempts it had, and which plugins rejected it last time.
 */
public final class QueuedPodInfo {

    private volatile PodInfo podInfo;
    private final long initialAttemptMillis;
    private long timestampMillis;
    private int attempts;
    private Set<String> unschedulablePlugins = Set.of();

    QueuedPodInfo(PodInfo podInfo, long nowMillis) {
        this.podInfo = podInfo;
        this.initialAttemptMillis = nowMillis;
        this.timestampMillis = nowMillis;
    }

    public PodInfo podInfo() {
        return podInfo;
    }

    void setPodInfo(PodInfo podInfo) {
        this.podInfo = podInfo;
    }

    /** When the pod was first added to the queue. */
    public long initialAttemptMillis() {
        return initialAttemptMillis;
    }

    /** When the pod was last (re)queued; the tie-break after priority in the active queue. */
    public long timestampMillis() {
        return timestampMillis;
    }

    void setTimestampMillis(long t) {
        this.timestampMillis = t;
    }

    public int attempts() {
        return attempts;
    }

    void incrementAttempts() {
        attempts++;
    }

    public Set<String> unschedulablePlugins() {
        return unschedulablePlugins;
    }

    public void setUnschedulablePlugins(Set<String> plugins) {
        this.unschedulablePlugins = Set.copyOf(plugins);
    }

    @Override
    public String toString() {
        return podInfo.key() + "(attempts=" + attempts + ")";
    }
}
