package io.jk8s.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically discards old history, keeping the last {@code keepRevisions} revisions so that
 * watchers which reconnect shortly after a hiccup can still resume (the API server's 5-minute
 * compaction, and kine's "keep at least 1000 revisions").
 */
public final class Compactor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    /** Upstream defaults: every 5 minutes, keeping the last 1000 revisions. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    public static final long DEFAULT_KEEP = 1000;

    private final Store store;
    private final long keepRevisions;
    private final ScheduledExecutorService timer;

    private Compactor(Store store, long keepRevisions, Duration interval) {
        this.store = store;
        this.keepRevisions = keepRevisions;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("store-compactor").daemon(true).factory());
        timer.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts compacting {@code store} every {@code interval}; close the returned compactor to stop. */
    public static Compactor start(Store store, long keepRevisions, Duration interval) {
        if (keepRevisions < 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("keepRevisions must be >= 0 and interval > 0");
        }
        return new Compactor(store, keepRevisions, interval);
    }

    /** Compacts once, now; returns the new compaction point, or the old one if nothing was discarded. */
    public long compactOnce() {
        long target = store.currentRevision() - keepRevisions;
        if (target > store.compactRevision()) {
            store.compact(target);
            LOG.debug("compacted store history up to revision {}", target);
        }
        return store.compactRevision();
    }

    private void runQuietly() {
        try {
            compactOnce();
        } catch (RuntimeException e) {
            LOG.warn("store compaction failed; will retry", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
