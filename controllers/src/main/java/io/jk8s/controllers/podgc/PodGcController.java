package io.jk8s.controllers.podgc;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Pods;
import io.jk8s.controllers.runtime.SyncResult;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pod garbage collection (upstream podgc): force-deletes pods bound to nodes that no longer
 * exist and terminating pods that were never scheduled, and deletes the oldest terminated
 * (Succeeded/Failed) pods beyond {@code podGcThreshold}. One scan at a time: every 20 s, and
 * when a node is deleted or a pod finishes.
 */
public final class PodGcController extends Controller {

    static final String SCAN = "scan";
    static final long PERIOD_SECONDS = 20;

    private final KubernetesClient client;
    private final Informers informers;
    private final int threshold;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "podgc");
        t.setDaemon(true);
        return t;
    });

    public PodGcController(ControllerContext ctx) {
        super("podgc");
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.threshold = ctx.config().podGcThreshold();
    }

    @Override
    public void register(Informers inf) {
        inf.on(Node.class, n -> { }, (o, n) -> { }, n -> enqueue(SCAN));
        inf.on(Pod.class, p -> {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            boolean unknownNode = node != null && !node.isEmpty() && informers.get(Node.class, node) == null;
            if (unknownNode || Pods.isTerminated(p) || p.getMetadata().getDeletionTimestamp() != null) enqueue(SCAN);
        }, (o, p) -> {
            if (Pods.isTerminated(p) != Pods.isTerminated(o) || p.getMetadata().getDeletionTimestamp() != null) enqueue(SCAN);
        }, p -> { });
    }

    @Override
    public synchronized void start(int count) {
        super.start(1);
        ticker.scheduleAtFixedRate(() -> enqueue(SCAN), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        super.close();
    }

    @Override
    protected SyncResult sync(String key) {
        List<Pod> pods = informers.of(Pod.class).getStore().list();
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            boolean unscheduled = node == null || node.isEmpty();
            if (unscheduled && p.getMetadata().getDeletionTimestamp() != null) {
                forceDelete(p);
            } else if (!unscheduled && informers.get(Node.class, node) == null && nodeGone(node)) {
                forceDelete(p);
            }
        }
        List<Pod> terminated = pods.stream().filter(Pods::isTerminated)
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(Pods::created)).toList();
        for (int i = 0; i < terminated.size() - threshold; i++) forceDelete(terminated.get(i));
        return SyncResult.done();
    }

    /** Confirms with the API server: a node just created may not be in the cache yet. */
    private boolean nodeGone(String name) {
        return client.nodes().withName(name).get() == null;
    }

    private void forceDelete(Pod p) {
        try {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).withGracePeriod(0).delete();
            log.info("podgc deleted {}/{}", p.getMetadata().getNamespace(), p.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }
}
