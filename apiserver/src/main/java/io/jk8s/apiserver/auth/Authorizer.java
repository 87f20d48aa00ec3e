package io.jk8s.apiserver.auth;

/**
 * Decides whether an authenticated user may perform a request (RBAC comes later).
 *
 * <p>Called for every authenticated request to a non-public path, on a virtual thread; must be
 * thread-safe. Returns a reason when denied (used in the 403 message), empty when allowed.
 */
@FunctionalInterface
public interface Authorizer {

    /** {@code Optional.empty()} = allowed; otherwise the reason for the 403. */
    java.util.Optional<String> deny(UserInfo user, RequestAttributes request);

    /** Every authenticated user may do anything (the default until RBAC exists). */
    static Authorizer allowAuthenticated() {
        return (user, request) -> java.util.Optional.empty();
    }
}
