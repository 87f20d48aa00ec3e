package io.jk8s.api.patch;

import java.util.Set;

/** Position without type information: everything below merges like a JSON merge patch. */
enum NoPatchMeta implements PatchMeta {
    INSTANCE;

    @Override
    public Kind kind() {
        return Kind.UNKNOWN;
    }

    @Override
    public PatchMeta field(String name) {
        return this;
    }

    @Override
    public PatchMeta elements() {
        return this;
    }

    @Override
    public String mergeKey() {
        return null;
    }

    @Override
    public Set<String> strategies() {
        return Set.of();
    }
}
