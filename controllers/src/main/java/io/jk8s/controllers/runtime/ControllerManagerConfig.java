package io.jk8s.controllers.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Settings of the controller manager.
 *
 * @param controllers       names of the controllers to run ({@link #ALL} for every one)
 * @param leaderElect       run controllers only while holding {@code kube-system/kube-controller-manager}
 * @param identity          holder identity written into the Lease
 * @param leaseDuration     Lease duration (upstream default 15 s)
 * @param renewDeadline     how long the leader retries renewing before giving up (10 s)
 * @param retryPeriod       how often candidates try (2 s)
 * @param workers           worker threads per controller
 * @param nodeMonitorGracePeriod   a node whose Lease/status is older than this turns Ready=Unknown (40 s)
 * @param nodeMonitorPeriod how often node health is checked (5 s)
 * @param podGcThreshold    terminated pods kept before the oldest are deleted (12500)
 * @param clock             time source (injectable for tests)
 * @param signingCaCertFile PEM CA certificate the CSR signer issues with ({@code --cluster-signing-cert-file}); null = none
 * @param signingCaKeyFile  PEM private key of that CA
 * @param clusterCidr       the pod network node IPAM carves per-node /{@value #NODE_CIDR_MASK_SIZE} ranges from
 *                          ({@code --cluster-cidr}, default 10.244.0.0/16)
 */
public record ControllerManagerConfig(Set<String> controllers, boolean leaderElect, String identity,
                                      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                      int workers, Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod,
                                      int podGcThreshold, Clock clock, String clusterCidr,
                                      java.nio.file.Path signingCaCertFile, java.nio.file.Path signingCaKeyFile) {

    /** Without a signing CA (the CSR signer then signs nothing). */
    public ControllerManagerConfig(Set<String> controllers, boolean leaderElect, String identity,
                                   Duration leaseDuration, Duration renewDeadline, Duration retryPeriod,
                                   int workers, Duration nodeMonitorGracePeriod, Duration nodeMonitorPeriod,
                                   int podGcThreshold, Clock clock, String clusterCidr) {
        this(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, clock, clusterCidr, null, null);
    }

    public static final Set<String> ALL = Set.of("*");
    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";
    /** Size of each node's pod range, as upstream's {@code --node-cidr-mask-size} default for IPv4. */
    public static final int NODE_CIDR_MASK_SIZE = 24;

    public static ControllerManagerConfig defaults() {
        return new ControllerManagerConfig(ALL, true, "jk8s-controller-manager-" + ProcessHandle.current().pid(),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2), 4,
                Duration.ofSeconds(40), Duration.ofSeconds(5), 12500, Clock.systemUTC(), DEFAULT_CLUSTER_CIDR);
    }

    public boolean enabled(String controller) {
        return controllers.contains("*") || controllers.contains(controller);
    }

    public ControllerManagerConfig withControllers(Set<String> c) {
        return new ControllerManagerConfig(c, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, clock, clusterCidr, signingCaCertFile, signingCaKeyFile);
    }

    public ControllerManagerConfig withLeaderElect(boolean le) {
        return new ControllerManagerConfig(controllers, le, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, clock, clusterCidr, signingCaCertFile, signingCaKeyFile);
    }

    public ControllerManagerConfig withNodeMonitor(Duration grace, Duration period) {
        return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                grace, period, podGcThreshold, clock, clusterCidr, signingCaCertFile, signingCaKeyFile);
    }

    public ControllerManagerConfig withClock(Clock c) {
        return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, c, clusterCidr, signingCaCertFile, signingCaKeyFile);
    }

    public ControllerManagerConfig withPodGcThreshold(int t) {
        return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, t, clock, clusterCidr, signingCaCertFile, signingCaKeyFile);
    }

    public ControllerManagerConfig withClusterCidr(String cidr) {
        return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, clock, cidr, signingCaCertFile, signingCaKeyFile);
    }

    /** The CA the CSR signer issues certificates with. */
    public ControllerManagerConfig withSigningCa(java.nio.file.Path certFile, java.nio.file.Path keyFile) {
        return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration, renewDeadline, retryPeriod, workers,
                nodeMonitorGracePeriod, nodeMonitorPeriod, podGcThreshold, clock, clusterCidr, certFile, keyFile);
    }
}
