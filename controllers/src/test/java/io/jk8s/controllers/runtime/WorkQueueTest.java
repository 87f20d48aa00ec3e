package io.jk8s.controllers.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {

    @Test
    void deduplicatesQueuedKeys() throws Exception {
        try (WorkQueue q = new WorkQueue("t")) {
            q.add("a");
            q.add("b");
            q.add("a");
            assertThat(q.length()).isEqualTo(2);
            assertThat(q.take()).contains("a");
            assertThat(q.take()).contains("b");
        }
    }

    @Test
    void keyAddedWhileProcessingComesBackOnlyAfterDone() throws Exception {
        try (WorkQueue q = new WorkQueue("t")) {
            q.add("a");
            Optional<String> k = q.take();
            q.add("a");
            assertThat(q.length()).isZero();
            q.done(k.orElseThrow());
            assertThat(q.length()).isEqualTo(1);
        }
    }

    @Test
    void backoffDoublesUntilCapAndForgetResets() {
        try (WorkQueue q = new WorkQueue("t", Duration.ofMillis(5), Duration.ofSeconds(1))) {
            assertThat(q.backoff(0)).isEqualTo(Duration.ofMillis(5));
            assertThat(q.backoff(3)).isEqualTo(Duration.ofMillis(40));
            assertThat(q.backoff(20)).isEqualTo(Duration.ofSeconds(1));
            q.addRateLimited("x");
            q.addRateLimited("x");
            assertThat(q.failures("x")).isEqualTo(2);
            q.forget("x");
            assertThat(q.failures("x")).isZero();
        }
    }

    @Test
    void rateLimitedKeyArrivesAfterItsDelay() throws Exception {
        try (WorkQueue q = new WorkQueue("t", Duration.ofMillis(50), Duration.ofSeconds(1))) {
            long t0 = System.nanoTime();
            q.addRateLimited("x");
            assertThat(q.take()).contains("x");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
        }
    }

    @Test
    void closeReleasesWaitingWorkers() throws Exception {
        WorkQueue q = new WorkQueue("t");
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                assertThat(q.take()).isEmpty();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        q.close();
        t.join(5000);
        assertThat(t.isAlive()).isFalse();
    }
}
