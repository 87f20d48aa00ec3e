package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jk8s.scheduler.framework.Profile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The scheduler component: an API client that watches pods, nodes (and the workloads and priority
 * classes it needs) through informers, schedules pending pods whose {@code spec.schedulerName} it
 * serves, and binds them with the {@code pods/binding} subresource. With leader election it schedules
 * only while holding the {@code kube-system/kube-scheduler} Lease.
 */
public final class Scheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final KubernetesClient client;
    private final SchedulerConfig cfg;
    /** Most API calls in flight at once (bindings, events, status patches, preemption deletes). */
    static final int MAX_CONCURRENT_API_CALLS = 64;

    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore apiCalls = new Semaphore(MAX_CONCURRENT_API_CALLS);
    // A burst of thousands of pods must not become thousands of simultaneous requests.
    private final Executor sideEffects = task -> virtualThreads.execute(() -> {
        apiCalls.acquireUninterruptibly();
        try {
            task.run();
        } finally {
            apiCalls.release();
        }
    });
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final List<ResourceEventHandler<Pod>> extraPodHandlers = new ArrayList<>();
    /**
     * Bindings and events over {@link LeanApiWriter} (default) or through fabric8 ({@code -Djk8s.scheduler.leanWrites=false},
     * or when the client's config needs what only fabric8 does, e.g. a proxy).
     */
    private boolean leanWrites = Boolean.parseBoolean(System.getProperty("jk8s.scheduler.leanWrites", "true"));
    private LeanApiWriter leanWriter;
    private SchedulingEngine engine;
    private Thread loop;
    private Future<?> leaderElection;
    private volatile boolean closed;

    public Scheduler(KubernetesClient client, SchedulerConfig cfg) {
        this.client = client;
        this.cfg = cfg;
    }

    /**
     * Starts the informers, then (after leader election, if enabled) the scheduling loop.
     *
     * @return completes when the pod and node caches are synced (the scheduler is ready)
     */
    public synchronized CompletableFuture<Void> start() {
        SharedIndexInformer<Service> services = client.services().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<ReplicaSet> replicaSets = client.apps().replicaSets().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<StatefulSet> statefulSets = client.apps().statefulSets().inAnyNamespace().runnableInformer(0);
        SharedIndexInformer<PriorityClass> priorityClasses = client.scheduling().v1().priorityClasses().runnableInformer(0);
        WorkloadSelectors selectors = new WorkloadSelectors(services.getStore()::list, replicaSets.getStore()::list,
                statefulSets.getStore()::list);
        PriorityResolver priorities = new PriorityResolver(priorityClasses.getStore()::list);

        String leanUnsupported = leanWrites ? LeanApiWriter.unsupported(client.getConfiguration()) : "switched off";
        if (leanUnsupported == null) {
            leanWriter = LeanApiWriter.forConfig(client.getConfiguration(), MAX_CONCURRENT_API_CALLS);
        } else if (leanWrites) {
            LOG.info("bindings and events go through fabric8: {}", leanUnsupported);
        }
        Fabric8SchedulerApi api = new Fabric8SchedulerApi(client, SchedulerConfig.DEFAULT_SCHEDULER_NAME, cfg.identity(),
                leanWriter);
        List<Profile> profiles = cfg.schedulerNames().stream()
                .map(name -> DefaultProfile.create(name, api::bind, selectors)).toList();
        engine = new SchedulingEngine(profiles, api, sideEffects, InstantSource.system(), new Random(),
                cfg.percentageOfNodesToScore(), cfg.podInitialBackoff(), cfg.podMaxBackoff());

        SharedIndexInformer<Node> nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                engine.onNodeAdd(node);
            }

            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                engine.onNodeUpdate(oldNode, newNode);
            }

            @Override
            public void onDelete(Node node, boolean deletedFinalStateUnknown) {
                engine.onNodeDelete(node);
            }
        });
        SharedIndexInformer<Pod> pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                engine.onPodUpsert(priorities.resolve(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                engine.onPodUpsert(priorities.resolve(newPod));
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                engine.onPodDelete(pod);
            }
        });
        extraPodHandlers.forEach(pods::addEventHandler);
        informers.addAll(List.of(priorityClasses, services, replicaSets, statefulSets, nodes, pods));

        // Optional caches: a young API server may not serve them; scheduling works without them.
        for (SharedIndexInformer<?> optional : List.of(services, replicaSets, statefulSets)) {
            optional.start().exceptionally(e -> {
                LOG.warn("informer for default spreading failed: {}", e.getMessage());
                return null;
            });
        }
        CompletableFuture<Void> ready = CompletableFuture.allOf(
                priorityClasses.start().toCompletableFuture().exceptionally(e -> null),
                nodes.start().toCompletableFuture(),
                pods.start().toCompletableFuture());
        return ready.thenRun(this::runWhenLeader);
    }

    private synchronized void runWhenLeader() {
        if (closed) {
            return;
        }
        if (!cfg.leaderElect()) {
            startLoop();
            return;
        }
        var config = new LeaderElectionConfigBuilder()
                .withName(cfg.leaseName())
                .withLock(new LeaseLock(cfg.leaseNamespace(), cfg.leaseName(), cfg.identity()))
                .withLeaseDuration(cfg.leaseDuration())
                .withRenewDeadline(cfg.renewDeadline())
                .withRetryPeriod(cfg.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        this::startLoop,
                        () -> stopLoop("lost leadership"),
                        leader -> {
                            if (leader != null) {
                                LOG.info("scheduler leader is {}", leader);
                            }
                        }))
                .build();
        leaderElection = client.leaderElector().withConfig(config).build().start();
    }

    private synchronized void startLoop() {
        if (closed || loop != null) {
            return;
        }
        LOG.info("scheduler {} starts scheduling", cfg.identity());
        loop = Thread.ofPlatform().name("scheduler-loop").daemon().start(() -> {
            while (!closed && !Thread.currentThread().isInterrupted()) {
                try {
                    engine.scheduleOne(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // One bad pod must not stop scheduling for everyone.
                    LOG.error("scheduling cycle failed", e);
                }
            }
        });
    }

    private synchronized void stopLoop(String why) {
        if (loop != null) {
            LOG.info("scheduler {} stops scheduling: {}", cfg.identity(), why);
            loop.interrupt();
            loop = null;
        }
    }

    /**
     * Adds a handler to the scheduler's own pod informer; call before {@link #start()}. Benchmarks observe
     * binds through it, as upstream's scheduler_perf counts them from the scheduler's shared informer
     * instead of opening a second watch of every pod.
     */
    synchronized void addPodEventHandler(ResourceEventHandler<Pod> handler) {
        extraPodHandlers.add(handler);
    }

    /** Bindings and events over {@link LeanApiWriter} or fabric8 (benchmarks' A/B); call before {@link #start()}. */
    synchronized void useLeanWrites(boolean lean) {
        this.leanWrites = lean;
    }

    /** Exposed for tests in this package. */
    SchedulingEngine engine() {
        return engine;
    }

    @Override
    public void close() {
        Future<?> election;
        synchronized (this) {
            closed = true;
            election = leaderElection;
        }
        // Outside our monitor: cancelling takes the elector's lock, and the elector's thread may hold
        // it while calling back into startLoop(), which needs ours (a deadlock seen at shutdown).
        if (election != null) {
            election.cancel(true);
        }
        synchronized (this) {
            if (engine != null) {
                engine.close();
            }
            stopLoop("closed");
        }
        informers.forEach(SharedIndexInformer::close);
        virtualThreads.shutdown();
        synchronized (this) {
            if (leanWriter != null) {
                leanWriter.close();
            }
        }
    }
}
