package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Cost of one RBAC decision and of rebuilding the policy snapshot, with the bootstrap policy plus
 * {@code namespaces} namespaces × 3 RoleBindings and 50 extra ClusterRoleBindings. Not a test: run with
 * {@code java -cp <test classpath> io.jk8s.apiserver.auth.rbac.RbacAuthorizerBench [namespaces]}.
 */
public final class RbacAuthorizerBench {

    public static void main(String[] args) {
        int namespaces = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<JsonNode> clusterRoles = new ArrayList<>();
        List<JsonNode> roles = new ArrayList<>();
        List<JsonNode> clusterBindings = new ArrayList<>();
        List<JsonNode> bindings = new ArrayList<>();
        for (BootstrapPolicy.Item i : BootstrapPolicy.items()) {
            switch (i.resource()) {
                case "clusterroles" -> clusterRoles.add(i.object());
                case "roles" -> roles.add(i.object());
                case "clusterrolebindings" -> clusterBindings.add(i.object());
                default -> bindings.add(i.object());
            }
        }
        for (int u = 0; u < 50; u++) {
            clusterBindings.add(BootstrapPolicy.binding("ClusterRoleBinding", null, "extra-" + u, "ClusterRole", "view",
                    BootstrapPolicy.subject("User", "user-" + u)));
        }
        for (int n = 0; n < namespaces; n++) {
            String ns = "ns-" + n;
            roles.add(BootstrapPolicy.role(ns, "cm", BootstrapPolicy.rule("get list", "core", "configmaps")));
            bindings.add(BootstrapPolicy.binding("RoleBinding", ns, "view", "ClusterRole", "view", BootstrapPolicy.subject("User", "dev-" + n)));
            bindings.add(BootstrapPolicy.binding("RoleBinding", ns, "edit", "ClusterRole", "edit", BootstrapPolicy.subject("Group", "team-" + n)));
            bindings.add(BootstrapPolicy.binding("RoleBinding", ns, "cm", "Role", "cm", BootstrapPolicy.subject("User", "bob")));
        }
        Supplier<PolicySnapshot> build = () -> new PolicySnapshot(clusterRoles, roles, clusterBindings, bindings);
        PolicySnapshot snapshot = build.get();
        RbacAuthorizer authz = new RbacAuthorizer(() -> snapshot);
        System.out.printf("policy: %d ClusterRoles, %d Roles, %d ClusterRoleBindings, %d RoleBindings%n",
                clusterRoles.size(), roles.size(), clusterBindings.size(), bindings.size());

        UserInfo bob = new UserInfo("bob", List.of("system:authenticated"));
        UserInfo dev = new UserInfo("dev-7", List.of("team-7", "system:authenticated"));
        UserInfo node = new UserInfo("system:node:n1", List.of("system:nodes", "system:authenticated"));
        UserInfo admin = new UserInfo("kubernetes-admin", List.of("system:masters", "system:authenticated"));
        time("masters shortcut", () -> authz.decide(admin, attrs("list", "pods", "ns-3")).allowed());
        time("allowed by ClusterRoleBinding (node lists pods)", () -> authz.decide(node, attrs("list", "pods", null)).allowed());
        time("allowed by RoleBinding to aggregated edit", () -> authz.decide(dev, attrs("delete", "pods", "ns-7")).allowed());
        time("allowed by RoleBinding to a Role", () -> authz.decide(bob, attrs("get", "configmaps", "ns-100")).allowed());
        time("denied (walks every binding that applies)", () -> !authz.decide(bob, attrs("delete", "secrets", "ns-100")).allowed());
        long t = System.nanoTime();
        int rebuilds = 200;
        for (int i = 0; i < rebuilds; i++) {
            if (build.get() == null) throw new IllegalStateException();
        }
        System.out.printf("snapshot rebuild after an RBAC change: %.2f ms%n", (System.nanoTime() - t) / 1e6 / rebuilds);
    }

    private static RequestAttributes attrs(String verb, String resource, String ns) {
        return new RequestAttributes(verb, "", resource, null, ns, null, null);
    }

    private static void time(String what, java.util.function.BooleanSupplier decision) {
        int n = 2_000_000;
        for (int i = 0; i < n / 4; i++) {
            if (!decision.getAsBoolean()) throw new IllegalStateException(what);
        }
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!decision.getAsBoolean()) throw new IllegalStateException(what);
        }
        System.out.printf("%-50s %8.0f ns/decision%n", what, (System.nanoTime() - t) / (double) n);
    }

}
