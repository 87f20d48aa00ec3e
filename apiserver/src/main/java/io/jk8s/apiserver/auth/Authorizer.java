package io.jk8s.apiserver.auth;

/**
 * Decides whether an authenticated user may perform a request.
 *
 * <p>Called for every authenticated request to a non-public path, on a virtual thread; must be
 * thread-safe. Returns a reason when denied (used in the 403 message), empty when allowed.
 */
@FunctionalInterface
public interface Authorizer {

    /** {@code Optional.empty()} = allowed; otherwise the reason for the 403. */
    java.util.Optional<String> deny(UserInfo user, RequestAttributes request);

    /**
     * Selects RBAC: the {@code ApiServer} given this value builds the RBAC authorizer over its own watch
     * cache (with the bootstrap policy, anonymous requests, access reviews and escalation checks).
     * This value itself never decides.
     */
    Authorizer RBAC = (user, request) -> {
        throw new IllegalStateException("Authorizer.RBAC only selects RBAC; the ApiServer builds it");
    };

    /** Every authenticated user may do anything (the default without RBAC). */
    static Authorizer allowAuthenticated() {
        return (user, request) -> java.util.Optional.empty();
    }
}
