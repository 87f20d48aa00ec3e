package io.jk8s.proxy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * kube-proxy: watches Services and EndpointSlices and keeps the node's rules in step through a {@link ProxyBackend}
 * (iptables or nftables, {@link ProxyMode}).
 *
 * <p>Event handlers only mark the state dirty; one sync thread resolves the informer caches into service ports
 * ({@link ServicePorts}) and hands them to the backend, at most once per {@link ProxyConfig#minSyncInterval()}
 * (debounce), and again every {@link ProxyConfig#resyncInterval()} (a verifying sync that heals rules changed
 * behind our back). A failed sync is retried after a second and makes the backend rewrite everything.
 * After each sync, UDP conntrack entries to removed endpoints are deleted ({@link UdpFlushes}).
 * {@link #close()} removes every rule, chain and table the backend owns.
 */
public final class ServiceProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProxy.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    /** How often a backend rewrites all its rules even without changes (a safety net for lost state). */
    public static final Duration FULL_REWRITE_INTERVAL = Duration.ofHours(1);

    private final KubernetesClient client;
    private final ProxyConfig cfg;
    private final ProxyBackend backend;
    private final Conntrack conntrack;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean dirty = true;
    private boolean closed;

    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> slices;
    private Thread syncThread;
    private volatile long syncCount;
    // Sync-thread state: the service ports as last applied (for the UDP conntrack cleanup).
    private Map<String, ServicePortInfo> applied = Map.of();

    /** In the iptables mode (the mode of the existing callers). */
    public ServiceProxy(KubernetesClient client, ProxyConfig cfg) {
        this(client, cfg, ProxyMode.IPTABLES);
    }

    public ServiceProxy(KubernetesClient client, ProxyConfig cfg, ProxyMode mode) {
        this(client, cfg, mode.backend(cfg), new CommandConntrack(cfg.netns()));
    }

    /** With another {@link Iptables} and no conntrack cleanup (tests). */
    public ServiceProxy(KubernetesClient client, ProxyConfig cfg, Iptables iptables) {
        this(client, cfg, iptables, Conntrack.NONE);
    }

    public ServiceProxy(KubernetesClient client, ProxyConfig cfg, Iptables iptables, Conntrack conntrack) {
        this(client, cfg, new IptablesBackend(iptables, new RuleBuilder(cfg)), conntrack);
    }

    public ServiceProxy(KubernetesClient client, ProxyConfig cfg, ProxyBackend backend, Conntrack conntrack) {
        this.client = client;
        this.cfg = cfg;
        this.backend = backend;
        this.conntrack = conntrack;
    }

    /** Starts the informers and the sync loop; completes once the caches are synced and the first rules applied. */
    public CompletableFuture<Void> start() {
        services = client.services().inAnyNamespace().runnableInformer(0);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        services.addEventHandler(new DirtyOnChange<>());
        slices.addEventHandler(new DirtyOnChange<>());
        CompletableFuture<Void> synced = CompletableFuture.allOf(
                services.start().toCompletableFuture(), slices.start().toCompletableFuture());
        synced.whenComplete((ok, error) -> {
            if (error != null) {
                firstSync.completeExceptionally(error);
                return;
            }
            lock.lock();
            try {
                // close() may have run while the caches were syncing; then there is nothing to start.
                if (!closed) {
                    syncThread = Thread.ofPlatform().daemon().name("jk8s-proxy-sync").start(this::syncLoop);
                }
            } finally {
                lock.unlock();
            }
        });
        return firstSync;
    }

    /** Number of successful syncs so far (for tests and metrics). */
    public long syncCount() {
        return syncCount;
    }

    /** Asks for a sync soon (subject to the debounce). */
    public void requestSync() {
        lock.lock();
        try {
            dirty = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void syncLoop() {
        // nanoTime has an arbitrary origin: start "one interval ago" so that the first sync runs at once.
        long lastSync = System.nanoTime() - cfg.minSyncInterval().toNanos();
        long lastFull = System.nanoTime() - cfg.resyncInterval().toNanos();
        while (true) {
            boolean full;
            lock.lock();
            try {
                long resyncAt = lastFull + cfg.resyncInterval().toNanos();
                while (!closed && !dirty && System.nanoTime() < resyncAt) {
                    changed.awaitNanos(Math.max(1, resyncAt - System.nanoTime()));
                }
                if (closed) {
                    return;
                }
                full = !dirty || syncCount == 0;
                dirty = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            // Debounce: changes that arrive while we wait are folded into this sync.
            long wait = lastSync + cfg.minSyncInterval().toNanos() - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                lock.lock();
                try {
                    dirty = false;
                } finally {
                    lock.unlock();
                }
            }
            lastSync = System.nanoTime();
            try {
                sync(full);
                if (full) {
                    lastFull = lastSync;
                }
            } catch (Exception e) {
                // start() stays pending until a sync succeeds: a node without service rules is not ready.
                log.warn("proxy sync failed, retrying in {}", RETRY_AFTER_FAILURE, e);
                backend.forget(); // the kernel's state is unknown now: the next sync rewrites everything
                lock.lock();
                try {
                    dirty = true;
                    changed.await(RETRY_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void sync(boolean verify) throws Exception {
        long started = System.nanoTime();
        List<ServicePortInfo> ports = ServicePorts.resolve(services.getStore().list(), slices.getStore().list());
        Map<String, ServicePortInfo> current = new HashMap<>();
        ports.forEach(sp -> current.put(UdpFlushes.key(sp), sp));
        backend.sync(ports, verify);
        Map<String, ServicePortInfo> before = applied;
        applied = current;
        for (Conntrack.UdpFlush flush : UdpFlushes.between(before, current)) {
            conntrack.delete(flush);
        }
        syncCount++;
        firstSync.complete(null);
        log.debug("proxy synced {} service ports in {} ms", ports.size(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Stops watching and removes every jump, chain and rule the proxy owns. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (services != null) {
            services.close();
        }
        if (slices != null) {
            slices.close();
        }
        Thread thread;
        lock.lock();
        try {
            thread = syncThread;
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        firstSync.completeExceptionally(new IllegalStateException("proxy closed"));
        try {
            backend.cleanup();
        } catch (Exception e) {
            log.warn("proxy cleanup failed", e);
        }
    }

    /** Cleanup mode: removes everything jk8s programmed, whether or not this process created it. */
    public static void cleanup(Iptables iptables) throws Iptables.IptablesException {
        IptablesBackend.cleanup(iptables);
    }

    private final class DirtyOnChange<T extends HasMetadata> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            requestSync();
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            // Informer resyncs deliver identical objects; they change no rules.
            if (!java.util.Objects.equals(newObj.getMetadata().getResourceVersion(), oldObj.getMetadata().getResourceVersion())) {
                requestSync();
            }
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            requestSync();
        }
    }
}
