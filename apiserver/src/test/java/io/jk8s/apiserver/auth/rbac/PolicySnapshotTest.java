package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.apiserver.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySnapshotTest {

    static JsonNode json(String s) {
        return Json.parse(s.replace('\'', '"').getBytes(), true, false);
    }

    static final UserInfo BOB = new UserInfo("bob", List.of("system:authenticated"));
    static final UserInfo DEVS = new UserInfo("carol", List.of("devs", "system:authenticated"));
    static final UserInfo ROBOT = new UserInfo("system:serviceaccount:ci:robot",
            List.of("system:serviceaccounts", "system:serviceaccounts:ci", "system:authenticated"));

    static RequestAttributes list(String resource, String ns) {
        return new RequestAttributes("list", "", resource, null, ns, null, null);
    }

    final List<JsonNode> clusterRoles = List.of(
            json("{metadata: {name: view}, aggregationRule: {clusterRoleSelectors: [{matchLabels: {'agg/view': 'true'}}]}}"),
            json("{metadata: {name: edit, labels: {'agg/admin': 'true'}}, aggregationRule: {clusterRoleSelectors: [{matchLabels: {'agg/edit': 'true'}}]}}"),
            json("{metadata: {name: admin}, aggregationRule: {clusterRoleSelectors: [{matchLabels: {'agg/admin': 'true'}}]}}"),
            json("{metadata: {name: view-pods, labels: {'agg/view': 'true', 'agg/edit': 'true'}}, rules: [{verbs: [get, list], apiGroups: [''], resources: [pods]}]}"),
            json("{metadata: {name: edit-secrets, labels: {'agg/edit': 'true'}}, rules: [{verbs: ['*'], apiGroups: [''], resources: [secrets]}]}"),
            json("{metadata: {name: nodes-reader}, rules: [{verbs: [list], apiGroups: [''], resources: [nodes]}]}"));
    final List<JsonNode> roles = List.of(
            json("{metadata: {name: cm, namespace: team}, rules: [{verbs: [list], apiGroups: [''], resources: [configmaps]}]}"));
    final List<JsonNode> clusterBindings = List.of(
            json("{metadata: {name: n}, roleRef: {kind: ClusterRole, name: nodes-reader}, subjects: [{kind: Group, name: devs}]}"),
            json("{metadata: {name: sa-no-ns}, roleRef: {kind: ClusterRole, name: nodes-reader}, subjects: [{kind: ServiceAccount, name: robot}]}"));
    final List<JsonNode> bindings = List.of(
            json("{metadata: {name: b, namespace: team}, roleRef: {kind: ClusterRole, name: view}, subjects: [{kind: User, name: bob}]}"),
            json("{metadata: {name: r, namespace: team}, roleRef: {kind: Role, name: cm}, subjects: [{kind: ServiceAccount, name: robot, namespace: ci}]}"),
            json("{metadata: {name: sa, namespace: ci}, roleRef: {kind: ClusterRole, name: edit}, subjects: [{kind: ServiceAccount, name: robot}]}"),
            json("{metadata: {name: dangling, namespace: team}, roleRef: {kind: Role, name: missing}, subjects: [{kind: User, name: bob}]}"));
    final PolicySnapshot policy = new PolicySnapshot(clusterRoles, roles, clusterBindings, bindings);

    @Test
    void aRoleBindingToAClusterRoleGrantsOnlyInItsNamespace() {
        assertThat(policy.allows(BOB, list("pods", "team"))).isPresent();
        assertThat(policy.allows(BOB, list("pods", "other"))).isEmpty();
        assertThat(policy.allows(BOB, list("pods", null))).isEmpty();
    }

    @Test
    void aggregatedClusterRolesUnionTheMatchingRolesTransitively() {
        assertThat(policy.clusterRole("view").orElseThrow()).extracting(r -> r.resources().get(0)).containsExactly("pods");
        assertThat(policy.clusterRole("edit").orElseThrow()).extracting(r -> r.resources().get(0)).containsExactlyInAnyOrder("pods", "secrets");
        // admin selects edit, which is itself aggregated
        assertThat(policy.clusterRole("admin").orElseThrow()).extracting(r -> r.resources().get(0)).containsExactlyInAnyOrder("pods", "secrets");
        assertThat(policy.allows(BOB, new RequestAttributes("delete", "", "secrets", null, "team", "s", null))).isEmpty();
    }

    @Test
    void groupsAndServiceAccountsAreSubjects() {
        assertThat(policy.allows(DEVS, list("nodes", null))).isPresent();
        assertThat(policy.allows(BOB, list("nodes", null))).isEmpty();
        assertThat(policy.allows(ROBOT, list("configmaps", "team"))).isPresent();
        // a ServiceAccount subject without namespace takes the RoleBinding's namespace ...
        assertThat(policy.allows(ROBOT, new RequestAttributes("delete", "", "secrets", null, "ci", "x", null))).isPresent();
        // ... and matches nobody in a ClusterRoleBinding
        assertThat(policy.allows(ROBOT, list("nodes", null))).isEmpty();
    }

    @Test
    void theGrantNamesTheBindingAsUpstreamsReason() {
        assertThat(policy.allows(DEVS, list("nodes", null)).orElseThrow().reason())
                .isEqualTo("RBAC: allowed by ClusterRoleBinding \"n\" of ClusterRole \"nodes-reader\" to Group \"devs\"");
    }

    @Test
    void aBindingToAMissingRoleGrantsNothing() {
        assertThat(policy.rulesFor(BOB, "team")).extracting(r -> r.resources().get(0)).containsExactly("pods");
    }
}
