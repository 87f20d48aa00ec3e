package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.jk8s.apiserver.auth.rbac.PolicySnapshotTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's reconcile: add what is missing, never remove what the user added. */
class PolicyReconcilerTest {

    final ObjectNode expected = (ObjectNode) json("{metadata: {name: r, labels: {a: '1'}, annotations: {"
            + "'rbac.authorization.kubernetes.io/autoupdate': 'true'}}, rules: [{verbs: [get], apiGroups: [''], resources: [pods]},"
            + " {verbs: [list], apiGroups: [''], resources: [nodes]}]}");

    @Test
    void addsMissingRulesAndLabelsKeepingTheUsersOwn() {
        ObjectNode current = (ObjectNode) json("{metadata: {name: r, labels: {mine: x}}, rules: [{verbs: [get], apiGroups: [''], resources: [pods]},"
                + " {verbs: [delete], apiGroups: [''], resources: [secrets]}]}");
        ObjectNode merged = PolicyReconciler.merged(current, expected).orElseThrow();
        assertThat(merged.at("/metadata/labels/mine").asText()).isEqualTo("x");
        assertThat(merged.at("/metadata/labels/a").asText()).isEqualTo("1");
        assertThat(PolicyRule.listOf(merged.get("rules"))).extracting(r -> r.resources().get(0)).containsExactly("pods", "secrets", "nodes");
    }

    @Test
    void nothingToDoWhenTheCurrentRulesCoverTheExpectedOnes() {
        ObjectNode current = (ObjectNode) json("{metadata: {name: r, labels: {a: '2'}, annotations: {"
                + "'rbac.authorization.kubernetes.io/autoupdate': 'true'}}, rules: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}]}");
        assertThat(PolicyReconciler.merged(current, expected)).isEmpty();
    }

    @Test
    void bindingsGainMissingSubjects() {
        ObjectNode want = (ObjectNode) json("{metadata: {name: b}, roleRef: {kind: ClusterRole, name: x}, subjects: [{kind: Group, name: g}]}");
        ObjectNode have = (ObjectNode) json("{metadata: {name: b}, roleRef: {kind: ClusterRole, name: x}, subjects: [{kind: User, name: u}]}");
        ObjectNode merged = PolicyReconciler.merged(have, want).orElseThrow();
        assertThat(merged.get("subjects")).hasSize(2);
        assertThat(PolicyReconciler.merged(merged.deepCopy(), want)).isEmpty();
    }
}
