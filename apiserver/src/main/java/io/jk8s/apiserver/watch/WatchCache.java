package io.jk8s.apiserver.watch;

import io.jk8s.api.ApiException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Current objects of one group-resource plus a ring of its recent events. Not thread-safe by
 * itself: {@link CacheHub} guards every cache with one read/write lock (one writer: the store watch).
 */
public final class WatchCache {

    private final String groupResource;
    private final int capacity;
    private final TreeMap<String, CachedObject> objects = new TreeMap<>();
    private final ArrayDeque<CacheEvent> ring = new ArrayDeque<>();
    /** A watch from revision R can be served when R >= this: every later event is still in the ring. */
    private long oldestServable;
    final Set<CacheWatcher> watchers = ConcurrentHashMap.newKeySet();
    /** Bumped on every change, so that derived indexes (e.g. RBAC's) know when to rebuild. */
    private volatile long changes;

    WatchCache(String groupResource, int capacity) {
        this.groupResource = groupResource;
        this.capacity = capacity;
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
        if (ring.size() == capacity) {
            oldestServable = ring.removeFirst().revision();
        }
        ring.addLast(e);
        changes++;
        for (CacheWatcher w : watchers) {
            if (w.isOpen()) {
                w.deliver(e);
            } else {
                watchers.remove(w);
            }
        }
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
        for (CacheEvent e : ring) {
            if (e.revision() > fromRevision) {
                w.deliver(e);
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
