package io.jk8s.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jk8s.store.KeyValue;
import io.jk8s.store.WatchEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRingTest {

    private static WatchEvent put(String key, long rev, int valueBytes) {
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(key, new byte[valueBytes], rev, rev, 1), null);
    }

    @Test
    void servesEventsAfterACursorFilteredByPrefix() {
        EventRing ring = new EventRing(8, 1 << 20, 10);
        ring.append(List.of(put("/a/1", 11, 1), put("/b/1", 12, 1), put("/a/2", 13, 1)));
        EventRing.Slice s = ring.after(10, "/a/", 100);
        assertThat(s.events()).extracting(WatchEvent::revision).containsExactly(11L, 13L);
        assertThat(s.cursor()).isEqualTo(13);
        assertThat(ring.after(13, "/a/", 100).events()).isEmpty();
        assertThat(ring.after(11, "/", 1).events()).extracting(WatchEvent::revision).containsExactly(12L);
    }

    @Test
    void forgetsTheOldestEventsBeyondItsCapacity() {
        EventRing ring = new EventRing(4, 1 << 20, 0);
        for (long r = 1; r <= 6; r++) {
            ring.append(List.of(put("/k", r, 1)));
        }
        assertThat(ring.firstRevision()).isEqualTo(3);
        assertThat(ring.after(1, "/", 100)).as("revision 2 is gone").isNull();
        assertThat(ring.after(2, "/", 100).events()).extracting(WatchEvent::revision).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void forgetsTheOldestEventsBeyondItsByteBudget() {
        EventRing ring = new EventRing(100, 1000, 0);
        for (long r = 1; r <= 5; r++) {
            ring.append(List.of(put("/k", r, 400)));
        }
        assertThat(ring.firstRevision()).isEqualTo(4);
        // One event larger than the budget is still kept: the newest event is always served from memory.
        ring.append(List.of(put("/k", 6, 5000)));
        assertThat(ring.firstRevision()).isEqualTo(6);
    }

    @Test
    void forgetsEventsOlderThanACutoffAndThenServesTheCursorFromTheTable() {
        EventRing ring = new EventRing(100, 1 << 20, 0);
        ring.append(List.of(put("/k", 1, 10), put("/k", 2, 10)), 1_000);
        ring.append(List.of(put("/k", 3, 10)), 2_000);
        ring.evictOlderThan(1_500);
        assertThat(ring.firstRevision()).isEqualTo(3);
        assertThat(ring.after(1, "/", 100)).as("revision 2 is gone").isNull();
        ring.evictOlderThan(2_001);
        assertThat(ring.firstRevision()).as("empty: first = last + 1").isEqualTo(4);
        assertThat(ring.after(2, "/", 100)).as("revision 3 is gone too").isNull();
        assertThat(ring.after(3, "/", 100).events()).as("a caught-up cursor just waits").isEmpty();
        // The ring goes on from where it was.
        ring.append(List.of(put("/k", 4, 10)), 3_000);
        assertThat(ring.after(3, "/", 100).events()).extracting(WatchEvent::revision).containsExactly(4L);
    }

    @Test
    void refusesARevisionGap() {
        EventRing ring = new EventRing(4, 1000, 0);
        assertThatThrownBy(() -> ring.append(List.of(put("/k", 2, 1)))).isInstanceOf(IllegalStateException.class);
    }
}
