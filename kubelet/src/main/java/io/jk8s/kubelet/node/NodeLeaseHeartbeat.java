package io.jk8s.kubelet.node;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Renews the node's Lease in {@code kube-node-lease} every {@code renewInterval} (upstream:
 * 10 s, lease duration 40 s): the cheap heartbeat the node lifecycle controller watches.
 * Failures are logged and retried at the next tick; the lease is created if missing.
 */
public final class NodeLeaseHeartbeat implements AutoCloseable {

    public static final String NAMESPACE = "kube-node-lease";
    private static final Logger log = LoggerFactory.getLogger(NodeLeaseHeartbeat.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Duration renewInterval;
    private final Duration leaseDuration;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("node-lease").daemon().factory());
    private volatile String nodeUid;

    public NodeLeaseHeartbeat(KubernetesClient client, String nodeName, Clock clock, Duration renewInterval,
                              Duration leaseDuration) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
        this.renewInterval = renewInterval;
        this.leaseDuration = leaseDuration;
    }

    /** Starts renewing; {@code nodeUid} makes the Node the lease's owner (so they are deleted together). */
    public void start(String nodeUid) {
        this.nodeUid = nodeUid;
        timer.scheduleWithFixedDelay(this::renewQuietly, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            log.warn("node {}: lease renewal failed: {}", nodeName, e.toString());
        }
    }

    /** One renewal: update renewTime, creating the lease when it does not exist. */
    void renew() {
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        var leases = client.leases().inNamespace(NAMESPACE);
        Lease existing = leases.withName(nodeName).get();
        if (existing == null) {
            LeaseBuilder lease = new LeaseBuilder().withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                    .endMetadata()
                    .withNewSpec().withHolderIdentity(nodeName)
                    .withLeaseDurationSeconds((int) leaseDuration.toSeconds()).withRenewTime(now).endSpec();
            if (nodeUid != null) {
                lease.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                        .withName(nodeName).withUid(nodeUid).build()).endMetadata();
            }
            try {
                leases.resource(lease.build()).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) { // someone (a previous run) created it meanwhile
                    throw e;
                }
            }
            return;
        }
        Lease renewed = new LeaseBuilder(existing).editSpec().withHolderIdentity(nodeName)
                .withLeaseDurationSeconds((int) leaseDuration.toSeconds()).withRenewTime(now).endSpec().build();
        leases.resource(renewed).update(); // optimistic: a conflict is retried at the next tick
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
