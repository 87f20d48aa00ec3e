package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import io.jk8s.scheduler.testing.Objects;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end scheduling throughput through the real API server (HTTP, MemoryStore): pods are created
 * first (1,000 unmeasured {@code init-N} pods, then the measured {@code pod-N}, as scheduler_perf's
 * SchedulingBasic/5000Nodes_10000Pods), then the scheduler starts; the rate is measured from the first to the
 * last measured bind as the scheduler's own pod informer sees them.
 * Not run by default; run with
 * {@code mvn -pl scheduler test -Dtest=SchedulerOverApiServerBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.nodes=.. -Dbench.pods=.. -Dbench.initPods=..} to resize; A/B switches: {@code -Dbench.http=okhttp|vertx5}
 * for fabric8's other HTTP backends, {@code -Dbench.httpExecutor=virtual|direct} for the JDK client's executor,
 * {@code -Dbench.ownWatch=true} to count
 * binds with a second pod watch, {@code -Dbench.writer=fabric8} for the scheduler's bindings and events through fabric8
 * instead of {@link LeanApiWriter}).
 */
class SchedulerOverApiServerBenchmark {

    private static final int NODES = Integer.getInteger("bench.nodes", 1000);
    private static final int PODS = Integer.getInteger("bench.pods", 3000);
    /**
     * Pods scheduled before the measured ones, as scheduler_perf's SchedulingBasic workloads create {@code initPods}
     * (1,000 for 5000Nodes_10000Pods) before the measured {@code measurePods}: named {@code init-N}, they sort (and
     * so are queued) before the measured {@code pod-N}, and their binds are not counted.
     */
    private static final int INIT_PODS = Integer.getInteger("bench.initPods", 1000);

