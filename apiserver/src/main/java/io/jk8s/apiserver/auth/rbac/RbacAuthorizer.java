package io.jk8s.apiserver.auth.rbac;

import io.jk8s.apiserver.auth.Authorizer;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;

import java.util.Optional;

/**
 * RBAC as upstream's authorizer chain sees it: members of {@code system:masters} are always allowed
 * (the privileged-group shortcut that upstream puts in front of every authorizer); everyone else
 * needs a binding whose role has a matching rule. A denial has no extra reason, so the 403 message
 * is exactly upstream's.
 */
public final class RbacAuthorizer implements Authorizer {

    private final PolicySource policy;

    public RbacAuthorizer(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public Optional<String> deny(UserInfo user, RequestAttributes request) {
        return decide(user, request).allowed() ? Optional.empty() : Optional.of("");
    }

    /** The decision with upstream's reason text (used by the access reviews). */
    public Decision decide(UserInfo user, RequestAttributes request) {
        if (user.isMaster()) return new Decision(true, "");
        return policy.current().allows(user, request)
                .map(g -> new Decision(true, g.reason()))
                .orElseGet(() -> new Decision(false, ""));
    }

    public PolicySource policy() {
        return policy;
    }

    public record Decision(boolean allowed, String reason) {}
}
