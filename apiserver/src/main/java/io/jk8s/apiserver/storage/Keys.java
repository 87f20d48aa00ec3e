package io.jk8s.apiserver.storage;

import io.jk8s.api.ResourceType;

/** Store keys, as upstream lays out etcd: {@code /registry/<group-resource>/[<namespace>/]<name>}. */
public final class Keys {

    public static final String ROOT = "/registry/";

    private Keys() {}

    public static String typePrefix(ResourceType t) {
        return ROOT + t.groupResource() + "/";
    }

    /** Prefix of the objects in one namespace, or of all objects when {@code namespace} is null. */
    public static String prefix(ResourceType t, String namespace) {
        return t.namespaced() && namespace != null ? typePrefix(t) + namespace + "/" : typePrefix(t);
    }

    public static String key(ResourceType t, String namespace, String name) {
        return t.namespaced() ? typePrefix(t) + namespace + "/" + name : typePrefix(t) + name;
    }

    /** The group-resource segment of a key, or null if the key is not under {@link #ROOT}. */
    public static String groupResourceOf(String key) {
        if (!key.startsWith(ROOT)) return null;
        int end = key.indexOf('/', ROOT.length());
        return end < 0 ? null : key.substring(ROOT.length(), end);
    }
}
