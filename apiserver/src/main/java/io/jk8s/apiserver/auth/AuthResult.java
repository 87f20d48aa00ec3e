package io.jk8s.apiserver.auth;

/** Outcome of one authenticator on one request. */
public sealed interface AuthResult {

    /** The credentials are valid and belong to {@code user}. */
    record Authenticated(UserInfo user) implements AuthResult {}

    /** The request carries no credentials this authenticator understands: ask the next one. */
    record NotApplicable() implements AuthResult {}

    /** The request carries credentials of this kind, and they are not valid: 401. */
    record Rejected(String reason) implements AuthResult {}

    AuthResult NOT_APPLICABLE = new NotApplicable();
}
