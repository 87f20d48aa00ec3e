package io.jk8s.controllers.nodeipam;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.SyncResult;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node IPAM (upstream's range allocator): gives every Node without one a
 * {@code spec.podCIDR}/{@code spec.podCIDRs} of its own out of the cluster CIDR, never the same
 * range twice. Ranges nodes already have are kept and counted as taken (a node that registers
 * with its own range, like the server's, keeps it); a deleted node's range is released. When
 * the cluster CIDR is exhausted the node gets a {@code CIDRNotAvailable} warning event and is
 * retried when a range is released (and every 30 s). Keys are node names.
 *
 * <p>The set of taken ranges lives in memory and is rebuilt from the node cache on the first
 * sync after the informers have synced, before anything is allocated, so a restarted (or newly
 * elected) controller manager never hands out a range a node already holds.
 */
public final class NodeIpamController extends Controller {

    static final String CIDR_NOT_AVAILABLE = "CIDRNotAvailable";
    private static final Duration FULL_RETRY = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final CidrSet cidrs;
    private final String clusterCidr;
    /** The range each node holds, as far as this allocator knows (to release it on delete). */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    /** Nodes that found the range full: retried as soon as a range is released. */
    private final java.util.Set<String> waiting = ConcurrentHashMap.newKeySet();
    private boolean seeded;

    public NodeIpamController(ControllerContext ctx) {
        super("nodeipam");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.events();
        this.clusterCidr = ctx.config().clusterCidr();
        this.cidrs = new CidrSet(clusterCidr, ControllerManagerConfig.NODE_CIDR_MASK_SIZE);
    }

    @Override
    public void register(Informers inf) {
        inf.on(Node.class, this::enqueue, (o, n) -> {
            if (!Objects.equals(podCidr(o), podCidr(n)) || podCidr(n).isEmpty()) enqueue(n);
        }, this::enqueue);
    }

    @Override
    protected SyncResult sync(String name) {
        seedOnce();
        Node node = informers.get(Node.class, name);
        if (node == null) {
            String released = held.remove(name);
            waiting.remove(name);
            if (released != null) {
                cidrs.release(released);
                log.info("node {} deleted: pod CIDR {} released", name, released);
                waiting.forEach(this::enqueue);
            }
            return SyncResult.done();
        }
        Optional<String> current = podCidr(node);
        if (current.isPresent()) {
            hold(name, current.get());
            return SyncResult.done();
        }
        // Allocated earlier but the cache has not caught up with our patch: write the same range again.
        String cidr = held.get(name);
        if (cidr == null) {
            Optional<String> next = cidrs.allocate();
            if (next.isEmpty()) {
                log.error("node {}: no pod CIDR left in cluster CIDR {} (all /{} ranges are taken); retrying in {} s",
                        name, clusterCidr, ControllerManagerConfig.NODE_CIDR_MASK_SIZE, FULL_RETRY.toSeconds());
                events.warning(node, CIDR_NOT_AVAILABLE, "Node " + name + " status is now: " + CIDR_NOT_AVAILABLE);
                waiting.add(name);
                return SyncResult.requeueAfter(FULL_RETRY);
            }
            cidr = next.get();
            held.put(name, cidr);
            waiting.remove(name);
        }
        try {
            client.nodes().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("spec", Map.of("podCIDR", cidr, "podCIDRs", List.of(cidr)))));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                held.remove(name);
                cidrs.release(cidr);
                return SyncResult.done();
            }
            throw e; // retried with the same range (still held)
        }
        log.info("node {}: pod CIDR {} allocated", name, cidr);
        events.normal(node, "CIDRAssignmentSucceeded", "Node " + name + " was assigned pod CIDR " + cidr);
        return SyncResult.done();
    }

    private void hold(String name, String cidr) {
        String previous = held.put(name, cidr);
        if (previous != null && !previous.equals(cidr)) cidrs.release(previous);
        cidrs.occupy(cidr);
    }

    private synchronized void seedOnce() {
        if (seeded) return;
        for (Node n : informers.of(Node.class).getStore().list()) {
            podCidr(n).ifPresent(c -> hold(n.getMetadata().getName(), c));
        }
        seeded = true;
        log.info("node IPAM over {}: {} /{} ranges free", clusterCidr, cidrs.free(), ControllerManagerConfig.NODE_CIDR_MASK_SIZE);
    }

    private static Optional<String> podCidr(Node n) {
        if (n.getSpec() == null) return Optional.empty();
        if (n.getSpec().getPodCIDRs() != null && !n.getSpec().getPodCIDRs().isEmpty()) {
            return Optional.of(n.getSpec().getPodCIDRs().getFirst());
        }
        String single = n.getSpec().getPodCIDR();
        return single == null || single.isEmpty() ? Optional.empty() : Optional.of(single);
    }
}
