package io.jk8s.apiserver.watch;

import io.jk8s.api.ApiException;
import io.jk8s.apiserver.http.ResponseStream;
import io.jk8s.apiserver.http.Status;

/**
 * One client watch served from a {@link WatchCache}: events are filtered and written to the
 * client's stream by the thread that applies them. Writes never block (they queue in Netty); a
 * client that lets too much queue up is disconnected, as upstream drops slow watchers.
 */
public final class CacheWatcher {

    /** Beyond this many unsent bytes the client is considered stuck. */
    static final long MAX_BACKLOG = 64L * 1024 * 1024;

    private final String keyPrefix;
    private final WatchFilter filter;
    private final EventEncoder encoder;
    private final ResponseStream stream;
    private final boolean bookmarks;
    private volatile long lastRevision;

    public CacheWatcher(String keyPrefix, WatchFilter filter, EventEncoder encoder, ResponseStream stream,
                        boolean bookmarks, long fromRevision) {
        this.keyPrefix = keyPrefix;
        this.filter = filter;
        this.encoder = encoder;
        this.stream = stream;
        this.bookmarks = bookmarks;
        this.lastRevision = fromRevision;
    }

    boolean isOpen() {
        return stream.isOpen();
    }

    /** Sends what this event means for this watcher: a filter change turns MODIFIED into ADDED or DELETED. */
    void deliver(CacheEvent e) {
        if (!e.object().key().startsWith(keyPrefix)) {
            return;
        }
        boolean now = e.type() != CacheEvent.Type.DELETED && filter.matches(e.object());
        boolean before = e.previous() != null && filter.matches(e.previous());
        String type;
        if (e.type() == CacheEvent.Type.DELETED) {
            type = before ? "DELETED" : null;
        } else if (now && before) {
            type = "MODIFIED";
        } else if (now) {
            type = "ADDED";
        } else if (before) {
            type = "DELETED";
        } else {
            type = null;
        }
        lastRevision = e.revision();
        if (type != null) {
            send(encoder.event(type, e.object()));
        }
    }

    /** The synthetic ADDED of the initial state. */
    void sendInitial(CachedObject o) {
        if (o.key().startsWith(keyPrefix) && filter.matches(o)) {
            send(encoder.event("ADDED", o));
        }
    }

    void bookmark(long revision, boolean initialEventsEnd) {
        if ((bookmarks || initialEventsEnd) && revision >= lastRevision) {
            lastRevision = revision;
            send(encoder.bookmark(revision, initialEventsEnd));
        }
    }

    /** Ends the stream with an ERROR event (e.g. 410 after a relist), then closes. */
    void fail(ApiException e) {
        stream.write(encoder.error(Status.of(e)));
        stream.close();
    }

    void close() {
        stream.close();
    }

    private void send(byte[] bytes) {
        if (stream.backlogBytes() > MAX_BACKLOG) {
            stream.close();
            return;
        }
        stream.write(bytes);
    }
}
