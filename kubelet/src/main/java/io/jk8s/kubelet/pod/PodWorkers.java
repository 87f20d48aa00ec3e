package io.jk8s.kubelet.pod;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One worker (a virtual thread) per pod, so that a pod's lifecycle steps never run
 * concurrently while different pods progress independently. Updates coalesce: a worker always
 * syncs the newest version of its pod. A worker syncs when its pod changes, when the runtime
 * reports a change ({@link #poke}), when the syncer asked to look again, and otherwise every
 * {@code resyncPeriod}.
 */
public final class PodWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
    private static final Duration ERROR_RETRY = Duration.ofSeconds(5);

    private final PodSyncer syncer;
    private final PodStatusSink sink;
    private final Duration resyncPeriod;
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PodWorkers(PodSyncer syncer, PodStatusSink sink, Duration resyncPeriod) {
        this.syncer = syncer;
        this.sink = sink;
        this.resyncPeriod = resyncPeriod;
    }

    /** The pod was added or changed in the API (it is bound to this node). */
    public void update(Pod pod) {
        if (closed) {
            return;
        }
        workers.computeIfAbsent(pod.getMetadata().getUid(), uid -> new Worker(uid, pod)).offer(pod);
    }

    /** The pod is gone from the API: remove its sandboxes and containers, then stop its worker. */
    public void remove(String uid) {
        Worker worker = workers.get(uid);
        if (worker != null) {
            worker.markRemoved();
        } else {
            syncer.cleanup(uid); // e.g. a pod deleted while the kubelet was down
        }
    }

    /** Something changed in the runtime for this pod: sync it soon. */
    public void poke(String uid) {
        Worker worker = workers.get(uid);
        if (worker != null) {
            worker.wake();
        }
    }

    /** Uids of pods that currently have a worker. */
    public Set<String> uids() {
        return Set.copyOf(workers.keySet());
    }

    @Override
    public void close() {
        closed = true;
        workers.values().forEach(Worker::stop);
        for (Worker w : workers.values()) {
            try {
                w.thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Worker {
        private final String uid;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Thread thread;
        private Pod pod;
        private boolean dirty = true;
        private boolean removed;
        private boolean stopped;
        private volatile PodStatus lastReported;
        private boolean terminationReported;

        Worker(String uid, Pod pod) {
            this.uid = uid;
            this.pod = pod;
            this.thread = Thread.ofVirtual().name("pod-worker-" + uid).unstarted(this::run);
            thread.start();
        }

        void offer(Pod newer) {
            lock.lock();
            try {
                // The newest object is always kept (the next sync builds on its status), but only a change the
                // kubelet must act on wakes the worker: the echo of its own status write would cost a full sync.
                if (needsSync(pod, newer, lastReported)) {
                    dirty = true;
                    changed.signal();
                }
                pod = newer;
            } finally {
                lock.unlock();
            }
        }

        void wake() {
            lock.lock();
            try {
                dirty = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        void markRemoved() {
            lock.lock();
            try {
                removed = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        void stop() {
            lock.lock();
            try {
                stopped = true;
                changed.signal();
            } finally {
                lock.unlock();
            }
        }

        private void run() {
            Duration wait = Duration.ZERO;
            while (true) {
                Pod current;
                lock.lock();
                try {
                    long nanos = wait.toNanos();
                    while (!dirty && !removed && !stopped && nanos > 0) {
                        nanos = changed.awaitNanos(nanos);
                    }
                    if (stopped) {
                        return;
                    }
                    if (removed) {
                        break;
                    }
                    dirty = false;
                    current = pod;
                } catch (InterruptedException e) {
                    return;
                } finally {
                    lock.unlock();
                }
                wait = syncOnce(current);
            }
            try {
                syncer.cleanup(uid);
            } catch (RuntimeException e) {
                log.error("pod uid {}: cleanup failed", uid, e);
            } finally {
                workers.remove(uid);
            }
        }

        private Duration syncOnce(Pod current) {
            String key = PodSyncer.key(current);
            try {
                PodSyncer.Result result = syncer.sync(current);
                if (!result.status().equals(lastReported)) {
                    // Set before the write: its echo from the API may arrive before report() returns.
                    PodStatus previous = lastReported;
                    lastReported = result.status();
                    try {
                        sink.report(current, result.status());
                    } catch (RuntimeException e) {
                        lastReported = previous;
                        throw e;
                    }
                }
                if (current.getMetadata().getDeletionTimestamp() != null && !terminationReported
                        && noneRunning(result.status())) {
                    sink.terminated(current);
                    terminationReported = true;
                }
                return result.resyncAfter().filter(d -> d.compareTo(resyncPeriod) < 0).orElse(resyncPeriod);
            } catch (RuntimeException e) {
                log.warn("pod {}: sync failed, retrying in {} s: {}", key, ERROR_RETRY.toSeconds(), e.toString());
                return ERROR_RETRY;
            }
        }
    }

    /**
     * Whether a pod update asks for a sync, as upstream's pod config separates updates from reconciles: changes
     * to the spec, labels, annotations or deletion do; status-only changes do not, unless another writer moved
     * the phase away from what this kubelet last reported (e.g. the pod was failed from outside).
     */
    static boolean needsSync(Pod current, Pod newer, PodStatus lastReported) {
        if (current == newer) {
            return true; // the first offer of a new worker
        }
        ObjectMeta a = current.getMetadata();
        ObjectMeta b = newer.getMetadata();
        if (!Objects.equals(current.getSpec(), newer.getSpec()) || !Objects.equals(a.getLabels(), b.getLabels())
                || !Objects.equals(a.getAnnotations(), b.getAnnotations())
                || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                || !Objects.equals(a.getDeletionGracePeriodSeconds(), b.getDeletionGracePeriodSeconds())) {
            return true;
        }
        String phase = newer.getStatus() == null ? null : newer.getStatus().getPhase();
        String known = lastReported != null ? lastReported.getPhase()
                : current.getStatus() == null ? null : current.getStatus().getPhase();
        return phase != null && !phase.equals(known);
    }

    private static boolean noneRunning(PodStatus status) {
        List<ContainerStatus> all = new java.util.ArrayList<>(Objects.requireNonNullElse(status.getContainerStatuses(), List.of()));
        all.addAll(Objects.requireNonNullElse(status.getInitContainerStatuses(), List.of()));
        return all.stream().noneMatch(s -> s.getState() != null && s.getState().getRunning() != null);
    }
}
