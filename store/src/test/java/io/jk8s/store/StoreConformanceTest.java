package io.jk8s.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} must show, modelled on etcd v3 as the Kubernetes API server uses it.
 * Subclasses provide a fresh, empty store per test. Revisions are compared relative to each other
 * (never to absolute numbers) so that implementations sharing one etcd cluster across tests pass too.
 */
public abstract class StoreConformanceTest {

    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected Store store;
    private final List<AutoCloseable> watches = new ArrayList<>();

    /** A new, empty store (keys from earlier tests must not be visible). */
    protected abstract Store newStore();

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        for (AutoCloseable w : watches) {
            w.close();
        }
        store.close();
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    protected KeyValue created(String key, String value) {
        return ok(store.create(key, bytes(value)));
    }

    protected static KeyValue ok(WriteResult r) {
        assertThat(r).isInstanceOf(WriteResult.Ok.class);
        return ((WriteResult.Ok) r).kv();
    }

    protected static Optional<KeyValue> failedCurrent(WriteResult r) {
        assertThat(r).isInstanceOf(WriteResult.Failed.class);
        return ((WriteResult.Failed) r).current();
    }

    protected RecordingListener watch(String prefix, long afterRevision) {
        RecordingListener l = new RecordingListener();
        watches.add(store.watch(prefix, afterRevision, l));
        return l;
    }

    private static List<String> keys(RangeResult r) {
        return r.kvs().stream().map(KeyValue::key).toList();
    }

    // --- revisions and writes -------------------------------------------------------------------

    @Test
    void everyWriteGetsTheNextRevision() {
        long start = store.currentRevision();
        KeyValue a = created("/registry/a", "1");
        assertThat(a.modRevision()).isEqualTo(start + 1).isEqualTo(store.currentRevision());
        assertThat(a.createRevision()).isEqualTo(a.modRevision());
        assertThat(a.version()).isEqualTo(1);

        KeyValue a2 = ok(store.update("/registry/a", bytes("2"), a.modRevision()));
        assertThat(a2.modRevision()).isEqualTo(start + 2);
        assertThat(a2.createRevision()).isEqualTo(a.createRevision());
        assertThat(a2.version()).isEqualTo(2);

        KeyValue deleted = ok(store.delete("/registry/a", a2.modRevision()));
        assertThat(deleted.modRevision()).isEqualTo(start + 3).isEqualTo(store.currentRevision());
        assertThat(deleted.valueAsString()).isEqualTo("2");

        KeyValue again = created("/registry/a", "3");
        assertThat(again.createRevision()).isEqualTo(start + 4);
        assertThat(again.version()).as("a new incarnation starts at version 1").isEqualTo(1);
    }

    @Test
    void failedWritesDoNotConsumeRevisions() {
        KeyValue a = created("/registry/a", "1");
        long rev = store.currentRevision();
        failedCurrent(store.create("/registry/a", bytes("x")));
        failedCurrent(store.update("/registry/a", bytes("x"), a.modRevision() + 100));
        failedCurrent(store.delete("/registry/missing", 0));
        assertThat(store.currentRevision()).isEqualTo(rev);
    }

