package io.jk8s.apiserver.auth;

import io.jk8s.apiserver.http.ApiRequest;

import java.util.Optional;
import java.util.function.Function;

/**
 * {@code Authorization: Bearer <token>} looked up by a function (a static token file, bootstrap
 * tokens in Secrets, service-account tokens ...). A bearer token that the lookup does not know is
 * rejected (401), as upstream does; requests without one go to the next authenticator.
 */
public final class BearerTokenAuthenticator implements Authenticator {

    private final Function<String, Optional<UserInfo>> lookup;

    /** @param lookup thread-safe; empty when the token is unknown or expired */
    public BearerTokenAuthenticator(Function<String, Optional<UserInfo>> lookup) {
        this.lookup = lookup;
    }

    @Override
    public AuthResult authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return AuthResult.NOT_APPLICABLE;
        }
        String token = header.substring(7).trim();
        if (token.isEmpty()) {
            return new AuthResult.Rejected("empty bearer token");
        }
        return lookup.apply(token).<AuthResult>map(AuthResult.Authenticated::new)
                .orElseGet(() -> new AuthResult.Rejected("invalid bearer token"));
    }
}
