package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.jk8s.scheduler.plugins.PodTopologySpread;
import io.jk8s.scheduler.testing.FakeClock;
import io.jk8s.scheduler.testing.FakeSchedulerApi;
import io.jk8s.scheduler.testing.Objects;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In-memory scheduling throughput, shaped like upstream scheduler_perf "SchedulingBasic" at
 * 5,000 nodes / 10,000 pods: the full cycle (queue, snapshot, default plugins, assume, bind call,
 * and the bound pod fed back as an informer event), without the HTTP API.
 * Not run by default (class name does not end in Test); run with
 * {@code mvn -pl scheduler test -Dtest=SchedulingThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SchedulingThroughputBenchmark {

    private static final int NODES = Integer.getInteger("bench.nodes", 5000);
    private static final int PODS = Integer.getInteger("bench.pods", 10000);

    @Test
    void schedulesTenThousandPodsOnFiveThousandNodes() throws Exception {
        FakeSchedulerApi api = new FakeSchedulerApi();
        SchedulingEngine engine = new SchedulingEngine(
                List.of(DefaultProfile.create(SchedulerConfig.DEFAULT_SCHEDULER_NAME, api::bind, PodTopologySpread.DefaultSelectors.NONE)),
                api, Runnable::run, new FakeClock(), new Random(42), 0, Duration.ofSeconds(1), Duration.ofSeconds(10));
        // The informer would deliver the bound pod: confirm the assumption as it would.
        api.onBind = (pod, node) -> engine.onPodUpsert(Objects.bound(pod, node));
        for (int i = 0; i < NODES; i++) {
            Node n = Objects.node("node-" + i, "4", "32Gi")
                    .editMetadata().addToLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)).endMetadata().build();
            engine.onNodeAdd(n);
        }
        // Warm up the JIT on a separate batch, then measure.
        runBatch(engine, "warmup", 2000);
        // Everything runs on this thread, so its CPU time shows the cost independent of other load on the machine.
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int bound = api.bindings.size();
        runBatch(engine, "pod", PODS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        int measured = api.bindings.size() - bound;
        System.out.printf("SchedulingBasic %d nodes / %d pods: %.2f s wall, %.0f pods/s; %.2f s CPU of the one thread, %.0f pods per CPU-second%n",
                NODES, measured, seconds, measured / seconds, cpuSeconds, measured / cpuSeconds);
        assertThat(measured).isEqualTo(PODS);
    }

    private static void runBatch(SchedulingEngine engine, String prefix, int count) throws InterruptedException {
        List<Pod> pods = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pods.add(Objects.pod(prefix + "-" + i, "100m", "128Mi").build());
        }
        for (Pod p : pods) {
            engine.onPodUpsert(p);
        }
        while (engine.scheduleOne(Duration.ZERO)) {
            // drain
        }
    }
}
