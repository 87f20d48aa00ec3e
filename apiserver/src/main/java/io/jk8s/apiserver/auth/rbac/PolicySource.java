package io.jk8s.apiserver.auth.rbac;

/** Supplies the current RBAC policy; called on every request, so it must be cheap and thread-safe. */
@FunctionalInterface
public interface PolicySource {
    PolicySnapshot current();
}
