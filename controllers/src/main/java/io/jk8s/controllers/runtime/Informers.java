package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One shared list+watch informer per kind for all controllers of a manager, each indexed by
 * namespace and by controller owner UID.
 *
 * <p>Contract: controllers obtain informers and add handlers in {@link Controller#register};
 * {@link #start()} then starts them all and completes when every cache has synced. Objects
 * returned are shared: never mutate them.
 */
public final class Informers implements AutoCloseable {

    /** Index of objects by the UID of their controller owner reference. */
    public static final String BY_CONTROLLER_UID = "controller-uid";

    private final KubernetesClient client;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private boolean started;

    public Informers(KubernetesClient client) {
        this.client = client;
    }

    /** The informer for {@code type} (all namespaces), created on first use. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(type, k -> {
            SharedIndexInformer<T> inf = client.resources(type).inAnyNamespace().runnableInformer(0);
            inf.addIndexers(Map.of(BY_CONTROLLER_UID, Informers::controllerUid));
            // Keep retrying a failed first list (as client-go's reflectors do) instead of giving up:
            // on a loaded machine a list can time out while many informers start at once.
            inf.exceptionHandler((isStarted, t) -> !ExceptionHandler.isDeserializationException(t));
            if (started) inf.start();
            return inf;
        });
    }

    private static List<String> controllerUid(HasMetadata obj) {
        OwnerReference ref = Owners.controllerOf(obj);
        return ref == null ? List.of() : List.of(ref.getUid());
    }

    /** Objects of {@code type} in {@code namespace}, from the cache. */
    public <T extends HasMetadata> List<T> inNamespace(Class<T> type, String namespace) {
        return of(type).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    /** Objects of {@code type} whose controller is {@code ownerUid}, from the cache. */
    public <T extends HasMetadata> List<T> controlledBy(Class<T> type, String ownerUid) {
        return of(type).getIndexer().byIndex(BY_CONTROLLER_UID, ownerUid);
    }

    /** The cached object with this key, or null. */
    public <T extends HasMetadata> T get(Class<T> type, String key) {
        return of(type).getIndexer().getByKey(key);
    }

    /** Adds a handler whose three callbacks all receive the (old or new) object. */
    public <T extends HasMetadata> void onAny(Class<T> type, Consumer<T> handler) {
        on(type, handler, (o, n) -> handler.accept(n), handler);
    }

    /** Adds {@code handler} to the informer for {@code type} (see {@link OwnerEvents} for the common ones). */
    public <T extends HasMetadata> void on(Class<T> type, ResourceEventHandler<T> handler) {
        of(type).addEventHandler(handler);
    }

    public <T extends HasMetadata> void on(Class<T> type, Consumer<T> added, BiConsumer<T, T> updated, Consumer<T> deleted) {
        on(type, new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                added.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                updated.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                deleted.accept(obj);
            }
        });
    }

    /** Starts every informer; completes when all have listed once. */
    public synchronized CompletableFuture<Void> start() {
        started = true;
        List<CompletableFuture<?>> synced = new ArrayList<>();
        for (SharedIndexInformer<?> inf : informers.values()) {
            synced.add(inf.start().toCompletableFuture());
        }
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new));
    }

    @Override
    public synchronized void close() {
        informers.values().forEach(SharedIndexInformer::close);
    }
}
