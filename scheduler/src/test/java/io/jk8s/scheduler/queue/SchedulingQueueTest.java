package io.jk8s.scheduler.queue;

import io.jk8s.scheduler.framework.PodInfo;
import io.jk8s.scheduler.testing.FakeClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static io.jk8s.scheduler.testing.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class SchedulingQueueTest {

    private FakeClock clock;
    private SchedulingQueue queue;

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        queue = new SchedulingQueue(clock, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    private static PodInfo info(String name, int priority) {
        return PodInfo.of(pod(name, null, null).editSpec().withPriority(priority).endSpec().build());
    }

    private QueuedPodInfo popNow() throws InterruptedException {
        return queue.pop(Duration.ZERO);
    }

    @Test
    void popsByPriorityThenByArrival() throws Exception {
        queue.add(info("low", 1));
        clock.advance(Duration.ofMillis(1));
        queue.add(info("high-late", 10));
        queue.add(info("high-early", 10)); // same instant as high-late: arrival order breaks no tie here
        clock.advance(Duration.ofMillis(1));
        queue.add(info("mid", 5));
        assertThat(popNow().podInfo().priority()).isEqualTo(10);
        assertThat(popNow().podInfo().priority()).isEqualTo(10);
        assertThat(popNow().podInfo().name()).isEqualTo("mid");
        assertThat(popNow().podInfo().name()).isEqualTo("low");
        assertThat(popNow()).isNull();
    }

    @ParameterizedTest(name = "after attempt {0} the backoff is {1} ms")
    @CsvSource({"1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 10000", "9, 10000"})
    void backoffDoublesUpToTheCap(int attempts, long expectedMillis) throws Exception {
        PodInfo p = info("p", 0);
        queue.add(p);
        QueuedPodInfo q = null;
        for (int i = 0; i < attempts; i++) {
            q = popNow();
            if (i < attempts - 1) {
                queue.addUnschedulable(q, false, queue.schedulingCycle());
                clock.advance(Duration.ofSeconds(10));
            }
        }
        queue.addUnschedulable(q, false, queue.schedulingCycle());
        clock.advance(Duration.ofMillis(expectedMillis - 1));
        assertThat(popNow()).as("still backing off").isNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(popNow()).isNotNull();
    }

    @Test
    void unschedulablePodsWaitForAnEvent() throws Exception {
        queue.add(info("p", 0));
        QueuedPodInfo q = popNow();
        queue.addUnschedulable(q, true, queue.schedulingCycle());
        clock.advance(Duration.ofSeconds(30));
        assertThat(popNow()).isNull();
        assertThat(queue.sizes()).containsExactly(0, 0, 1);

        queue.moveAllToActiveOrBackoff(x -> true);

        assertThat(popNow()).isNotNull();
    }

    @Test
    void eventsMoveOnlyThePodsTheyMayHelp() throws Exception {
        queue.add(info("p", 0));
        QueuedPodInfo q = popNow();
        q.setUnschedulablePlugins(java.util.Set.of("NodeResourcesFit"));
        queue.addUnschedulable(q, true, queue.schedulingCycle());
        queue.moveAllToActiveOrBackoff(x -> x.unschedulablePlugins().contains("InterPodAffinity"));
        assertThat(queue.sizes()).containsExactly(0, 0, 1);
    }

    @Test
    void anEventDuringTheAttemptSendsTheFailedPodToBackoffInstead() throws Exception {
        queue.add(info("p", 0));
        QueuedPodInfo q = popNow();
        long cycle = queue.schedulingCycle();
        queue.moveAllToActiveOrBackoff(x -> true); // e.g. a node was added while the pod was being scheduled
        queue.addUnschedulable(q, true, cycle);
        assertThat(queue.sizes()).containsExactly(0, 1, 0);
        clock.advance(Duration.ofSeconds(1));
        assertThat(popNow()).isNotNull();
    }

    @Test
    void podsUnschedulableForFiveMinutesAreRetried() throws Exception {
        queue.add(info("p", 0));
        queue.addUnschedulable(popNow(), true, queue.schedulingCycle());
        clock.advance(Duration.ofMinutes(5));
        assertThat(popNow()).isNotNull();
    }

    @Test
    void deletedPodsLeaveTheQueue() throws Exception {
        PodInfo p = info("p", 0);
        queue.add(p);
        queue.delete(p.uid());
        assertThat(popNow()).isNull();
    }

    @Test
    void popWaitsForAnAddFromAnotherThread() throws Exception {
        Thread adder = Thread.ofVirtual().start(() -> queue.add(info("late", 0)));
        QueuedPodInfo q = queue.pop(Duration.ofSeconds(10));
        adder.join();
        assertThat(q).isNotNull();
    }
}
