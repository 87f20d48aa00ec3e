package io.jk8s.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.jk8s.controllers.runtime.Controller;
import io.jk8s.controllers.runtime.ControllerContext;
import io.jk8s.controllers.runtime.ControllerManagerConfig;
import io.jk8s.controllers.runtime.EventRecorder;
import io.jk8s.controllers.runtime.Informers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The controller manager: builds the enabled controllers over one set of shared informers and
 * runs them while it holds the {@code kube-system/kube-controller-manager} Lease (or always, when
 * leader election is off).
 *
 * <p>{@link #start()} completes once the controllers run (informers synced); with leader election
 * that is when this instance first becomes leader. Losing the lease stops the controllers; the
 * manager must then be closed and a new one started (as upstream, which exits).
 */
public final class ControllerManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);
    public static final String LEASE_NAMESPACE = "kube-system";
    public static final String LEASE_NAME = "kube-controller-manager";

    private final KubernetesClient client;
    private final ControllerManagerConfig cfg;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private final List<Controller> controllers = new ArrayList<>();
    private Informers informers;
    private EventRecorder events;
    private CompletableFuture<?> leaderElection;
    private volatile boolean closed;

    public ControllerManager(KubernetesClient client, ControllerManagerConfig cfg) {
        this.client = client;
        this.cfg = cfg;
    }

    public CompletableFuture<Void> start() {
        if (!cfg.leaderElect()) {
            runControllers();
            return running;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(LEASE_NAME)
                .withLock(new LeaseLock(LEASE_NAMESPACE, LEASE_NAME, cfg.identity()))
                .withLeaseDuration(cfg.leaseDuration())
                .withRenewDeadline(cfg.renewDeadline())
                .withRetryPeriod(cfg.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::runControllers, this::stopControllers,
                        leader -> log.info("controller manager leader is {}", leader)))
                .build();
        leaderElection = client.leaderElector().withConfig(config).build().start();
        return running;
    }

    /** Names of the controllers this manager knows, in start order. */
    public static List<String> knownControllers() {
        return Controllers.FACTORIES.stream().map(Controllers.Factory::name).toList();
    }

    private synchronized void runControllers() {
        if (closed || informers != null) return;
        informers = new Informers(client);
        events = new EventRecorder(client, "controller-manager", cfg.clock());
        ControllerContext ctx = new ControllerContext(client, informers, events, cfg);
        for (Controllers.Factory f : Controllers.FACTORIES) {
            if (!cfg.enabled(f.name())) continue;
            Controller c = f.create().apply(ctx);
            c.register(informers);
            controllers.add(c);
        }
        informers.start().whenComplete((v, err) -> {
            if (err != null) {
                log.error("informers did not sync", err);
                running.completeExceptionally(err);
                return;
            }
            synchronized (this) {
                if (closed) return;
                for (Controller c : controllers) c.start(cfg.workers());
            }
            log.info("controller manager running {} controllers", controllers.size());
            running.complete(null);
        });
    }

    private synchronized void stopControllers() {
        if (informers == null) return;
        if (!closed) log.warn("controller manager lost leadership; stopping controllers");
        controllers.forEach(Controller::close);
        controllers.clear();
        informers.close();
        events.close();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (leaderElection != null) leaderElection.cancel(true);
        stopControllers();
        if (!running.isDone()) running.completeExceptionally(new IllegalStateException("closed"));
    }

    /** Registered controller factories (one line per controller). */
    static final class Controllers {
        record Factory(String name, Function<ControllerContext, Controller> create) {}

        static final List<Factory> FACTORIES = List.of(
                new Factory("replicaset", io.jk8s.controllers.replicaset.ReplicaSetController::new),
                new Factory("deployment", io.jk8s.controllers.deployment.DeploymentController::new),
                new Factory("garbagecollector", io.jk8s.controllers.gc.GarbageCollector::new),
                new Factory("serviceaccount", io.jk8s.controllers.serviceaccount.ServiceAccountController::new),
                new Factory("job", io.jk8s.controllers.job.JobController::new),
                new Factory("nodelifecycle", io.jk8s.controllers.node.NodeLifecycleController::new),
                new Factory("endpoints", io.jk8s.controllers.endpoints.EndpointsController::new),
                new Factory("endpointslice", io.jk8s.controllers.endpoints.EndpointSliceController::new),
                new Factory("podgc", io.jk8s.controllers.podgc.PodGcController::new),
                new Factory("persistentvolume-binder", io.jk8s.controllers.volume.PersistentVolumeBinderController::new),
                new Factory("csrapproving", io.jk8s.controllers.certificates.CsrApprovingController::new),
                new Factory("csrsigning", io.jk8s.controllers.certificates.CsrSigningController::new),
                new Factory("daemonset", io.jk8s.controllers.daemonset.DaemonSetController::new),
                new Factory("statefulset", io.jk8s.controllers.statefulset.StatefulSetController::new),
                new Factory("cronjob", io.jk8s.controllers.cronjob.CronJobController::new),
                new Factory("nodeipam", io.jk8s.controllers.nodeipam.NodeIpamController::new),
                new Factory("root-ca-cert-publisher", io.jk8s.controllers.rootca.RootCaPublisher::new)
        );

        private Controllers() {
        }
    }
}
