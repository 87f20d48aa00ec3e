package io.jk8s.network;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * One node's pod network agent (flannel's job): an API client that watches Nodes and routes every
 * other node's pod range to it — a plain route when the peer shares this node's L2 subnet, VXLAN
 * otherwise — and removes the route when the node goes or its range changes. It also publishes
 * this node's VTEP MAC and address as Node annotations and installs the node-wide
 * {@link HostRules} (masquerade, unreachable routes, service CIDR).
 *
 * <p>One worker thread reconciles the whole desired state against what it applied, on every Node
 * event and every {@link #RESYNC}; each step is idempotent. After a restart it re-applies
 * everything and deletes routes it marked as its own ({@code proto 77}) that no node wants any
 * more. Closing stops the agent but leaves the network in place (pods keep talking while the agent
 * restarts); {@link HostRules#teardown()} removes it.
 */
public final class NetworkAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetworkAgent.class);
    static final Duration RESYNC = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final NetworkConfig cfg;
    private final Host host;
    private final Map<String, PeerRoute> applied = new HashMap<>();
    private final Object signal = new Object();
    private boolean dirty;
    private volatile boolean closed;
    private SharedIndexInformer<Node> informer;
    private RoutePlanner planner;
    private VtepDevice vtep;
    private boolean purged;
    private Thread worker;

    public NetworkAgent(KubernetesClient client, NetworkConfig cfg, Host host) {
        this.client = client;
        this.cfg = cfg;
        this.host = host;
    }

    /** Installs the host rules and starts watching Nodes; completes once the first reconcile ran. */
    public CompletableFuture<Void> start() {
        LocalInterface underlay = LocalInterface.holding(host, cfg.nodeIp());
        planner = new RoutePlanner(cfg, underlay);
        vtep = new VtepDevice(host, cfg, underlay);
        new HostRules(host, cfg).install();
        CompletableFuture<Void> firstPass = new CompletableFuture<>();
        informer = client.nodes().runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node n) {
                wake();
            }

            @Override
            public void onUpdate(Node o, Node n) {
                if (!Objects.equals(o.getSpec(), n.getSpec()) || !Objects.equals(o.getMetadata().getAnnotations(), n.getMetadata().getAnnotations())
                        || !Objects.equals(Nodes.address(o), Nodes.address(n))) wake();
            }

            @Override
            public void onDelete(Node n, boolean unknown) {
                wake();
            }
        });
        log.info("network agent for {} ({} via {}, backend {})", cfg.nodeName(), cfg.nodeIp(), underlay.name(), cfg.backend());
        return informer.start().toCompletableFuture().thenCompose(v -> {
            worker = Thread.ofPlatform().daemon().name("network-agent").start(() -> loop(firstPass));
            wake();
            return firstPass;
        });
    }

    private void wake() {
        synchronized (signal) {
            dirty = true;
            signal.notifyAll();
        }
    }

    private void loop(CompletableFuture<Void> firstPass) {
        while (!closed) {
            try {
                synchronized (signal) {
                    if (!dirty) signal.wait(RESYNC.toMillis());
                    dirty = false;
                }
                reconcile();
                firstPass.complete(null);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) return;
                log.warn("network agent {}: reconcile failed, retrying in {} s: {}", cfg.nodeName(), RETRY.toSeconds(), e.toString());
                try {
                    Thread.sleep(RETRY); // back off before the retry; not a synchronisation
                } catch (InterruptedException ie) {
                    return;
                }
                wake();
            }
        }
    }

    /** Brings routes, VTEP and annotations in line with the Nodes in the cache. */
    void reconcile() {
        List<Node> nodes = informer.getStore().list();
        nodes.stream().filter(n -> Nodes.name(n).equals(cfg.nodeName())).findFirst().ifPresent(this::ensureSelf);
        Map<String, PeerRoute> desired = new HashMap<>();
        for (Node n : nodes) planner.plan(n).ifPresent(r -> desired.put(Nodes.name(n), r));
        if (!purged) {
            purgeStaleRoutes(desired.values().stream().map(PeerRoute::cidr).collect(Collectors.toSet()));
            purged = true;
        }
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().equals(desired.get(e.getKey()))) {
                e.getValue().remove().forEach(cmd -> host.run(cmd, null));
                log.info("network agent {}: removed route to {} ({})", cfg.nodeName(), e.getKey(), e.getValue());
                it.remove();
            }
        }
        for (var e : desired.entrySet()) {
            if (e.getValue().equals(applied.get(e.getKey()))) continue;
            for (List<String> cmd : e.getValue().install()) host.check(cmd.toArray(String[]::new));
            applied.put(e.getKey(), e.getValue());
            log.info("network agent {}: route to {} ({})", cfg.nodeName(), e.getKey(), e.getValue());
        }
    }

    /** Our VTEP for our own range, and the annotations peers need to reach it. */
    private void ensureSelf(Node self) {
        Optional<String> own = Nodes.podCidr(self);
        if (own.isEmpty()) return;
        String mac = vtep.ensure(own.get());
        Map<String, String> want = Map.of(NetworkConfig.VTEP_MAC_ANNOTATION, mac, NetworkConfig.PUBLIC_IP_ANNOTATION, cfg.nodeIp());
        boolean current = want.entrySet().stream().allMatch(e -> Nodes.annotation(self, e.getKey()).equals(Optional.of(e.getValue())));
        if (!current) {
            client.nodes().withName(cfg.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    Serialization.asJson(Map.of("metadata", Map.of("annotations", want))));
        }
    }

    /** Routes marked as ours left by an earlier run for nodes that are gone. */
    private void purgeStaleRoutes(Set<String> wanted) {
        String routes = host.check("ip", "-o", "route", "show", "proto", NetworkConfig.ROUTE_PROTO);
        for (String line : routes.split("\n")) {
            String dst = line.strip().split("\\s+")[0];
            if (dst.isEmpty() || wanted.contains(dst)) continue;
            host.run("ip", "route", "del", dst, "proto", NetworkConfig.ROUTE_PROTO);
            log.info("network agent {}: removed stale route to {}", cfg.nodeName(), dst);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) informer.close();
        if (worker != null) worker.interrupt();
    }
}
