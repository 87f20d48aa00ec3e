package io.jk8s.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ResponseStream;
import io.jk8s.store.MemoryStore;
import io.jk8s.store.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The watch cache's history window (upstream's: 75 s of events, at least a minimum, at most a capacity). */
class WatchCacheHistoryTest {

    private static final String GR = "configmaps";
    private static final long FRESH = TimeUnit.SECONDS.toNanos(75);

    private final AtomicLong now = new AtomicLong();
    private final MemoryStore store = new MemoryStore();
    private CacheHub hub;

    @AfterEach
    void close() {
        if (hub != null) hub.close();
    }

    private void start(int capacity, int minEvents) {
        // A write of another type first: revision 0 means "from now", so the first event must not be at 1.
        store.create("/registry/other/x", "{}".getBytes(StandardCharsets.UTF_8));
        hub = new CacheHub(store, List.of(GR), new WatchCache.History(capacity, minEvents, FRESH, now::get));
        hub.start(60_000).join();
    }

    /** Writes {@code n} new ConfigMaps; returns the revision of each write. */
    private long[] create(int n, int from) {
        long[] revs = new long[n];
        for (int i = 0; i < n; i++) {
            revs[i] = write("cm-" + (from + i), 0, "v");
        }
        return revs;
    }

    private long write(String name, long expected, String value) {
        String key = "/registry/" + GR + "/ns/" + name;
        byte[] json = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns\",\"labels\":{\"app\":\"a\"}},\"data\":{\"k\":\"" + value + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        WriteResult r = expected == 0 ? store.create(key, json) : store.update(key, json, expected);
        long rev = ((WriteResult.Ok) r).kv().modRevision();
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.revision() >= rev);
        return rev;
    }

    /** Objects a watch from {@code fromRevision} replays. */
    private List<CachedObject> replay(long fromRevision) {
        Recording rec = new Recording();
        hub.watch(GR, new CacheWatcher("/registry/" + GR + "/", o -> true, rec, new OpenStream(), false, fromRevision),
                fromRevision, false, false);
        return rec.objects;
    }

    @Test
    void eventsOlderThanTheFreshWindowAreDroppedDownToTheMinimum() {
        start(1000, 5);
        long[] revs = create(20, 0);
        now.addAndGet(FRESH - 1);
        hub.trimHistory();
        assertThat(replay(revs[0] - 1)).as("all 20 events are younger than the window").hasSize(20);

        now.addAndGet(2);
        hub.trimHistory();
        // The newest 5 stay; a client that saw the newest dropped event can still resume, an older one relists.
        assertThat(replay(revs[14])).extracting(CachedObject::revision)
                .containsExactly(revs[15], revs[16], revs[17], revs[18], revs[19]);
        assertThatThrownBy(() -> replay(revs[13])).isInstanceOf(ApiException.class)
                .hasMessageContaining("too old resource version");
    }

    @Test
    void aBusyTypeDropsOldEventsAsNewOnesArrive() {
        start(1000, 5);
        long[] old = create(10, 0);
        now.addAndGet(FRESH + 1);
        long[] fresh = create(3, 10);
        // 10 stale + 3 fresh: trimming on apply keeps the 5 newest (the minimum), without waiting for the timer.
        assertThatThrownBy(() -> replay(old[6])).isInstanceOf(ApiException.class);
        assertThat(replay(old[7])).extracting(CachedObject::revision).containsExactly(old[8], old[9], fresh[0], fresh[1], fresh[2]);
    }

    @Test
    void theCapacityBoundsAFreshHistory() {
        start(8, 2);
        long[] revs = create(12, 0);
        assertThat(replay(revs[3])).hasSize(8);
        assertThatThrownBy(() -> replay(revs[2])).isInstanceOf(ApiException.class);
    }

    @Test
    void versionsInTheHistoryShareWhatDidNotChange() {
        start(1000, 5);
        long r1 = write("shared", 0, "one");
        long r2 = write("shared", r1, "two");
        write("shared", r2, "three");
        List<CachedObject> versions = replay(r1 - 1);
        assertThat(versions).hasSize(3);
        CachedObject a = versions.get(0), b = versions.get(2);
        assertThat(a.json()).isNotEqualTo(b.json());
        assertThat(b.key()).isSameAs(a.key());
        assertThat(b.name()).isSameAs(a.name());
        assertThat(b.namespace()).isSameAs(a.namespace());
        assertThat(b.labels()).isSameAs(a.labels());
    }

    /** Keeps the objects of the events it is asked to encode. */
    private static final class Recording implements EventEncoder {
        final List<CachedObject> objects = new CopyOnWriteArrayList<>();

        @Override
        public byte[] event(String type, CachedObject object) {
            objects.add(object);
            return new byte[0];
        }

        @Override
        public byte[] bookmark(long revision, boolean initialEventsEnd) {
            return new byte[0];
        }

        @Override
        public byte[] error(ObjectNode status) {
            return new byte[0];
        }
    }

    private static final class OpenStream implements ResponseStream {
        @Override
        public boolean write(byte[] chunk) {
            return true;
        }

        @Override
        public void close() {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void onClose(Runnable action) {
        }

        @Override
        public long backlogBytes() {
            return 0;
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
