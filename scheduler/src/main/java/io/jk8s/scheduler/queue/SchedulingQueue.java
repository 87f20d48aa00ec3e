package io.jk8s.scheduler.queue;

import io.jk8s.scheduler.framework.PodInfo;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Pending pods waiting for a scheduling attempt, in three parts as upstream's priority queue:
 * <ul>
 *   <li><b>active</b>: ready now, highest priority first, then the earliest queued;</li>
 *   <li><b>backoff</b>: failed recently, waiting out an exponential backoff (initial 1 s, doubling per
 *   attempt, at most 10 s by default) before they become active;</li>
 *   <li><b>unschedulable</b>: failed because no node fit; they wait for a cluster event that may
 *   make them fit ({@link #moveAllToActiveOrBackoff}) or, at the latest, 5 minutes.</li>
 * </ul>
 * If a cluster event arrives while a pod is being scheduled, a failure of that attempt sends it to
 * backoff rather than unschedulable, so the event is not lost. Thread safe; {@link #pop} blocks.
 */
public final class SchedulingQueue {

    private static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

    private final InstantSource clock;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final PriorityQueue<QueuedPodInfo> active = new PriorityQueue<>(
            Comparator.comparingInt((QueuedPodInfo q) -> -q.podInfo().priority())
                    .thenComparingLong(QueuedPodInfo::timestampMillis));
    private final PriorityQueue<QueuedPodInfo> backoff = new PriorityQueue<>(Comparator.comparingLong(this::backoffExpiry));
    private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
    /** Every queued pod by UID, whichever part it is in. */
    private final Map<String, QueuedPodInfo> queued = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private long schedulingCycle;
    private long moveRequestCycle = -1;
    private boolean closed;

    public SchedulingQueue(InstantSource clock, Duration initialBackoff, Duration maxBackoff) {
        this.clock = clock;
        this.initialBackoffMillis = initialBackoff.toMillis();
        this.maxBackoffMillis = maxBackoff.toMillis();
    }

    public SchedulingQueue(InstantSource clock) {
        this(clock, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** A new pending pod; goes to active. An already queued pod is updated instead. */
    public void add(PodInfo pod) {
        lock.lock();
        try {
            if (queued.containsKey(pod.uid())) {
                updateLocked(pod);
                return;
            }
            if (inFlight.contains(pod.uid())) {
                return;
            }
            QueuedPodInfo q = new QueuedPodInfo(pod, clock.millis());
            queued.put(pod.uid(), q);
            active.add(q);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The pending pod changed. An unschedulable pod whose spec changed may fit now and is moved to
     * backoff or active; elsewhere only its info is replaced.
     */
    public void update(PodInfo pod) {
        lock.lock();
        try {
            if (!queued.containsKey(pod.uid())) {
                if (!inFlight.contains(pod.uid())) {
                    add(pod);
                }
                return;
            }
            updateLocked(pod);
        } finally {
            lock.unlock();
        }
    }

    private void updateLocked(PodInfo pod) {
        QueuedPodInfo q = queued.get(pod.uid());
        if (active.remove(q)) {
            q.setPodInfo(pod);
            active.add(q);
        } else if (backoff.remove(q)) {
            q.setPodInfo(pod);
            backoff.add(q);
        } else if (unschedulable.containsKey(pod.uid())) {
            boolean specChanged = !java.util.Objects.equals(q.podInfo().pod().getSpec(), pod.pod().getSpec())
                    || !java.util.Objects.equals(q.podInfo().labels(), pod.labels());
            q.setPodInfo(pod);
            if (specChanged) {
                unschedulable.remove(pod.uid());
                moveLocked(q, clock.millis());
            }
        }
    }

    /**
     * The pod was deleted or bound by someone else; forget it. A pod in flight is forgotten too, so that
     * a failure of its attempt does not requeue it.
     */
    public void delete(String uid) {
        lock.lock();
        try {
            inFlight.remove(uid);
            QueuedPodInfo q = queued.remove(uid);
            if (q != null) {
                active.remove(q);
                backoff.remove(q);
                unschedulable.remove(uid);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next pod to schedule, waiting up to {@code timeout}; {@code null} on timeout or close.
     * The pod is in flight until {@link #done} or {@link #addUnschedulable}.
     */
    public QueuedPodInfo pop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                flushLocked();
                QueuedPodInfo q = active.poll();
                if (q != null) {
                    queued.remove(q.podInfo().uid());
                    inFlight.add(q.podInfo().uid());
                    q.incrementAttempts();
                    schedulingCycle++;
                    return q;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                // Wake up for the earliest backoff expiry too.
                long wait = left;
                QueuedPodInfo next = backoff.peek();
                if (next != null) {
                    long untilExpiry = TimeUnit.MILLISECONDS.toNanos(Math.max(1, backoffExpiry(next) - clock.millis()));
                    wait = Math.min(wait, untilExpiry);
                }
                notEmpty.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The cycle number of the last {@link #pop}; passed back to {@link #addUnschedulable}. */
    public long schedulingCycle() {
        lock.lock();
        try {
            return schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    /** The in-flight pod was bound or dropped. */
    public void done(String uid) {
        lock.lock();
        try {
            inFlight.remove(uid);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Requeues a pod whose attempt in {@code podSchedulingCycle} failed. With {@code unschedulable}
     * (no node fit) it waits for a cluster event, unless one came during the attempt; errors back off.
     */
    public void addUnschedulable(QueuedPodInfo q, boolean unschedulable, long podSchedulingCycle) {
        lock.lock();
        try {
            String uid = q.podInfo().uid();
            if (!inFlight.remove(uid)) {
                return; // deleted while in flight
            }
            long now = clock.millis();
            q.setTimestampMillis(now);
            queued.put(uid, q);
            if (unschedulable && moveRequestCycle < podSchedulingCycle) {
                this.unschedulable.put(uid, q);
            } else {
                backoff.add(q);
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A cluster event may have made some unschedulable pods fit: move those accepted by {@code which}
     * to backoff (if still backing off) or active.
     */
    public void moveAllToActiveOrBackoff(Predicate<QueuedPodInfo> which) {
        lock.lock();
        try {
            long now = clock.millis();
            List<QueuedPodInfo> moving = new ArrayList<>();
            for (QueuedPodInfo q : unschedulable.values()) {
                if (which.test(q)) {
                    moving.add(q);
                }
            }
            for (QueuedPodInfo q : moving) {
                unschedulable.remove(q.podInfo().uid());
                moveLocked(q, now);
            }
            moveRequestCycle = schedulingCycle;
        } finally {
            lock.unlock();
        }
    }

    private void moveLocked(QueuedPodInfo q, long now) {
        if (backoffExpiry(q) > now) {
            backoff.add(q);
        } else {
            active.add(q);
        }
        notEmpty.signal();
    }

    /** Moves pods whose backoff is over to active, and pods unschedulable for too long to active/backoff. */
    public void flush() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    private void flushLocked() {
        long now = clock.millis();
        while (!backoff.isEmpty() && backoffExpiry(backoff.peek()) <= now) {
            active.add(backoff.poll());
        }
        if (!unschedulable.isEmpty()) {
            long limit = now - MAX_IN_UNSCHEDULABLE.toMillis();
            unschedulable.values().removeIf(q -> {
                if (q.timestampMillis() <= limit) {
                    moveLocked(q, now);
                    return true;
                }
                return false;
            });
        }
    }

    /** Backoff: initial * 2^(attempts-1), capped, counted from the last failure. */
    long backoffExpiry(QueuedPodInfo q) {
        long d = initialBackoffMillis;
        for (int i = 1; i < q.attempts() && d < maxBackoffMillis; i++) {
            d *= 2;
        }
        return q.timestampMillis() + Math.min(d, maxBackoffMillis);
    }

    /** Sizes of (active, backoff, unschedulable), for tests and metrics. */
    public int[] sizes() {
        lock.lock();
        try {
            return new int[]{active.size(), backoff.size(), unschedulable.size()};
        } finally {
            lock.unlock();
        }
    }

    /** Wakes {@link #pop} callers and makes them return {@code null}. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
