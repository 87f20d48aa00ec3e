package io.jk8s.apiserver.auth;

import io.jk8s.apiserver.http.ApiRequest;

import java.util.List;

/**
 * Last in the chain on TLS: a request without credentials is {@code system:anonymous} in group
 * {@code system:unauthenticated}, as upstream's default {@code --anonymous-auth=true}, so that RBAC
 * decides what it may do. Plain-HTTP (test) requests keep their old treatment.
 */
public final class AnonymousAuthenticator implements Authenticator {

    public static final UserInfo ANONYMOUS = new UserInfo("system:anonymous", List.of(UserInfo.UNAUTHENTICATED));

    @Override
    public AuthResult authenticate(ApiRequest request) {
        return request.secure() ? new AuthResult.Authenticated(ANONYMOUS) : AuthResult.NOT_APPLICABLE;
    }
}
