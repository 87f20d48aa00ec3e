package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.auth.UserInfo;

/** A binding's subject: kind User, Group or ServiceAccount. */
public record Subject(String kind, String name, String namespace) {

    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

    static Subject fromJson(JsonNode s) {
        return new Subject(s.path("kind").asText(), s.path("name").asText(), s.path("namespace").asText(""));
    }

    /**
     * Upstream's {@code appliesTo}: a ServiceAccount subject without a namespace takes the binding's
     * namespace ({@code bindingNamespace}, "" for ClusterRoleBindings, where it then matches nobody).
     */
    public boolean appliesTo(UserInfo user, String bindingNamespace) {
        return switch (kind) {
            case "User" -> name.equals(user.name());
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" -> {
                String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                yield ns != null && !ns.isEmpty() && user.name().equals(SERVICE_ACCOUNT_PREFIX + ns + ":" + name);
            }
            default -> false;
        };
    }

    /** As upstream names it in an "allowed by" reason: {@code Group "system:masters"}, {@code ServiceAccount "ns/name"}. */
    public String describe() {
        return kind + " \"" + (kind.equals("ServiceAccount") ? namespace + "/" + name : name) + "\"";
    }
}
