package io.jk8s.scheduler;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the scheduler, with upstream's defaults in {@link #defaults()}.
 *
 * @param schedulerNames           the {@code spec.schedulerName} values this scheduler serves (one
 *                                 default profile each)
 * @param leaderElect              run only while holding the {@code leaseNamespace/leaseName} Lease
 * @param identity                 the holder identity written into the Lease
 * @param percentageOfNodesToScore 1-100 of the nodes to find feasible before scoring; 0 = adaptive
 * @param podInitialBackoff        first backoff after a failed attempt (doubles per attempt)
 * @param podMaxBackoff            backoff cap
 */
public record SchedulerConfig(
        Set<String> schedulerNames,
        boolean leaderElect,
        String leaseNamespace,
        String leaseName,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod,
        int percentageOfNodesToScore,
        Duration podInitialBackoff,
        Duration podMaxBackoff) {

    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public SchedulerConfig {
        schedulerNames = Set.copyOf(schedulerNames);
    }

    public static SchedulerConfig defaults() {
        return new SchedulerConfig(Set.of(DEFAULT_SCHEDULER_NAME), true, "kube-system", "kube-scheduler",
                defaultIdentity(), Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
                0, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    public SchedulerConfig withLeaderElect(boolean leaderElect) {
        return new SchedulerConfig(schedulerNames, leaderElect, leaseNamespace, leaseName, identity, leaseDuration,
                renewDeadline, retryPeriod, percentageOfNodesToScore, podInitialBackoff, podMaxBackoff);
    }

    public SchedulerConfig withIdentity(String identity) {
        return new SchedulerConfig(schedulerNames, leaderElect, leaseNamespace, leaseName, identity, leaseDuration,
                renewDeadline, retryPeriod, percentageOfNodesToScore, podInitialBackoff, podMaxBackoff);
    }

    public SchedulerConfig withPercentageOfNodesToScore(int pct) {
        return new SchedulerConfig(schedulerNames, leaderElect, leaseNamespace, leaseName, identity, leaseDuration,
                renewDeadline, retryPeriod, pct, podInitialBackoff, podMaxBackoff);
    }

    private static String defaultIdentity() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "_" + java.util.UUID.randomUUID();
    }
}
