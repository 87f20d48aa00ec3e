package io.jk8s.apiserver.watch;

import io.jk8s.api.ApiException;
import io.jk8s.apiserver.storage.Keys;
import io.jk8s.store.CompactedException;
import io.jk8s.store.KeyValue;
import io.jk8s.store.RangeResult;
import io.jk8s.store.Store;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The watch caches of all resource types, fed by ONE store watch on {@code /registry/}.
 *
 * <p>One watch for everything means every event moves one global revision forward, so a
 * consistent read ("resourceVersion unset") just waits until that revision reaches the store's
 * current one. The dispatcher (the store's listener thread) applies each event under the write
 * lock and fans it out to the watchers of that type; readers take the read lock to copy a snapshot.
 */
public final class CacheHub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CacheHub.class);

    private final Store store;
    private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object revisionMonitor = new Object();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("watch-cache-timer").factory());
    private volatile long revision;
    private volatile AutoCloseable storeWatch;
    private volatile boolean closed;

    /** How often idle types drop history older than the fresh window (see {@link WatchCache}). */
    private static final long TRIM_INTERVAL_MS = 10_000;

    /** @param ringCapacity the most events a type's history keeps (the window is 75 s of events, at least 100) */
    public CacheHub(Store store, Collection<String> groupResources, int ringCapacity) {
        this(store, groupResources, WatchCache.History.standard(ringCapacity));
    }

    CacheHub(Store store, Collection<String> groupResources, WatchCache.History history) {
        this.store = store;
        for (String gr : groupResources) {
            caches.put(gr, new WatchCache(gr, history));
        }
    }

    /** Lists every type and starts the watch; completes when the caches are primed. */
    public CompletableFuture<Void> start(long bookmarkIntervalMillis) {
        return CompletableFuture.runAsync(() -> {
            relist();
            timer.scheduleAtFixedRate(this::sendBookmarks, bookmarkIntervalMillis, bookmarkIntervalMillis,
                    TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(this::trimHistory, TRIM_INTERVAL_MS, TRIM_INTERVAL_MS, TimeUnit.MILLISECONDS);
        }, r -> Thread.ofVirtual().name("watch-cache-start").start(r));
    }

    private void relist() {
        lock.writeLock().lock();
        try {
            long rev = store.currentRevision();
            for (WatchCache c : caches.values()) {
                List<CachedObject> objs = new ArrayList<>();
                String prefix = Keys.ROOT + c.groupResource() + "/";
                String from = null;
                while (true) {
                    RangeResult page = store.range(prefix, from, 1000, rev);
                    for (KeyValue kv : page.kvs()) {
                        objs.add(CachedObject.of(kv.key(), kv.value(), kv.modRevision()));
                    }
                    if (!page.more() || page.kvs().isEmpty()) break;
                    from = page.kvs().get(page.kvs().size() - 1).key() + "\0";
                }
                // Watchers started before a relist may have missed events: they must relist too.
                for (CacheWatcher w : c.watchers) {
                    w.fail(ApiException.gone("the watch cache was re-initialised, please relist"));
                }
                c.watchers.clear();
                c.reset(objs, rev);
            }
            setRevision(rev);
            storeWatch = store.watch(Keys.ROOT, rev, new Listener());
        } finally {
            lock.writeLock().unlock();
        }
    }

    private final class Listener implements WatchListener {
        @Override
        public void onEvent(WatchEvent e) {
            apply(e);
        }

        @Override
        public void onError(Throwable error) {
            if (closed) return;
            log.warn("store watch ended ({}); re-initialising the watch cache", error.toString());
            Thread.ofVirtual().start(() -> {
                try {
                    if (!(error instanceof CompactedException)) {
                        Thread.sleep(500); // back off a failing store
                    }
                    if (!closed) relist();
                } catch (Exception ex) {
                    log.error("watch cache relist failed", ex);
                }
            });
        }

        @Override
        public void onProgress(long rev) {
            if (rev > revision) setRevision(rev);
        }
    }

    private void apply(WatchEvent e) {
        lock.writeLock().lock();
        try {
            String gr = Keys.groupResourceOf(e.kv().key());
            WatchCache c = gr == null ? null : caches.get(gr);
            if (c != null) {
                long rev = e.revision();
                CacheEvent ce;
                CachedObject prev = c.get(e.kv().key());
                if (e.type() == WatchEvent.Type.DELETE) {
                    CachedObject last = prev != null ? prev
                            : e.prevKv() != null ? CachedObject.of(e.kv().key(), e.prevKv().value(), e.prevKv().modRevision()) : null;
                    if (last != null) {
                        ce = new CacheEvent(CacheEvent.Type.DELETED, last.atRevision(rev), last, rev);
                        c.apply(ce);
                    }
                } else {
                    CachedObject now = CachedObject.of(e.kv().key(), e.kv().value(), rev, prev);
                    ce = new CacheEvent(prev == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED, now, prev, rev);
                    c.apply(ce);
                }
            }
            setRevision(e.revision());
        } catch (RuntimeException ex) {
            log.error("cannot apply store event for {}", e.kv().key(), ex);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void setRevision(long rev) {
        synchronized (revisionMonitor) {
            revision = rev;
            revisionMonitor.notifyAll();
        }
    }

    public long revision() {
        return revision;
    }

    /** Waits until the caches reflect {@code rev}; false on timeout. */
    public boolean awaitRevision(long rev, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (revisionMonitor) {
            while (revision < rev) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) return false;
                try {
                    revisionMonitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** A consistent copy of the objects under {@code keyPrefix}, with the revision it reflects. */
    public Snapshot list(String groupResource, String keyPrefix) {
        WatchCache c = cache(groupResource);
        lock.readLock().lock();
        try {
            return new Snapshot(c.list(keyPrefix), revision);
        } finally {
            lock.readLock().unlock();
        }
    }

    public CachedObject get(String groupResource, String key) {
        WatchCache c = cache(groupResource);
        lock.readLock().lock();
        try {
            return c.get(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    public record Snapshot(List<CachedObject> objects, long revision) {}

    /** A counter that grows with every change to one group-resource (-1 when it is not cached). */
    public long changeCount(String groupResource) {
        WatchCache c = caches.get(groupResource);
        return c == null ? -1 : c.changes();
    }

    /**
     * Registers a watcher from {@code fromRevision} (0 = now, with the current state as ADDED events).
     * Events after it are replayed first; no event is lost or doubled between replay and live delivery
     * because both happen under the lock. Throws 410 Gone when the ring does not reach back that far.
     */
    public void watch(String groupResource, CacheWatcher w, long fromRevision, boolean initialState,
                      boolean initialEventsEndBookmark) {
        WatchCache c = cache(groupResource);
        lock.writeLock().lock();
        try {
            if (fromRevision > 0 && fromRevision < store.compactRevision()) {
                throw ApiException.gone("too old resource version: " + fromRevision + " (" + store.compactRevision() + ")");
            }
            if (initialState) {
                for (CachedObject o : c.list(Keys.ROOT)) {
                    w.sendInitial(o);
                }
                if (initialEventsEndBookmark) {
                    w.bookmark(revision, true);
                }
            } else if (fromRevision > 0) {
                c.replay(w, Math.min(fromRevision, revision));
            }
            c.watchers.add(w);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void unwatch(String groupResource, CacheWatcher w) {
        WatchCache c = caches.get(groupResource);
        if (c != null) c.watchers.remove(w);
    }

    public int watcherCount() {
        return caches.values().stream().mapToInt(c -> c.watchers.size()).sum();
    }

    private WatchCache cache(String groupResource) {
        WatchCache c = caches.get(groupResource);
        if (c == null) throw new IllegalArgumentException("no watch cache for " + groupResource);
        return c;
    }

    /** Drops history past the fresh window of types that had no event lately (busy ones trim as they apply). */
    void trimHistory() {
        lock.writeLock().lock();
        try {
            for (WatchCache c : caches.values()) {
                c.trim();
            }
        } catch (RuntimeException e) {
            log.warn("watch cache history trim failed", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void sendBookmarks() {
        long rev = revision;
        lock.readLock().lock();
        try {
            for (WatchCache c : caches.values()) {
                for (CacheWatcher w : c.watchers) {
                    w.bookmark(rev, false);
                }
            }
        } catch (RuntimeException e) {
            log.warn("bookmark round failed", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Ends every watch (clients see the stream end and re-watch elsewhere). */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            if (storeWatch != null) storeWatch.close();
        } catch (Exception e) {
            log.debug("closing store watch", e);
        }
        for (WatchCache c : caches.values()) {
            for (CacheWatcher w : c.watchers) {
                w.close();
            }
            c.watchers.clear();
        }
    }
}
