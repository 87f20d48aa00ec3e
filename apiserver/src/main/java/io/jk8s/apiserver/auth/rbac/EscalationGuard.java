package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.auth.WriteGuard;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Upstream's privilege-escalation prevention on RBAC writes: a Role or ClusterRole may only grant
 * what the writer already holds (in that namespace, or cluster-wide), unless the writer may
 * {@code escalate} it; a binding may only reference a role whose rules the writer holds, unless the
 * writer may {@code bind} it. {@code system:masters} is exempt, as upstream.
 */
public final class EscalationGuard implements WriteGuard {

    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.resource(List.of("*"), List.of("*"), List.of("*"), List.of()),
            PolicyRule.nonResource(List.of("*"), List.of("*")));

    private final RbacAuthorizer authorizer;

    public EscalationGuard(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void check(UserInfo user, ResourceType type, String namespace, ObjectNode next) {
        if (!type.group().equals(BootstrapPolicy.GROUP) || user.isMaster()) return;
        String name = next.path("metadata").path("name").asText();
        switch (type.plural()) {
            case "roles", "clusterroles" -> checkRole(user, type, namespace, name, next);
            case "rolebindings", "clusterrolebindings" -> checkBinding(user, type, namespace, name, next);
            default -> { }
        }
    }

    private void checkRole(UserInfo user, ResourceType type, String namespace, String name, ObjectNode role) {
        if (allowed(user, "escalate", type.plural(), namespace, name)) return;
        JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
        if (selectors.isArray() && !selectors.isEmpty()) {
            // An aggregation rule can pull in any rule, so upstream demands full authority for it.
            confirmNoEscalation(user, type, namespace, name, FULL_AUTHORITY);
            return;
        }
        confirmNoEscalation(user, type, namespace, name, PolicyRule.listOf(role.get("rules")));
    }

    private void checkBinding(UserInfo user, ResourceType type, String namespace, String name, ObjectNode binding) {
        JsonNode ref = binding.path("roleRef");
        String roleKind = ref.path("kind").asText();
        String roleName = ref.path("name").asText();
        String roleResource = roleKind.equals("Role") ? "roles" : "clusterroles";
        // As upstream: "bind" is asked in the binding's namespace, whichever kind of role it references.
        if (allowed(user, "bind", roleResource, namespace, roleName)) return;
        PolicySnapshot policy = authorizer.policy().current();
        confirmNoEscalation(user, type, namespace, name, policy.roleRules(roleKind, namespace, roleName));
    }

    private boolean allowed(UserInfo user, String verb, String resource, String namespace, String name) {
        RequestAttributes a = new RequestAttributes(verb, BootstrapPolicy.GROUP, resource, null, namespace, name, null);
        return authorizer.decide(user, a).allowed();
    }

    private void confirmNoEscalation(UserInfo user, ResourceType type, String namespace, String name, List<PolicyRule> wanted) {
        List<PolicyRule> held = authorizer.policy().current().rulesFor(user, namespace);
        List<PolicyRule> missing = Covers.uncovered(held, wanted);
        if (missing.isEmpty()) return;
        String groups = user.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(" ", "[", "]"));
        String rules = missing.stream().map(PolicyRule::compact).collect(Collectors.joining("\n"));
        String message = type.groupResource() + " \"" + name + "\" is forbidden: user \"" + user.name() + "\" (groups=" + groups
                + ") is attempting to grant RBAC permissions not currently held:\n" + rules;
        throw new ApiException(403, "Forbidden", message, type.group(), type.plural(), name, List.of(), null);
    }
}
