package io.jk8s.store.sqlite;

import io.jk8s.store.CompactedException;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WatchListener;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch on the SQLite store: a virtual thread that moves a revision cursor forward, taking events
 * from the in-memory ring when it holds them and from the log table otherwise, and parks when caught up.
 * Memory per watch is constant: a slow listener only makes its cursor lag, it never buffers.
 */
final class SqliteWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWatch.class);
    private static final int MAX_SCAN = 1024;

    private final SqliteStore store;
    private final String prefix;
    private final WatchListener listener;
    private long cursor;
    private volatile Thread thread;
    private volatile boolean closed;

    SqliteWatch(SqliteStore store, String prefix, long afterRevision, WatchListener listener) {
        this.store = store;
        this.prefix = prefix;
        this.cursor = afterRevision;
        this.listener = listener;
    }

    void start() {
        // Assign before starting: a wake() that comes before the thread runs must still find it.
        Thread t = Thread.ofVirtual().name("sqlite-watch " + prefix).unstarted(this::run);
        thread = t;
        t.start();
    }

    void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        try {
            if (cursor < store.compactRevision()) {
                throw new CompactedException(cursor, store.compactRevision());
            }
            while (!closed) {
                EventRing.Slice slice = store.ring().after(cursor, prefix, MAX_SCAN);
                if (slice == null) {
                    slice = store.readEvents(prefix, cursor, store.ring().firstRevision() - 1);
                }
                for (WatchEvent e : slice.events()) {
                    if (closed) {
                        return;
                    }
                    deliver(e);
                }
                if (slice.cursor() == cursor) {
                    LockSupport.park(this);
                }
                cursor = slice.cursor();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                closed = true;
                store.removeWatch(this);
                listener.onError(e);
            }
        }
    }

    private void deliver(WatchEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("watch listener for {} failed on revision {}", prefix, e.revision(), ex);
        }
    }

    @Override
    public void close() {
        closed = true;
        store.removeWatch(this);
        wake();
    }
}
