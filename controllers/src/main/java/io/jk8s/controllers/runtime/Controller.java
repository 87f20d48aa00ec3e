package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Base of every controller: event handlers enqueue {@code namespace/name} keys and
 * {@code workers} threads call {@link #sync(String)} for one key at a time.
 *
 * <p>Contract for subclasses: {@link #register(Informers)} adds event handlers that only enqueue
 * keys (no API calls); {@link #sync} re-reads the informer caches, must be idempotent, treats a
 * missing object as "clean up", and throws to be retried with per-key backoff. Objects from the
 * caches must not be mutated ({@link Copies#deepCopy}).
 */
public abstract class Controller implements AutoCloseable {

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final WorkQueue queue;
    private final String name;
    private final List<Thread> workers = new ArrayList<>();
    private static final int MAX_RETRIES_LOGGED_AS_WARN = 5;

    protected Controller(String name) {
        this.name = name;
        this.queue = new WorkQueue(name);
    }

    public String name() {
        return name;
    }

    /** Called once before the informers start: add handlers (enqueue only). */
    public abstract void register(Informers informers);

    /** Reconciles the object with this key; throw to retry with backoff. */
    protected abstract SyncResult sync(String key) throws Exception;

    /** Starts {@code count} worker threads (after the informers have synced). */
    public synchronized void start(int count) {
        for (int i = 0; i < count; i++) {
            Thread t = Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::work);
            workers.add(t);
        }
    }

    public void enqueue(String key) {
        queue.add(key);
    }

    public void enqueue(HasMetadata obj) {
        queue.add(Keys.of(obj));
    }

    private void work() {
        while (true) {
            Optional<String> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next.isEmpty()) return;
            String key = next.get();
            try {
                SyncResult r = sync(key);
                queue.forget(key);
                if (r instanceof SyncResult.RequeueAfter ra) queue.addAfter(key, ra.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | AssertionError e) {
                int n = queue.failures(key);
                if (isConflict(e) || n < MAX_RETRIES_LOGGED_AS_WARN) {
                    log.debug("{} sync {} failed (retry {}): {}", name, key, n, e.toString());
                } else {
                    log.warn("{} sync {} failed (retry {})", name, key, n, e);
                }
                queue.addRateLimited(key);
            } finally {
                queue.done(key);
            }
        }
    }

    private static boolean isConflict(Throwable e) {
        return e instanceof KubernetesClientException k && (k.getCode() == 409 || k.getCode() == 404);
    }

    @Override
    public void close() {
        queue.close();
        synchronized (this) {
            workers.forEach(Thread::interrupt);
        }
    }
}
