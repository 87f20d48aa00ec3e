package io.jk8s.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.jk8s.controllers.runtime.Informers;
import io.jk8s.controllers.runtime.Keys;

import java.util.function.Consumer;

/** Enqueues a Service's key when it changes or when a pod it selects (before or after a change) changes. */
final class ServiceWatch {

    private ServiceWatch() {
    }

    static void register(Informers inf, Consumer<String> enqueue) {
        inf.onAny(Service.class, s -> enqueue.accept(Keys.of(s)));
        inf.on(Pod.class, p -> podChanged(inf, enqueue, null, p), (o, n) -> podChanged(inf, enqueue, o, n), p -> podChanged(inf, enqueue, null, p));
    }

    private static void podChanged(Informers inf, Consumer<String> enqueue, Pod old, Pod pod) {
        for (Service s : inf.inNamespace(Service.class, pod.getMetadata().getNamespace())) {
            if (ServiceBackends.selects(s, pod) || (old != null && ServiceBackends.selects(s, old))) enqueue.accept(Keys.of(s));
        }
    }
}
