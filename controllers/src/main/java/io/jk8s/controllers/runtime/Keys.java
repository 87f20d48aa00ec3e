package io.jk8s.controllers.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** {@code namespace/name} keys (just {@code name} for cluster-scoped objects), as client-go's MetaNamespaceKeyFunc. */
public final class Keys {

    private Keys() {
    }

    public static String of(HasMetadata obj) {
        return of(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    public static String of(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    public static String namespace(String key) {
        int i = key.indexOf('/');
        return i < 0 ? null : key.substring(0, i);
    }

    public static String name(String key) {
        int i = key.indexOf('/');
        return i < 0 ? key : key.substring(i + 1);
    }
}
