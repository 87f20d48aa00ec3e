package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** Deep copies, because objects in informer caches are shared and must never be mutated. */
public final class Copies {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Copies() {
    }

    public static <T> T deepCopy(T obj) {
        return obj == null ? null : SERIALIZATION.clone(obj);
    }
}
