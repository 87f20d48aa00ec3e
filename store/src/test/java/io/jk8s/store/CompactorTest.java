package io.jk8s.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompactorTest {

    @Test
    void keepsTheLastRevisionsAndRunsPeriodically() {
        try (MemoryStore store = new MemoryStore()) {
            for (int i = 0; i < 20; i++) {
                store.create("/registry/k" + i, new byte[0]);
            }
            try (Compactor c = Compactor.start(store, 5, Duration.ofMillis(50))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> store.compactRevision() == 15);
                assertThat(c.compactOnce()).isEqualTo(15);
            }
        }
    }

    @Test
    void doesNothingWhileHistoryIsShorterThanTheWindow() {
        try (MemoryStore store = new MemoryStore(); Compactor c = Compactor.start(store, 1000, Duration.ofHours(1))) {
            store.create("/registry/a", new byte[0]);
            assertThat(c.compactOnce()).isZero();
        }
    }
}
