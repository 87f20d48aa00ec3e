package io.jk8s.apiserver.auth.rbac;

import io.jk8s.apiserver.watch.CacheHub;
import io.jk8s.apiserver.watch.CachedObject;

import java.util.List;

/**
 * The RBAC policy read from the API server's watch cache. The indexed snapshot is rebuilt only when
 * one of the four RBAC resources changed (a per-resource change counter), so a request costs a few
 * volatile reads plus the rule walk.
 */
public final class CachedPolicySource implements PolicySource {

    static final String CLUSTER_ROLES = "clusterroles.rbac.authorization.k8s.io";
    static final String ROLES = "roles.rbac.authorization.k8s.io";
    static final String CLUSTER_BINDINGS = "clusterrolebindings.rbac.authorization.k8s.io";
    static final String BINDINGS = "rolebindings.rbac.authorization.k8s.io";

    private final CacheHub cache;
    private volatile Built built = new Built(Long.MIN_VALUE, PolicySnapshot.EMPTY);

    private record Built(long version, PolicySnapshot snapshot) {}

    public CachedPolicySource(CacheHub cache) {
        this.cache = cache;
    }

    @Override
    public PolicySnapshot current() {
        long version = version();
        Built b = built;
        if (b.version() == version) return b.snapshot();
        // Counters are read before the lists: a change racing with the rebuild leaves a newer counter,
        // so the next request rebuilds again rather than keeping a stale snapshot.
        PolicySnapshot fresh = new PolicySnapshot(objects(CLUSTER_ROLES), objects(ROLES), objects(CLUSTER_BINDINGS), objects(BINDINGS));
        built = new Built(version, fresh);
        return fresh;
    }

    /** Counters only grow, so their sum changes whenever any of them does. */
    private long version() {
        return cache.changeCount(CLUSTER_ROLES) + cache.changeCount(ROLES)
                + cache.changeCount(CLUSTER_BINDINGS) + cache.changeCount(BINDINGS);
    }

    private List<com.fasterxml.jackson.databind.node.ObjectNode> objects(String groupResource) {
        if (cache.changeCount(groupResource) < 0) return List.of();
        return cache.list(groupResource, io.jk8s.apiserver.storage.Keys.ROOT).objects().stream().map(CachedObject::object).toList();
    }
}
