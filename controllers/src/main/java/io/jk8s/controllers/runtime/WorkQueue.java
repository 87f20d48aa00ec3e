package io.jk8s.controllers.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A de-duplicating work queue of object keys with per-key exponential backoff, after client-go's
 * rate-limiting queue.
 *
 * <p>Contract: a key added while queued is stored once; a key added while a worker processes it
 * is queued again only after {@link #done(String)}, so at most one worker handles a key at a time.
 * {@link #addRateLimited(String)} delays by {@code base * 2^failures} (capped); {@link #forget(String)}
 * resets that count after a successful sync. Thread-safe.
 */
public final class WorkQueue implements AutoCloseable {

    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final Set<String> dirty = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ScheduledExecutorService delayer;
    private boolean shuttingDown;

    public WorkQueue(String name, Duration baseDelay, Duration maxDelay) {
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.delayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workqueue-delay-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public WorkQueue(String name) {
        this(name, Duration.ofMillis(5), Duration.ofSeconds(60));
    }

    /** Queues {@code key} unless it is already queued; a key being processed is re-queued at {@link #done}. */
    public synchronized void add(String key) {
        if (shuttingDown || !dirty.add(key)) return;
        if (processing.contains(key)) return;
        queue.addLast(key);
        notifyAll();
    }

    /** Queues {@code key} after {@code delay}. */
    public void addAfter(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        synchronized (this) {
            if (shuttingDown) return;
        }
        delayer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues {@code key} after its backoff, which doubles with every call until {@link #forget}. */
    public void addRateLimited(String key) {
        int n;
        synchronized (this) {
            n = failures.merge(key, 1, Integer::sum) - 1;
        }
        addAfter(key, backoff(n));
    }

    Duration backoff(int previousFailures) {
        long ms = baseDelay.toMillis() << Math.min(previousFailures, 30);
        return Duration.ofMillis(Math.min(Math.max(ms, 0), maxDelay.toMillis()));
    }

    /** Clears the backoff of {@code key}. */
    public synchronized void forget(String key) {
        failures.remove(key);
    }

    public synchronized int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    /** Blocks for the next key; empty once the queue is shut down. The caller must call {@link #done}. */
    public synchronized Optional<String> take() throws InterruptedException {
        while (queue.isEmpty() && !shuttingDown) wait();
        if (shuttingDown) return Optional.empty();
        String key = queue.removeFirst();
        dirty.remove(key);
        processing.add(key);
        return Optional.of(key);
    }

    /** Marks {@code key} processed; re-queues it if it was added meanwhile. */
    public synchronized void done(String key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
            notifyAll();
        }
    }

    public synchronized int length() {
        return queue.size();
    }

    @Override
    public synchronized void close() {
        shuttingDown = true;
        delayer.shutdownNow();
        notifyAll();
    }
}
