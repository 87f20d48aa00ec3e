package io.jk8s.store.etcd;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchResponse;
import io.jk8s.store.CompactedException;
import io.jk8s.store.KeyValue;
import io.jk8s.store.StoreException;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WatchListener;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on etcd. jetcd callbacks only enqueue; a virtual thread delivers to the listener, so
 * calls never overlap and gRPC threads never wait on a slow listener. The watch remembers the last
 * revision it delivered: when the stream fails (member down, connection lost) it re-opens the etcd
 * watch from the next revision and drops anything already delivered, so the listener sees every
 * revision once and in order.
 */
final class EtcdWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
    private static final long MAX_BACKOFF_MS = 2000;

    private sealed interface Signal {}
    private record Events(WatchResponse response) implements Signal {}
    private record Failure(Throwable error) implements Signal {}

    private final EtcdStore store;
    private final String prefix;
    private final WatchListener listener;
    private final LinkedBlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
    private long delivered;           // only touched by the delivery thread
    private volatile Watch.Watcher etcdWatcher;
    private volatile Thread thread;
    private volatile boolean closed;

    EtcdWatch(EtcdStore store, String prefix, long afterRevision, WatchListener listener) {
        this.store = store;
        this.prefix = prefix;
        this.listener = listener;
        this.delivered = afterRevision;
    }

    void start() {
        Thread t = Thread.ofVirtual().name("etcd-watch " + prefix).unstarted(this::run);
        thread = t;
        t.start();
    }

    private void subscribe(long fromRevision) {
        // Each subscription gets its own listener object, so late callbacks from an abandoned stream are ignored.
        Watch.Listener l = new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                if (current(this)) {
                    queue.add(new Events(response));
                }
            }

            @Override
            public void onError(Throwable t) {
                if (current(this)) {
                    queue.add(new Failure(t));
                }
            }

            @Override
            public void onCompleted() {
                if (current(this)) {
                    queue.add(new Failure(new StoreException("etcd closed the watch stream")));
                }
            }
        };
        activeListener = l;
        etcdWatcher = store.openWatch(prefix, fromRevision, l);
    }

    private volatile Watch.Listener activeListener;

    private boolean current(Watch.Listener l) {
        return activeListener == l && !closed;
    }

    private void run() {
        long backoff = 100;
        try {
            subscribe(delivered + 1);
            while (!closed) {
                Signal s = queue.take();
                if (closed) {
                    return;
                }
                switch (s) {
                    case Events e -> {
                        deliver(e.response());
                        backoff = 100;
                    }
                    case Failure f -> {
                        if (f.error() instanceof io.etcd.jetcd.common.exception.CompactedException c) {
                            store.noteCompacted(c.getCompactedRevision());
                            fail(new CompactedException(delivered, c.getCompactedRevision()));
                            return;
                        }
                        LOG.info("etcd watch on {} failed after revision {}; resuming: {}", prefix, delivered, f.error().toString());
                        closeEtcdWatcher();
                        TimeUnit.MILLISECONDS.sleep(backoff); // back-off before reconnecting, not synchronisation
                        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                        if (!closed) {
                            subscribe(delivered + 1);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void deliver(WatchResponse response) {
        long progress = response.getHeader().getRevision();
        for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
            KeyValue kv = EtcdStore.toKeyValue(e.getKeyValue());
            if (kv.modRevision() <= delivered) {
                continue; // already delivered before a resume
            }
            KeyValue prev = e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty() ? null : EtcdStore.toKeyValue(e.getPrevKV());
            WatchEvent event = switch (e.getEventType()) {
                case PUT -> new WatchEvent(WatchEvent.Type.PUT, kv, kv.version() == 1 ? null : prev);
                case DELETE -> new WatchEvent(WatchEvent.Type.DELETE,
                        new KeyValue(kv.key(), new byte[0], prev == null ? 0 : prev.createRevision(), kv.modRevision(), 0), prev);
                default -> null;
            };
            if (event != null) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException ex) {
                    LOG.warn("watch listener for {} failed on revision {}", prefix, kv.modRevision(), ex);
                }
                delivered = kv.modRevision();
            }
        }
        if (response.getEvents().isEmpty() && progress > delivered && !response.isCreatedNotify()) {
            // A progress notification: nothing under the prefix changed up to this revision.
            delivered = progress;
            listener.onProgress(progress);
        }
    }

    private void fail(Throwable t) {
        if (!closed) {
            closed = true;
            closeEtcdWatcher();
            store.removeWatch(this);
            listener.onError(t);
        }
    }

    private void closeEtcdWatcher() {
        activeListener = null; // the abandoned stream's own close callbacks must not look like new failures
        Watch.Watcher w = etcdWatcher;
        if (w != null) {
            try {
                w.close();
            } catch (RuntimeException e) {
                LOG.debug("closing etcd watcher failed", e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeEtcdWatcher();
        store.removeWatch(this);
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
