package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

import java.util.function.Consumer;

/**
 * Informer event handlers that map an event to the queue key of the owner object it concerns, for
 * controllers that create objects under a controller reference (Job → Pods, CronJob → Jobs, ...).
 * A controller registers them with {@link Informers#on(Class, ResourceEventHandler)} and so states
 * only what it watches and for which owner kind.
 */
public final class OwnerEvents {

    private OwnerEvents() {
    }

    /**
     * For the owner kind itself: every event queues the object's key, and a deleted owner's
     * outstanding expectations are dropped (a new object of that name starts afresh).
     */
    public static <O extends HasMetadata> ResourceEventHandler<O> owner(Expectations expectations, Consumer<String> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(O obj) {
                enqueue.accept(Keys.of(obj));
            }

            @Override
            public void onUpdate(O oldObj, O newObj) {
                enqueue.accept(Keys.of(newObj));
            }

            @Override
            public void onDelete(O obj, boolean deletedFinalStateUnknown) {
                String key = Keys.of(obj);
                expectations.forget(key);
                enqueue.accept(key);
            }
        };
    }

    /** Every event of an object controlled by an {@code ownerKind} object queues that owner's key. */
    public static <T extends HasMetadata> ResourceEventHandler<T> controlled(String ownerKind, Consumer<String> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                enqueueOwner(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                enqueueOwner(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueueOwner(obj);
            }

            private void enqueueOwner(T obj) {
                String key = Owners.controllerKey(obj, ownerKind);
                if (key != null) enqueue.accept(key);
            }
        };
    }

    /**
     * As {@link #controlled(String, Consumer)}, and each creation and deletion is counted toward the
     * owner's {@link Expectations}. A graceful deletion counts when the object is marked (that is what
     * the owner waits for), so its final removal is not counted a second time.
     */
    public static <T extends HasMetadata> ResourceEventHandler<T> controlled(String ownerKind, Expectations expectations,
                                                                             Consumer<String> enqueue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                String key = Owners.controllerKey(obj, ownerKind);
                if (key == null) return;
                expectations.creationObserved(key);
                enqueue.accept(key);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                String key = Owners.controllerKey(newObj, ownerKind);
                if (key == null) return;
                if (Owners.isDeleting(newObj) && !Owners.isDeleting(oldObj)) expectations.deletionObserved(key);
                enqueue.accept(key);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                String key = Owners.controllerKey(obj, ownerKind);
                if (key == null) return;
                if (!Owners.isDeleting(obj)) expectations.deletionObserved(key);
                enqueue.accept(key);
            }
        };
    }
}
