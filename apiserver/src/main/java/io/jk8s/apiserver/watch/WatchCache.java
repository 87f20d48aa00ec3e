package io.jk8s.apiserver.watch;

import io.jk8s.api.ApiException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Current objects of one group-resource plus a ring of its recent events. Not thread-safe by
 * itself: {@link CacheHub} guards every cache with one read/write lock (one writer: the store watch).
 *
 * <p>The ring is a history window sized as upstream's watch cache sizes its own: it keeps the events of
 * the last {@link History#freshNanos} (upstream's {@code eventFreshDuration}, 75 s), never fewer than
 * {@link History#minEvents} (upstream's lower bound, 100) and never more than the capacity. A watch that
 * resumes from a revision older than that gets 410 Gone and relists, as upstream's does once its ring
 * has turned over. Events past the window are dropped as new ones arrive and by {@link #trim()} when the
 * type is idle: with 10,000 pods, a ring full of old pod versions was ~20 MB of an idle server's heap.
 */
public final class WatchCache {

    /** How much history the ring keeps. */
    record History(int capacity, int minEvents, long freshNanos, LongSupplier nanoClock) {
        /** Upstream's eventFreshDuration and lower bound; our upper bound. */
        static History standard(int capacity) {
            return new History(capacity, 100, java.util.concurrent.TimeUnit.SECONDS.toNanos(75), System::nanoTime);
        }
    }

    /** One ring slot: the event and when the cache applied it. */
    private record Recorded(CacheEvent event, long atNanos) {}

    private final String groupResource;
    private final History history;
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<Recorded> ring = new ArrayDeque<>();
    /** A watch from revision R can be served when R >= this: every later event is still in the ring. */
    private long oldestServable;
    final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** Bumped on every change, so that derived indexes (e.g. RBAC's) know when to rebuild. */
    private volatile long changes;

    WatchCache(String groupResource, History history) {
        this.groupResource = groupResource;
        this.history = history;
    }

    public String groupResource() {
        return groupResource;
    }

    void reset(List<CachedObject> current, long revision) {
        objects.clear();
        ring.clear();
        for (CachedObject o : current) {
            objects.put(o.key(), o);
        }
        oldestServable = revision;
        changes++;
    }

    void apply(CacheEvent e) {
        if (e.type() == CacheEvent.Type.DELETED) {
            objects.remove(e.object().key());
        } else {
            objects.put(e.object().key(), e.object());
        }
        if (ring.size() == history.capacity()) {
            evictOldest();
        }
        ring.addLast(new Recorded(e, history.nanoClock().getAsLong()));
        trim();
        changes++;
        for (CacheWatcher w : watchers) {
            if (w.isOpen()) {
                w.deliver(e);
            } else {
                watchers.remove(w);
            }
        }
    }

    /** Drops events older than the fresh window while more than the minimum remain. */
    void trim() {
        long now = history.nanoClock().getAsLong();
        while (ring.size() > history.minEvents() && now - ring.peekFirst().atNanos() > history.freshNanos()) {
            evictOldest();
        }
    }

    private void evictOldest() {
        oldestServable = ring.removeFirst().event().revision();
    }

    /** Objects whose key starts with {@code prefix}, in key order. */
    List<CachedObject> list(String prefix) {
        return new ArrayList<>(objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values());
    }

    CachedObject get(String key) {
        return objects.get(key);
    }

    /** Replays events after {@code fromRevision} into {@code w}; 410 when the ring no longer reaches back. */
    void replay(CacheWatcher w, long fromRevision) {
        if (fromRevision < oldestServable) {
            throw ApiException.gone("too old resource version: " + fromRevision + " (" + oldestServable + ")");
        }
        for (Recorded r : ring) {
            if (r.event().revision() > fromRevision) {
                w.deliver(r.event());
            }
        }
    }

    long changes() {
        return changes;
    }

    int size() {
        return objects.size();
    }
}
