package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.UserInfo;
import io.jk8s.registry.BuiltinRegistry;
import io.jk8s.registry.ResourceRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jk8s.apiserver.auth.rbac.PolicySnapshotTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Upstream's escalation rules: hold what you grant, or hold escalate (roles) / bind (bindings). */
class EscalationGuardTest {

    static final ResourceRegistry REGISTRY = BuiltinRegistry.create();
    static final UserInfo LEAD = new UserInfo("lead", List.of("system:authenticated"));
    static final UserInfo BINDER = new UserInfo("binder", List.of("system:authenticated"));
    static final UserInfo ESCALATOR = new UserInfo("escalator", List.of("system:authenticated"));

    final List<JsonNode> clusterRoles = List.of(
            json("{metadata: {name: pods-rw}, rules: [{verbs: [get, list, create, delete], apiGroups: [''], resources: [pods]},"
                    + " {verbs: [get, list, create, update], apiGroups: [rbac.authorization.k8s.io], resources: [roles, rolebindings]}]}"),
            json("{metadata: {name: secrets-admin}, rules: [{verbs: ['*'], apiGroups: [''], resources: [secrets]}]}"),
            json("{metadata: {name: may-bind-secrets-admin}, rules: [{verbs: [bind], apiGroups: [rbac.authorization.k8s.io],"
                    + " resources: [clusterroles], resourceNames: [secrets-admin]}, {verbs: [create], apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings]}]}"),
            json("{metadata: {name: may-escalate}, rules: [{verbs: [escalate, create], apiGroups: [rbac.authorization.k8s.io], resources: [roles]}]}"));
    final List<JsonNode> bindings = List.of(
            json("{metadata: {name: a, namespace: t}, roleRef: {kind: ClusterRole, name: pods-rw}, subjects: [{kind: User, name: lead}]}"),
            json("{metadata: {name: b, namespace: t}, roleRef: {kind: ClusterRole, name: may-bind-secrets-admin}, subjects: [{kind: User, name: binder}]}"),
            json("{metadata: {name: c, namespace: t}, roleRef: {kind: ClusterRole, name: may-escalate}, subjects: [{kind: User, name: escalator}]}"));
    final PolicySnapshot policy = new PolicySnapshot(clusterRoles, List.of(), List.of(), bindings);
    final EscalationGuard guard = new EscalationGuard(new RbacAuthorizer(() -> policy));

    static ResourceType type(String plural) {
        return REGISTRY.byResource("rbac.authorization.k8s.io", "v1", plural).orElseThrow().type();
    }

    static ObjectNode role(String rules) {
        return (ObjectNode) json("{metadata: {name: r, namespace: t}, rules: " + rules + "}");
    }

    static ObjectNode bindingTo(String kind, String name) {
        return (ObjectNode) json("{metadata: {name: x, namespace: t}, roleRef: {kind: " + kind + ", name: " + name + "}, subjects: [{kind: User, name: someone}]}");
    }

    @Test
    void aRoleMayGrantWhatTheWriterHoldsInThatNamespace() {
        assertThatCode(() -> guard.check(LEAD, type("roles"), "t", role("[{verbs: [get, delete], apiGroups: [''], resources: [pods]}]")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(LEAD, type("roles"), "other", role("[{verbs: [get], apiGroups: [''], resources: [pods]}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("not currently held");
        assertThatThrownBy(() -> guard.check(LEAD, type("roles"), "t", role("[{verbs: [watch], apiGroups: [''], resources: [pods]}]")))
                .hasMessageContaining("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"watch\"]}");
    }

    @Test
    void theEscalateVerbAllowsAnyRole() {
        assertThatCode(() -> guard.check(ESCALATOR, type("roles"), "t", role("[{verbs: ['*'], apiGroups: ['*'], resources: ['*']}]")))
                .doesNotThrowAnyException();
    }

    @Test
    void theBindVerbAllowsBindingThatRoleOnly() {
        assertThatCode(() -> guard.check(BINDER, type("rolebindings"), "t", bindingTo("ClusterRole", "secrets-admin")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> guard.check(BINDER, type("rolebindings"), "t", bindingTo("ClusterRole", "pods-rw")))
                .hasMessageContaining("rolebindings.rbac.authorization.k8s.io \"x\" is forbidden");
        assertThatThrownBy(() -> guard.check(LEAD, type("rolebindings"), "t", bindingTo("ClusterRole", "secrets-admin")))
                .isInstanceOf(ApiException.class);
        assertThatCode(() -> guard.check(LEAD, type("rolebindings"), "t", bindingTo("ClusterRole", "pods-rw"))).doesNotThrowAnyException();
    }

    @Test
    void anAggregationRuleNeedsFullAuthorityAndMastersAreExempt() {
        ObjectNode aggregated = (ObjectNode) json("{metadata: {name: agg}, aggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}}");
        assertThatThrownBy(() -> guard.check(LEAD, type("clusterroles"), null, aggregated)).isInstanceOf(ApiException.class);
        UserInfo master = new UserInfo("root", List.of("system:masters"));
        assertThatCode(() -> guard.check(master, type("clusterroles"), null, aggregated)).doesNotThrowAnyException();
        try {
            guard.check(LEAD, type("clusterroles"), null, aggregated);
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(403);
        }
    }
}
