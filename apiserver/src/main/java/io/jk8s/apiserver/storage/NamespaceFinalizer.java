package io.jk8s.apiserver.storage;

import io.jk8s.api.ResourceType;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;
import io.jk8s.store.KeyValue;
import io.jk8s.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stand-in for the namespace controller until the controller manager exists: empties a
 * Terminating namespace (deleting its objects with default options) and removes it when nothing
 * is left. Objects that wait for a kubelet or a finalizer keep the namespace until they go.
 */
public final class NamespaceFinalizer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NamespaceFinalizer.class);
    private static final long RECHECK_MS = 1_000;

    private final Store store;
    private final ResourceStorage storage;
    private final Map<String, KindStrategy> namespacedByGroupResource = new LinkedHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public NamespaceFinalizer(Store store, ResourceStorage storage, ResourceRegistry registry) {
        this.store = store;
        this.storage = storage;
        for (KindStrategy s : registry.all()) {
            if (s.type().namespaced()) namespacedByGroupResource.putIfAbsent(s.type().groupResource(), s);
        }
    }

    /** Starts emptying {@code namespace} in the background (idempotent). */
    public void finalizeLater(String namespace) {
        if (closed || !running.add(namespace)) return;
        Thread.ofVirtual().name("namespace-finalizer " + namespace).start(() -> {
            try {
                while (!closed && !emptyAndRemove(namespace)) {
                    Thread.sleep(RECHECK_MS); // background reconcile loop, not a test synchronisation
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("finalizing namespace {} failed", namespace, e);
            } finally {
                running.remove(namespace);
            }
        });
    }

    /** True when the namespace is gone. */
    private boolean emptyAndRemove(String namespace) {
        for (KindStrategy s : namespacedByGroupResource.values()) {
            ResourceType t = s.type();
            for (KeyValue kv : store.range(Keys.prefix(t, namespace), null, 0, 0).kvs()) {
                String name = kv.key().substring(kv.key().lastIndexOf('/') + 1);
                try {
                    storage.delete(s, namespace, name, DeleteOptions.DEFAULT);
                } catch (RuntimeException e) {
                    log.debug("deleting {} during namespace cleanup: {}", kv.key(), e.toString());
                }
            }
        }
        for (KindStrategy s : namespacedByGroupResource.values()) {
            if (!store.range(Keys.prefix(s.type(), namespace), null, 1, 0).kvs().isEmpty()) return false;
        }
        String key = "/registry/namespaces/" + namespace;
        store.get(key).ifPresent(kv -> store.delete(key, kv.modRevision()));
        return store.get(key).isEmpty();
    }

    @Override
    public void close() {
        closed = true;
    }
}
