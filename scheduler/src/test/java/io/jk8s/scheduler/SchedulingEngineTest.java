package io.jk8s.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.jk8s.scheduler.plugins.PodTopologySpread;
import io.jk8s.scheduler.testing.FakeClock;
import io.jk8s.scheduler.testing.FakeSchedulerApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.jk8s.scheduler.testing.Objects.bound;
import static io.jk8s.scheduler.testing.Objects.node;
import static io.jk8s.scheduler.testing.Objects.pod;
import static io.jk8s.scheduler.testing.Objects.taintedNode;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler end to end over a fake API: events in, bindings/events/conditions out. */
class SchedulingEngineTest {

    private static final Taint CONTROL_PLANE = new Taint("NoSchedule", "node-role.kubernetes.io/control-plane", null, null);

    private FakeSchedulerApi api;
    private FakeClock clock;
    private SchedulingEngine engine;

    @BeforeEach
    void setUp() {
        api = new FakeSchedulerApi();
        clock = new FakeClock();
        engine = new SchedulingEngine(
                List.of(DefaultProfile.create(SchedulerConfig.DEFAULT_SCHEDULER_NAME, api::bind, PodTopologySpread.DefaultSelectors.NONE)),
                api, Runnable::run, clock, new Random(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private void scheduleAll() throws InterruptedException {
        while (engine.scheduleOne(Duration.ZERO)) {
            // keep going until the active queue is empty
        }
    }

    @Test
    void dropsEventsBeyondTheQueueLikeUpstreamsBroadcaster() throws Exception {
        List<Runnable> held = new ArrayList<>();
        engine = new SchedulingEngine(
                List.of(DefaultProfile.create(SchedulerConfig.DEFAULT_SCHEDULER_NAME, api::bind, PodTopologySpread.DefaultSelectors.NONE)),
                api, held::add, clock, new Random(1), 0, Duration.ofSeconds(1), Duration.ofSeconds(10));
        for (int i = 0; i < 12; i++) {
            engine.onNodeAdd(node("roomy-" + i, "100", "100Gi").build()); // 110 pods each
        }
        int pods = SchedulingEngine.MAX_PENDING_EVENTS + 50;
        for (int i = 0; i < pods; i++) {
            engine.onPodUpsert(pod("p-" + i, "10m", "1Mi").build());
        }
        scheduleAll();
        runHeld(held); // every binding succeeds and queues its Scheduled event

        assertThat(api.bindings).hasSize(pods);
        assertThat(held).hasSize(SchedulingEngine.MAX_PENDING_EVENTS);
        runHeld(held);
        assertThat(api.events).hasSize(SchedulingEngine.MAX_PENDING_EVENTS);

        // Written events free their places.
        engine.onPodUpsert(pod("late", "10m", "1Mi").build());
        scheduleAll();
        runHeld(held); // the binding
        runHeld(held); // its event
        assertThat(api.eventsFor("default/late", "Scheduled")).hasSize(1);
    }

    private static void runHeld(List<Runnable> held) {
        List<Runnable> tasks = List.copyOf(held);
        held.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void bindsPodsToTheNodesThatFit() throws Exception {
        engine.onNodeAdd(node("small", "1", "1Gi").build());
        engine.onNodeAdd(node("big", "8", "16Gi").build());
        engine.onPodUpsert(pod("needs-4-cpus", "4", "1Gi").build());
        engine.onPodUpsert(pod("tiny", "100m", "64Mi").build());

        scheduleAll();

        assertThat(api.bindings).containsEntry("default/needs-4-cpus", "big").containsKey("default/tiny");
        assertThat(api.eventsFor("default/needs-4-cpus", "Scheduled")).singleElement()
                .extracting(FakeSchedulerApi.RecordedEvent::message)
                .isEqualTo("Successfully assigned default/needs-4-cpus to big");
    }

    @Test
    void assumedPodsCountBeforeTheirBindingIsObserved() throws Exception {
        engine.onNodeAdd(node("n1", "2", "4Gi").build());
        engine.onNodeAdd(node("n2", "2", "4Gi").build());
        for (int i = 0; i < 4; i++) {
            engine.onPodUpsert(pod("p" + i, "1", "1Gi").build());
        }
        engine.onPodUpsert(pod("one-too-many", "1", "1Gi").build());

        scheduleAll();

        assertThat(api.bindings).hasSize(4).containsValues("n1", "n2");
        assertThat(api.bindings.values().stream().filter("n1"::equals).count()).isEqualTo(2);
        // Queued at the same instant, any one of the five is the one left over.
        assertThat(api.events.stream().filter(e -> e.reason().equals("FailedScheduling")).toList()).singleElement()
                .extracting(FakeSchedulerApi.RecordedEvent::message).asString().startsWith("0/2 nodes are available: 2 Insufficient cpu.");
    }

    @Test
    void reportsUnschedulableReasonsLikeUpstream() throws Exception {
        engine.onNodeAdd(node("worker", "1", "4Gi").build());
        engine.onNodeAdd(taintedNode("cp-1", "8", "16Gi", CONTROL_PLANE));
        engine.onNodeAdd(taintedNode("cp-2", "8", "16Gi", CONTROL_PLANE));
        engine.onPodUpsert(pod("web", "2", "1Gi").build());

        scheduleAll();

        String expected = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint "
                + "{node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are available: "
                + "3 Preemption is not helpful for scheduling.";
        assertThat(api.eventsFor("default/web", "FailedScheduling")).singleElement()
                .satisfies(e -> {
                    assertThat(e.type()).isEqualTo("Warning");
                    assertThat(e.message()).isEqualTo(expected);
                });
        var condition = api.conditions.get("default/web/PodScheduled");
        assertThat(condition.getStatus()).isEqualTo("False");
        assertThat(condition.getReason()).isEqualTo("Unschedulable");
        assertThat(condition.getMessage()).isEqualTo(expected);
        assertThat(api.bindings).isEmpty();
    }

    @Test
    void reportsNoNodes() throws Exception {
        engine.onPodUpsert(pod("lonely", null, null).build());
        scheduleAll();
        assertThat(api.eventsFor("default/lonely", "FailedScheduling")).singleElement()
                .extracting(FakeSchedulerApi.RecordedEvent::message).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void unschedulablePodIsRetriedWhenANodeArrives() throws Exception {
        engine.onNodeAdd(node("small", "1", "1Gi").build());
        engine.onPodUpsert(pod("big", "4", "1Gi").build());
        scheduleAll();
        assertThat(engine.queue().sizes()).containsExactly(0, 0, 1);

        engine.onNodeAdd(node("large", "8", "16Gi").build());
        clock.advance(Duration.ofSeconds(2)); // past the first backoff
        scheduleAll();

        assertThat(api.bindings).containsEntry("default/big", "large");
    }

    @Test
    void podDeletionFreesRoomForWaitingPods() throws Exception {
        engine.onNodeAdd(node("n", "2", "4Gi").build());
        Pod running = bound(pod("running", "2", "1Gi").build(), "n");
        engine.onPodUpsert(running);
        engine.onPodUpsert(pod("waiting", "1", "1Gi").build());
        scheduleAll();
        assertThat(api.bindings).isEmpty();

        engine.onPodDelete(running);
        clock.advance(Duration.ofSeconds(2));
        scheduleAll();

        assertThat(api.bindings).containsEntry("default/waiting", "n");
    }

    @Test
    void failedBindingForgetsTheAssumptionAndRetries() throws Exception {
        engine.onNodeAdd(node("n", "2", "4Gi").build());
        api.onBind = (p, n) -> {
            throw new IllegalStateException("connection refused");
        };
        engine.onPodUpsert(pod("p", "2", "1Gi").build());
        scheduleAll();
        assertThat(api.bindings).isEmpty();
        assertThat(engine.cache().podCount()).isZero();

        api.onBind = (p, n) -> { };
        clock.advance(Duration.ofSeconds(2));
        scheduleAll();
        assertThat(api.bindings).containsEntry("default/p", "n");
    }

    @Test
    void preemptionEvictsTheLowestPriorityVictimsAndNominatesTheNode() throws Exception {
        engine.onNodeAdd(node("n-low", "2", "4Gi").build());
        engine.onNodeAdd(node("n-high", "2", "4Gi").build());
        Pod low1 = bound(pod("low-1", "1", "1Gi").editSpec().withPriority(10).endSpec().build(), "n-low");
        Pod low2 = bound(pod("low-2", "1", "1Gi").editSpec().withPriority(10).endSpec().build(), "n-low");
        Pod high1 = bound(pod("high-1", "1", "1Gi").editSpec().withPriority(100).endSpec().build(), "n-high");
        Pod high2 = bound(pod("high-2", "1", "1Gi").editSpec().withPriority(100).endSpec().build(), "n-high");
        for (Pod p : List.of(low1, low2, high1, high2)) {
            engine.onPodUpsert(p);
        }
        Pod important = pod("important", "1500m", "1Gi").editSpec().withPriority(1000).endSpec().build();
        engine.onPodUpsert(important);

        scheduleAll();

        assertThat(api.deleted).containsExactlyInAnyOrder("default/low-1", "default/low-2");
        assertThat(api.nominations).containsEntry("default/important", "n-low");
        assertThat(api.eventsFor("default/low-1", "Preempted")).singleElement()
                .extracting(FakeSchedulerApi.RecordedEvent::message).asString().endsWith("on node n-low");

        // The victims go away; the preemptor (now nominated) lands on the freed node.
        engine.onPodDelete(low1);
        engine.onPodDelete(low2);
        clock.advance(Duration.ofSeconds(2));
        scheduleAll();
        assertThat(api.bindings).containsEntry("default/important", "n-low");
    }

    @Test
    void preemptionKeepsVictimsItDoesNotNeed() throws Exception {
        engine.onNodeAdd(node("n", "3", "4Gi").build());
        engine.onPodUpsert(bound(pod("a", "1", "1Gi").editSpec().withPriority(1).endSpec().build(), "n"));
        engine.onPodUpsert(bound(pod("b", "1", "1Gi").editSpec().withPriority(5).endSpec().build(), "n"));
        engine.onPodUpsert(bound(pod("c", "1", "1Gi").editSpec().withPriority(9).endSpec().build(), "n"));
        engine.onPodUpsert(pod("p", "1", "1Gi").editSpec().withPriority(100).endSpec().build());

        scheduleAll();

        assertThat(api.deleted).containsExactly("default/a");
    }

    @Test
    void preemptionPolicyNeverIsReported() throws Exception {
        engine.onNodeAdd(node("n", "1", "4Gi").build());
        engine.onPodUpsert(bound(pod("a", "1", "1Gi").editSpec().withPriority(1).endSpec().build(), "n"));
        engine.onPodUpsert(pod("p", "1", "1Gi").editSpec().withPriority(100).withPreemptionPolicy("Never").endSpec().build());

        scheduleAll();

        assertThat(api.deleted).isEmpty();
        assertThat(api.eventsFor("default/p", "FailedScheduling")).singleElement()
                .extracting(FakeSchedulerApi.RecordedEvent::message)
                .isEqualTo("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.");
    }

    @Test
    void podsOfOtherSchedulersAreIgnored() throws Exception {
        engine.onNodeAdd(node("n", "2", "4Gi").build());
        engine.onPodUpsert(pod("other", "1", "1Gi").editSpec().withSchedulerName("my-scheduler").endSpec().build());
        scheduleAll();
        assertThat(api.bindings).isEmpty();
    }

    @Test
    void higherPriorityPodsAreScheduledFirst() throws Exception {
        engine.onNodeAdd(node("n", "1", "4Gi").build());
        engine.onPodUpsert(pod("low", "1", "1Gi").editSpec().withPriority(1).endSpec().build());
        engine.onPodUpsert(pod("high", "1", "1Gi").editSpec().withPriority(100).withPreemptionPolicy("Never").endSpec().build());
        engine.scheduleOne(Duration.ZERO);
        assertThat(api.bindings).containsOnlyKeys("default/high");
    }

    @Test
    void unschedulableTaintedNodeIsSkippedForSpreadPods() throws Exception {
        Node cordoned = node("cordoned", "8", "16Gi").editSpec().withUnschedulable(true).endSpec().build();
        engine.onNodeAdd(cordoned);
        engine.onNodeAdd(node("ok", "8", "16Gi").build());
        engine.onPodUpsert(pod("p", "1", "1Gi").build());
        scheduleAll();
        assertThat(api.bindings).containsEntry("default/p", "ok");
    }

    @Test
    void podDeletedDuringItsAttemptIsNotRequeued() throws Exception {
        engine.onNodeAdd(node("n", "1", "1Gi").build());
        Pod p = pod("p", "4", "1Gi").build();
        engine.onPodUpsert(p);
        engine.onNodeAdd(node("big", "8", "16Gi").build());
        // The pod is deleted while its binding is in flight, so the binding fails.
        api.onBind = (x, n) -> {
            engine.onPodDelete(p);
            throw new IllegalStateException("pods \"p\" not found");
        };
        scheduleAll();
        assertThat(engine.queue().sizes()).containsExactly(0, 0, 0);
        assertThat(engine.cache().podCount()).isZero();
    }

    @Test
    void deletingAnAssumedPodFreesItsRoom() throws Exception {
        engine.onNodeAdd(node("n", "1", "4Gi").build());
        Pod first = pod("first", "1", "1Gi").build();
        engine.onPodUpsert(first);
        scheduleAll();
        assertThat(engine.cache().podCount()).isEqualTo(1);
        engine.onPodDelete(first); // deleted before its binding was observed
        assertThat(engine.cache().podCount()).isZero();
    }

    @Test
    void nodeHeartbeatsDoNotRetryWaitingPodsButNewCapacityDoes() throws Exception {
        Node small = node("n", "1", "1Gi").build();
        engine.onNodeAdd(small);
        engine.onPodUpsert(pod("big", "4", "1Gi").build());
        scheduleAll();
        assertThat(engine.queue().sizes()).containsExactly(0, 0, 1);

        Node heartbeat = node("n", "1", "1Gi").editStatus()
                .addNewCondition().withType("Ready").withStatus("True").withLastHeartbeatTime("2026-01-01T00:00:10Z").endCondition()
                .endStatus().build();
        engine.onNodeUpdate(small, heartbeat);
        assertThat(engine.queue().sizes()).as("still waiting").containsExactly(0, 0, 1);

        Node grown = node("n", "8", "16Gi").build();
        engine.onNodeUpdate(heartbeat, grown);
        clock.advance(Duration.ofSeconds(2));
        scheduleAll();
        assertThat(api.bindings).containsEntry("default/big", "n");
    }
}