    @Test
    void schedulesPodsThroughTheApi() throws Exception {
        try (MemoryStore store = new MemoryStore();
             ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create())) {
            server.start().get(30, TimeUnit.SECONDS);
            Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.port())
                    .withRequestRetryBackoffLimit(0).build();
            // As the cli's KubeClients.withoutTokenRefresh does for the real components: a token-less
            // config otherwise re-reads kubeconfig and environment before every request after a minute.
            if (!Boolean.getBoolean("bench.fabric8Refresh")) config.setOauthTokenProvider(() -> null);
            // -Dbench.http=okhttp|jdk: fabric8's HTTP backend for the scheduler and the benchmark's own calls.
            String http = System.getProperty("bench.http", "jdk");
            System.out.println("fabric8 HTTP backend: " + http);
            // -Dbench.httpExecutor=virtual|direct: the JDK client's executor (fabric8's default: a cached thread pool).
            String httpExecutor = System.getProperty("bench.httpExecutor", "default");
            if (!"okhttp".equals(http)) System.out.println("JDK HTTP client executor: " + httpExecutor);
            HttpClient.Factory httpFactory = switch (http) {
                case "okhttp" -> new OkHttpClientFactory();
                // fabric8's Vert.x 5 backend (kubernetes-httpclient-vertx-5, from fabric8 7.9.0, Netty 4.2) is not a
                // dependency: an A/B puts it and Vert.x 5 on the class path by hand (docs/benchmarks.md).
                case "vertx5" -> (HttpClient.Factory) Class.forName("io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory")
                        .getConstructor().newInstance();
                default -> ExecutorJdkHttpClientFactory.of(httpExecutor);
            };
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(httpFactory).build();
                 ExecutorService pool = Executors.newFixedThreadPool(16)) {
                List<Future<?>> writes = new ArrayList<>();
                long setup = System.nanoTime();
                for (int i = 0; i < NODES; i++) {
                    Node n = Objects.node("node-" + i, "4", "32Gi").build();
                    writes.add(pool.submit(() -> {
                        Node created = client.nodes().resource(n).create();
                        created.setStatus(n.getStatus());
                        client.nodes().resource(created).updateStatus();
                    }));
                }
                for (int i = 0; i < INIT_PODS + PODS; i++) {
                    Pod p = Objects.pod(i < INIT_PODS ? "init-" + i : "pod-" + (i - INIT_PODS), "100m", "128Mi").build();
                    p.getMetadata().setUid(null);
                    writes.add(pool.submit(() -> client.pods().inNamespace("default").resource(p).create()));
                }
                for (Future<?> f : writes) {
                    f.get();
                }
                double setupSeconds = (System.nanoTime() - setup) / 1e9;
                int setupWrites = 2 * NODES + INIT_PODS + PODS;
                // The reference: the API server's own write rate in this run (a binding and an event per pod).
                System.out.printf("setup: %d API writes in %.2f s: %.0f writes/s%n", setupWrites, setupSeconds, setupWrites / setupSeconds);
                CountDownLatch allBound = new CountDownLatch(PODS);
                AtomicLong firstBind = new AtomicLong();
                AtomicLong lastBind = new AtomicLong();
                AtomicLong cpuAtFirstBind = new AtomicLong();
                AtomicLong allocatedAtFirstBind = new AtomicLong();
                Map<Long, Long> threadCpuAtFirstBind = new java.util.concurrent.ConcurrentHashMap<>();
                ResourceEventHandler<Pod> countBinds = new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        if (oldPod.getSpec().getNodeName() == null && newPod.getSpec().getNodeName() != null
                                && newPod.getMetadata().getName().startsWith("pod-")) {
                            long now = System.nanoTime();
                            if (firstBind.compareAndSet(0, now)) {
                                cpuAtFirstBind.set(processCpuNanos());
                                allocatedAtFirstBind.set(allocatedBytes());
                                threadCpuAtFirstBind.putAll(threadCpuNanos());
                            }
                            lastBind.set(now);
                            allBound.countDown();
                        }
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                    }
                };
                // Binds are counted from the scheduler's own pod informer, as scheduler_perf's throughput
                // collector reads the scheduler's shared informer; -Dbench.ownWatch=true opens a second
                // watch of every pod instead (as this benchmark did before, for an A/B of its cost).
                boolean ownWatch = Boolean.getBoolean("bench.ownWatch");
                System.out.println("binds observed by: " + (ownWatch ? "a second pod watch" : "the scheduler's pod informer"));
                SharedIndexInformer<Pod> watch = ownWatch ? client.pods().inNamespace("default").inform(countBinds) : null;
                Scheduler scheduler = new Scheduler(client, SchedulerConfig.defaults().withLeaderElect(false));
                if (!ownWatch) scheduler.addPodEventHandler(countBinds);
                // -Dbench.writer=lean|fabric8: the scheduler's bindings and events over LeanApiWriter (its default) or fabric8.
                String writer = System.getProperty("bench.writer", "lean");
                scheduler.useLeanWrites(!"fabric8".equals(writer));
                System.out.println("scheduler's binding/event writes: " + writer);
                long t0 = System.nanoTime();
                long cpu0 = processCpuNanos();
                try (scheduler) {
                    scheduler.start().get(60, TimeUnit.SECONDS);
                    boolean done = allBound.await(10, TimeUnit.MINUTES);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    long cpuAtEnd = processCpuNanos();
                    double cpuSeconds = (cpuAtEnd - cpu0) / 1e9;
                    double bindCpuSeconds = (cpuAtEnd - cpuAtFirstBind.get()) / 1e9;
                    double bindSeconds = (lastBind.get() - firstBind.get()) / 1e9;
                    System.out.printf("over API: %d nodes / %d (+%d init) pods bound in %.2f s: %.0f pods/s%n",
                            NODES, PODS, INIT_PODS, seconds, (PODS + INIT_PODS) / seconds);
                    // scheduler_perf's measure: pods/s between the first and the last bind (informer sync excluded).
                    System.out.printf("first to last bind: %.2f s: %.0f pods/s%n", bindSeconds, (PODS - 1) / bindSeconds);
                    // CPU of the whole JVM (API server, scheduler and this test's watch) from scheduler start to
                    // the last bind: the load-independent cost per pod.
                    System.out.printf("process CPU: %.2f s: %.0f CPU-us per pod (load average %.1f)%n", cpuSeconds,
                            cpuSeconds * 1e6 / (PODS + INIT_PODS), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                    // The same from the first to the last bind only (the informers' initial lists excluded):
                    // what bounds the rate on a CPU-bound machine.
                    System.out.printf("process CPU first to last bind: %.2f s: %.0f CPU-us per pod%n", bindCpuSeconds,
                            bindCpuSeconds * 1e6 / (PODS - 1));
                    // Allocation per pod does not depend on the machine's load, unlike CPU time.
                    System.out.printf("allocated first to last bind: %.0f KB per pod%n",
                            (allocatedBytes() - allocatedAtFirstBind.get()) / 1024.0 / (PODS - 1));
                    System.out.println("CPU by thread group, first to last bind:");
                    printCpuByThreadGroup(threadCpuAtFirstBind, PODS - 1);
                    // Events beyond the scheduler's queue of 1,000 are dropped (as upstream's broadcaster does):
                    // fewer writes than 2 per pod must be visible next to the rate.
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(scheduledEventsStable(client));
                    System.out.printf("Scheduled events written: %d of %d%n", scheduledEvents(client), PODS + INIT_PODS);
                    assertThat(done).isTrue();
                } finally {
                    if (watch != null) watch.close();
                }
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long scheduledEvents(KubernetesClient client) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Scheduled".equals(e.getReason())).count();
    }

    /** True once the count of Scheduled events stopped growing (the queued ones are written). */
    private static java.util.concurrent.Callable<Boolean> scheduledEventsStable(KubernetesClient client) {
        long[] last = {-1};
        return () -> {
            long now = scheduledEvents(client);
            boolean stable = now == last[0];
            last[0] = now;
            return stable;
        };
    }

    /** Heap allocated by all threads (virtual threads count on their carriers). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** CPU time of every live platform thread (virtual threads run on the ForkJoinPool carriers). */
    private static Map<Long, Long> threadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long cpu = mx.getThreadCpuTime(id);
            if (cpu >= 0) out.put(id, cpu);
        }
        return out;
    }

    /** Where the CPU went, by thread name with digits folded (threads started meanwhile count from 0). */
    private static void printCpuByThreadGroup(Map<Long, Long> before, int pods) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) continue;
            long cpu = mx.getThreadCpuTime(info.getThreadId());
            if (cpu < 0) continue;
            String group = info.getThreadName().replaceAll("[0-9a-f]{6,}|\\d+", "N");
            byGroup.merge(group, cpu - before.getOrDefault(info.getThreadId(), 0L), Long::sum);
        }
        byGroup.entrySet().stream().filter(e -> e.getValue() > 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf("  %-45s %6.2f CPU-s %5.0f us/pod%n", e.getKey(), e.getValue() / 1e9,
                        e.getValue() / 1e3 / pods));
        long javaThreads = byGroup.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("  %-45s %6.2f CPU-s (the rest of the process CPU is GC and JIT threads)%n", "all Java threads", javaThreads / 1e9);
    }
}