    @Test
    void createOnlyIfAbsent() {
        KeyValue first = created("/registry/a", "first");
        Optional<KeyValue> current = failedCurrent(store.create("/registry/a", bytes("second")));
        assertThat(current).get().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("first");
            assertThat(kv.modRevision()).isEqualTo(first.modRevision());
        });
        assertThat(store.get("/registry/a")).get().extracting(KeyValue::valueAsString).isEqualTo("first");
    }

    @Test
    void updateIsCompareAndSwapOnModRevision() {
        KeyValue v1 = created("/registry/a", "1");
        KeyValue v2 = ok(store.update("/registry/a", bytes("2"), v1.modRevision()));

        Optional<KeyValue> current = failedCurrent(store.update("/registry/a", bytes("stale"), v1.modRevision()));
        assertThat(current).get().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("2");
            assertThat(kv.modRevision()).isEqualTo(v2.modRevision());
        });
        assertThat(failedCurrent(store.update("/registry/missing", bytes("x"), v1.modRevision()))).isEmpty();
        assertThat(store.get("/registry/a")).get().extracting(KeyValue::valueAsString).isEqualTo("2");
    }

    @Test
    void deleteIsCompareAndSwapWhenARevisionIsGiven() {
        KeyValue v1 = created("/registry/a", "1");
        KeyValue v2 = ok(store.update("/registry/a", bytes("2"), v1.modRevision()));

        assertThat(failedCurrent(store.delete("/registry/a", v1.modRevision())))
                .get().extracting(KeyValue::modRevision).isEqualTo(v2.modRevision());
        assertThat(store.get("/registry/a")).isPresent();

        ok(store.delete("/registry/a", v2.modRevision()));
        assertThat(store.get("/registry/a")).isEmpty();
        assertThat(failedCurrent(store.delete("/registry/a", 0))).isEmpty();

        created("/registry/b", "1");
        ok(store.delete("/registry/b", 0));
        assertThat(store.get("/registry/b")).isEmpty();
    }

    @Test
    void getReturnsTheLatestVersion() {
        assertThat(store.get("/registry/a")).isEmpty();
        KeyValue v1 = created("/registry/a", "1");
        KeyValue v2 = ok(store.update("/registry/a", bytes("two"), v1.modRevision()));
        KeyValue got = store.get("/registry/a").orElseThrow();
        assertThat(got.valueAsString()).isEqualTo("two");
        assertThat(got.modRevision()).isEqualTo(v2.modRevision());
        assertThat(got.createRevision()).isEqualTo(v1.modRevision());
        assertThat(got.version()).isEqualTo(2);
    }

    @Test
    void binaryValuesRoundTrip() {
        byte[] value = new byte[256];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        ok(store.create("/registry/bin", value));
        assertThat(store.get("/registry/bin").orElseThrow().value()).isEqualTo(value);
        ok(store.create("/registry/empty", new byte[0]));
        assertThat(store.get("/registry/empty").orElseThrow().value()).isEmpty();
    }

    @Test
    void valuesAboveTheLimitAreRefused() {
        byte[] big = new byte[1024 * 1024];
        ok(store.create("/registry/big", big));
        assertThat(store.get("/registry/big").orElseThrow().value()).hasSize(big.length);

        long rev = store.currentRevision();
        byte[] tooBig = new byte[Store.MAX_VALUE_BYTES + 1];
        assertThatThrownBy(() -> store.create("/registry/huge", tooBig)).isInstanceOf(ValueTooLargeException.class);
        assertThatThrownBy(() -> store.update("/registry/big", tooBig, rev)).isInstanceOf(ValueTooLargeException.class);
        assertThat(store.currentRevision()).isEqualTo(rev);
        assertThat(store.get("/registry/huge")).isEmpty();
    }

    // --- range ----------------------------------------------------------------------------------

    @Test
    void rangeByPrefixIsSortedAndIsolated() {
        created("/registry/pods/ns/b", "b");
        created("/registry/pods/ns/a", "a");
        created("/registry/podsx/ns/c", "c");
        created("/registry/pod", "d");
        created("/registry/pods/other/z", "z");

        RangeResult r = store.range("/registry/pods/", null, 0, 0);
        assertThat(keys(r)).containsExactly("/registry/pods/ns/a", "/registry/pods/ns/b", "/registry/pods/other/z");
        assertThat(r.more()).isFalse();
        assertThat(r.revision()).isEqualTo(store.currentRevision());
        assertThat(keys(store.range("/registry/pods/ns/", null, 0, 0)))
                .containsExactly("/registry/pods/ns/a", "/registry/pods/ns/b");
        assertThat(store.range("/registry/nothing/", null, 0, 0).kvs()).isEmpty();
    }

    @Test
    void rangeSkipsDeletedKeys() {
        created("/registry/x/a", "a");
        KeyValue b = created("/registry/x/b", "b");
        created("/registry/x/c", "c");
        ok(store.delete("/registry/x/b", b.modRevision()));
        assertThat(keys(store.range("/registry/x/", null, 0, 0))).containsExactly("/registry/x/a", "/registry/x/c");
        assertThat(keys(store.range("/registry/x/", null, 1, 0))).containsExactly("/registry/x/a");
    }

    @Test
    void rangePagesAreOneSnapshot() {
        for (int i = 0; i < 10; i++) {
            created("/registry/p/k" + i, "v" + i);
        }
        RangeResult page1 = store.range("/registry/p/", null, 4, 0);
        assertThat(keys(page1)).containsExactly("/registry/p/k0", "/registry/p/k1", "/registry/p/k2", "/registry/p/k3");
        assertThat(page1.more()).isTrue();
        long snapshot = page1.revision();

        // Writes between pages must not show up in later pages.
        created("/registry/p/k45", "new");
        KeyValue k5 = store.get("/registry/p/k5").orElseThrow();
        ok(store.update("/registry/p/k5", bytes("changed"), k5.modRevision()));
        ok(store.delete("/registry/p/k6", 0));

        List<KeyValue> rest = new ArrayList<>();
        String next = page1.kvs().getLast().key() + "\0";
        RangeResult page;
        do {
            page = store.range("/registry/p/", next, 4, snapshot);
            assertThat(page.revision()).isEqualTo(snapshot);
            rest.addAll(page.kvs());
            if (!page.kvs().isEmpty()) {
                next = page.kvs().getLast().key() + "\0";
            }
        } while (page.more());

        assertThat(rest).extracting(KeyValue::key)
                .containsExactly("/registry/p/k4", "/registry/p/k5", "/registry/p/k6", "/registry/p/k7", "/registry/p/k8", "/registry/p/k9");
        assertThat(rest.get(1).valueAsString()).isEqualTo("v5");
        assertThat(store.range("/registry/p/", null, 0, 0).kvs()).hasSize(10);
    }

    @Test
    void pagesSkipRunsOfDeletedKeys() {
        for (int i = 0; i < 150; i++) {
            created(String.format("/registry/d/k%03d", i), "v");
        }
        for (int i = 0; i < 140; i++) {
            ok(store.delete(String.format("/registry/d/k%03d", i), 0));
        }
        RangeResult page = store.range("/registry/d/", null, 4, 0);
        assertThat(keys(page)).containsExactly("/registry/d/k140", "/registry/d/k141", "/registry/d/k142", "/registry/d/k143");
        assertThat(page.more()).isTrue();
        RangeResult rest = store.range("/registry/d/", "/registry/d/k143\0", 6, page.revision());
        assertThat(rest.kvs()).hasSize(6);
        assertThat(rest.more()).isFalse();
    }

    @Test
    void limitExactlyMatchingTheRemainingKeysReportsNoMore() {
        created("/registry/l/a", "a");
        created("/registry/l/b", "b");
        RangeResult r = store.range("/registry/l/", null, 2, 0);
        assertThat(r.kvs()).hasSize(2);
        assertThat(r.more()).isFalse();
    }

    @Test
    void rangeAtAPastRevisionSeesThePast() {
        KeyValue a1 = created("/registry/h/a", "1");
        long before = store.currentRevision();
        ok(store.update("/registry/h/a", bytes("2"), a1.modRevision()));
        created("/registry/h/b", "b");
        KeyValue c = created("/registry/h/c", "c");
        long withC = store.currentRevision();
        ok(store.delete("/registry/h/c", c.modRevision()));

        RangeResult past = store.range("/registry/h/", null, 0, before);
        assertThat(past.revision()).isEqualTo(before);
        assertThat(past.kvs()).singleElement().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("1");
            assertThat(kv.modRevision()).isEqualTo(a1.modRevision());
        });
        assertThat(keys(store.range("/registry/h/", null, 0, withC)))
                .containsExactly("/registry/h/a", "/registry/h/b", "/registry/h/c");
        assertThat(keys(store.range("/registry/h/", null, 0, 0))).containsExactly("/registry/h/a", "/registry/h/b");
    }

    @Test
    void rangeAtAFutureRevisionFails() {
        created("/registry/f/a", "a");
        long future = store.currentRevision() + 1000;
        assertThatThrownBy(() -> store.range("/registry/f/", null, 0, future))
                .isInstanceOf(StoreException.class)
                .isNotInstanceOf(CompactedException.class);
    }

    @Test
    void countsKeysUnderAPrefix() {
        assertThat(store.count("/registry/c/")).isZero();
        created("/registry/c/a", "a");
        KeyValue b = created("/registry/c/b", "b");
        created("/registry/cx", "x");
        assertThat(store.count("/registry/c/")).isEqualTo(2);
        ok(store.delete("/registry/c/b", b.modRevision()));
        assertThat(store.count("/registry/c/")).isEqualTo(1);
    }

    // --- watch ----------------------------------------------------------------------------------

    @Test
    void watchFromAnOldRevisionReplaysEverythingAfterIt() {
        long start = store.currentRevision();
        KeyValue a1 = created("/registry/w/a", "1");
        KeyValue a2 = ok(store.update("/registry/w/a", bytes("2"), a1.modRevision()));
        created("/registry/other/z", "ignored");
        KeyValue del = ok(store.delete("/registry/w/a", a2.modRevision()));

        RecordingListener all = watch("/registry/w/", start);
        await().atMost(WAIT).until(() -> all.events().size() == 3);
        List<WatchEvent> events = all.events();

        assertThat(events.get(0).type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(events.get(0).isCreate()).isTrue();
        assertThat(events.get(0).kv().valueAsString()).isEqualTo("1");

        assertThat(events.get(1).type()).isEqualTo(WatchEvent.Type.PUT);
        assertThat(events.get(1).kv().valueAsString()).isEqualTo("2");
        assertThat(events.get(1).prevKv()).isNotNull();
        assertThat(events.get(1).prevKv().valueAsString()).isEqualTo("1");
        assertThat(events.get(1).prevKv().modRevision()).isEqualTo(a1.modRevision());

        assertThat(events.get(2).type()).isEqualTo(WatchEvent.Type.DELETE);
        assertThat(events.get(2).kv().key()).isEqualTo("/registry/w/a");
        assertThat(events.get(2).revision()).isEqualTo(del.modRevision());
        assertThat(events.get(2).prevKv().valueAsString()).isEqualTo("2");
        assertThat(events.get(2).prevKv().modRevision()).isEqualTo(a2.modRevision());

        RecordingListener fromMiddle = watch("/registry/w/", a1.modRevision());
        await().atMost(WAIT).until(() -> fromMiddle.events().size() == 2);
        assertThat(fromMiddle.revisions()).containsExactly(a2.modRevision(), del.modRevision());
        assertThat(all.error()).isNull();
    }

    @Test
    void liveWatchSeesNewWritesUnderItsPrefixOnly() {
        RecordingListener pods = watch("/registry/pods/", store.currentRevision());
        KeyValue a = created("/registry/pods/a", "a");
        created("/registry/podsx/b", "b");
        KeyValue c = created("/registry/pods/c", "c");
        await().atMost(WAIT).until(() -> pods.events().size() == 2);
        assertThat(pods.revisions()).containsExactly(a.modRevision(), c.modRevision());
        assertThat(pods.overlapped()).isFalse();
    }

    @Test
    void watchStartedDuringWritesMissesNothingAndRepeatsNothing() throws Exception {
        int writes = 300;
        ConcurrentLinkedQueue<Long> written = new ConcurrentLinkedQueue<>();
        CountDownLatch halfway = new CountDownLatch(1);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < writes; i++) {
                written.add(created("/registry/s/k" + i, "v").modRevision());
                if (i == writes / 3) {
                    halfway.countDown();
                }
            }
        });
        halfway.await();
        long after = store.currentRevision() - 5;
        RecordingListener l = watch("/registry/s/", after);
        writer.join();

        List<Long> expected = written.stream().filter(r -> r > after).sorted().toList();
        await().atMost(WAIT).until(() -> l.events().size() >= expected.size());
        assertThat(l.revisions()).containsExactlyElementsOf(expected);
        assertThat(l.overlapped()).isFalse();
        assertThat(l.error()).isNull();
    }

    @Test
    void aSlowListenerBlocksNeitherWritersNorItsOwnLaterEvents() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        WatchListener slow = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(event.revision());
            }

            @Override
            public void onError(Throwable error) {}
        };
        watches.add(store.watch("/registry/slow/", store.currentRevision(), slow));
        List<Long> written = new ArrayList<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 50; i++) {
                written.add(created("/registry/slow/k" + i, "v").modRevision());
            }
        });
        writer.join(WAIT.toMillis());
        assertThat(writer.isAlive()).as("writes blocked by a slow watcher").isFalse();
        release.countDown();
        await().atMost(WAIT).until(() -> seen.size() == 50);
        assertThat(seen).containsExactlyElementsOf(written);
    }

    @Test
    void closedWatchStopsDelivering() throws Exception {
        RecordingListener l = new RecordingListener();
        AutoCloseable w = store.watch("/registry/c/", store.currentRevision(), l);
        KeyValue first = created("/registry/c/a", "a");
        await().atMost(WAIT).until(() -> l.events().size() == 1);
        w.close();
        w.close();
        created("/registry/c/b", "b");
        // A second watch sees the later write, so by then the closed one would have seen it too.
        RecordingListener witness = watch("/registry/c/", first.modRevision());
        await().atMost(WAIT).until(() -> witness.events().size() == 1);
        assertThat(l.events()).hasSize(1);
    }

    // --- compaction -----------------------------------------------------------------------------

    @Test
    void compactedRevisionsCannotBeReadOrWatched() {
        KeyValue v1 = created("/registry/k/a", "1");
        KeyValue v2 = ok(store.update("/registry/k/a", bytes("2"), v1.modRevision()));
        KeyValue v3 = ok(store.update("/registry/k/a", bytes("3"), v2.modRevision()));
        created("/registry/k/b", "b");
        long compactAt = store.currentRevision();
        store.compact(compactAt);
        assertThat(store.compactRevision()).isEqualTo(compactAt);

        assertThatThrownBy(() -> store.range("/registry/k/", null, 0, v1.modRevision()))
                .isInstanceOf(CompactedException.class);

        RecordingListener l = watch("/registry/k/", v1.modRevision());
        await().atMost(WAIT).until(() -> l.error() != null);
        assertThat(l.error()).isInstanceOf(CompactedException.class);
        assertThat(((CompactedException) l.error()).compactRevision()).isEqualTo(compactAt);
        assertThat(l.events()).isEmpty();

        // Reading exactly at the compaction point is allowed.
        assertThat(store.range("/registry/k/", null, 0, compactAt).kvs()).hasSize(2);
        assertThat(v3.modRevision()).isLessThan(compactAt);
    }

    @Test
    void compactionKeepsLatestValuesAndLaterHistory() {
        KeyValue a1 = created("/registry/k/a", "1");
        KeyValue a2 = ok(store.update("/registry/k/a", bytes("2"), a1.modRevision()));
        KeyValue gone = created("/registry/k/gone", "g");
        ok(store.delete("/registry/k/gone", gone.modRevision()));
        long compactAt = store.currentRevision();
        KeyValue a3 = ok(store.update("/registry/k/a", bytes("3"), a2.modRevision()));

        store.compact(compactAt);
        store.compact(compactAt - 1); // older than the compaction point: no-op

        assertThat(store.get("/registry/k/a")).get().satisfies(kv -> {
            assertThat(kv.valueAsString()).isEqualTo("3");
            assertThat(kv.createRevision()).isEqualTo(a1.modRevision());
            assertThat(kv.version()).isEqualTo(3);
        });
        assertThat(store.get("/registry/k/gone")).isEmpty();
        assertThat(store.range("/registry/k/", null, 0, compactAt).kvs()).singleElement()
                .extracting(KeyValue::valueAsString).isEqualTo("2");

        RecordingListener l = watch("/registry/k/", compactAt);
        await().atMost(WAIT).until(() -> l.events().size() == 1);
        assertThat(l.revisions()).containsExactly(a3.modRevision());
        assertThat(l.events().getFirst().prevKv().valueAsString()).isEqualTo("2");

        KeyValue a4 = ok(store.update("/registry/k/a", bytes("4"), a3.modRevision()));
        assertThat(a4.version()).isEqualTo(4);
    }

    @Test
    void compactingBeyondTheCurrentRevisionFails() {
        created("/registry/a", "1");
        long rev = store.currentRevision();
        assertThatThrownBy(() -> store.compact(rev + 1000)).isInstanceOf(StoreException.class);
    }

    // --- concurrency ----------------------------------------------------------------------------

    @Test
    void concurrentCompareAndSwapIncrementsLoseNoUpdate() throws Exception {
        created("/registry/counter", "0");
        int threads = 16;
        int incrementsEach = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsEach; i++) {
                        while (true) {
                            KeyValue cur = store.get("/registry/counter").orElseThrow();
                            long next = Long.parseLong(cur.valueAsString()) + 1;
                            if (store.update("/registry/counter", bytes(Long.toString(next)), cur.modRevision()).succeeded()) {
                                break;
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        KeyValue last = store.get("/registry/counter").orElseThrow();
        assertThat(last.valueAsString()).isEqualTo(Integer.toString(threads * incrementsEach));
        assertThat(last.version()).isEqualTo(threads * incrementsEach + 1);
    }

    @Test
    void concurrentCreatesOfOneKeyHaveOneWinner() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<WriteResult>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String value = "writer" + t;
                futures.add(pool.submit(() -> store.create("/registry/once", bytes(value))));
            }
            Set<Boolean> outcomes = new HashSet<>();
            int winners = 0;
            for (Future<WriteResult> f : futures) {
                boolean won = f.get().succeeded();
                outcomes.add(won);
                winners += won ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
