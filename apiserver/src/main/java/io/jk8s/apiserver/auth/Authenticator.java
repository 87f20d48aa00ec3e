package io.jk8s.apiserver.auth;

import io.jk8s.apiserver.http.ApiRequest;

/**
 * Recognises the caller of a request from its credentials (client certificate, bearer token ...).
 *
 * <p>Called by the API server for every request, on a virtual thread, before authorization; must be
 * thread-safe and may block briefly (e.g. to look a token up). Returns
 * {@link AuthResult.NotApplicable} when the request has no credentials of its kind, so that
 * authenticators can be chained: the first non-NotApplicable answer wins.
 */
@FunctionalInterface
public interface Authenticator {
    AuthResult authenticate(ApiRequest request);
}
