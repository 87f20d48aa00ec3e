package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.jk8s.apiserver.ApiServer;
import io.jk8s.apiserver.ApiServerConfig;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.store.MemoryStore;
import io.jk8s.scheduler.testing.Objects;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end scheduling throughput through the real API server (HTTP, MemoryStore): pods are created
 * first, then the scheduler starts; measured from its start until a watch has seen every pod bound.
 * Not run by default; run with
 * {@code mvn -pl scheduler test -Dtest=SchedulerOverApiServerBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * ({@code -Dbench.nodes=.. -Dbench.pods=..} to resize).
 */
class SchedulerOverApiServerBenchmark {

    private static final int NODES = Integer.getInteger("bench.nodes", 1000);
    private static final int PODS = Integer.getInteger("bench.pods", 3000);

    @Test
    void schedulesPodsThroughTheApi() throws Exception {
        try (MemoryStore store = new MemoryStore();
             ApiServer server = new ApiServer(new ApiServerConfig("127.0.0.1", 0, null, null, null), store, BuiltinRegistry.create())) {
            server.start().get(30, TimeUnit.SECONDS);
            Config config = new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + server.port())
                    .withRequestRetryBackoffLimit(0).build();
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
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
                for (int i = 0; i < PODS; i++) {
                    Pod p = Objects.pod("pod-" + i, "100m", "128Mi").build();
                    p.getMetadata().setUid(null);
                    writes.add(pool.submit(() -> client.pods().inNamespace("default").resource(p).create()));
                }
                for (Future<?> f : writes) {
                    f.get();
                }
                double setupSeconds = (System.nanoTime() - setup) / 1e9;
                int setupWrites = 2 * NODES + PODS;
                // The reference: the API server's own write rate in this run (a binding and an event per pod).
                System.out.printf("setup: %d API writes in %.2f s: %.0f writes/s%n", setupWrites, setupSeconds, setupWrites / setupSeconds);
                CountDownLatch allBound = new CountDownLatch(PODS);
                SharedIndexInformer<Pod> watch = client.pods().inNamespace("default").inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod newPod) {
                        if (oldPod.getSpec().getNodeName() == null && newPod.getSpec().getNodeName() != null) {
                            allBound.countDown();
                        }
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknown) {
                    }
                });
                long t0 = System.nanoTime();
                try (Scheduler scheduler = new Scheduler(client, SchedulerConfig.defaults().withLeaderElect(false))) {
                    scheduler.start().get(60, TimeUnit.SECONDS);
                    boolean done = allBound.await(10, TimeUnit.MINUTES);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("over API: %d nodes / %d pods bound in %.2f s: %.0f pods/s%n",
                            NODES, PODS, seconds, PODS / seconds);
                    assertThat(done).isTrue();
                } finally {
                    watch.close();
                }
            }
        }
    }
}
