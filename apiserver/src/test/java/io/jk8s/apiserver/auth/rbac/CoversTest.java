package io.jk8s.apiserver.auth.rbac;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static io.jk8s.apiserver.auth.rbac.RuleMatcherTest.rule;
import static io.jk8s.apiserver.auth.rbac.RuleMatcherTest.urls;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The escalation check's "owner covers servant" relation, as upstream's validation.Covers. */
class CoversTest {

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("same rule", rule("get list", "core", "pods", ""), rule("get", "core", "pods", ""), true),
                arguments("missing verb", rule("get", "core", "pods", ""), rule("get delete", "core", "pods", ""), false),
                arguments("star covers anything", rule("*", "*", "*", ""), rule("delete", "apps", "deployments/scale", "web"), true),
                arguments("star is covered only by star", rule("get list watch create", "core", "pods", ""), rule("*", "core", "pods", ""), false),
                arguments("*/scale covers deployments/scale", rule("update", "apps", "*/scale", ""), rule("update", "apps", "deployments/scale", ""), true),
                arguments("*/scale does not cover deployments", rule("update", "apps", "*/scale", ""), rule("update", "apps", "deployments", ""), false),
                arguments("names cover the same names", rule("get", "core", "configmaps", "a b"), rule("get", "core", "configmaps", "a"), true),
                arguments("names do not cover all names", rule("get", "core", "configmaps", "a"), rule("get", "core", "configmaps", ""), false),
                arguments("no names cover any name", rule("get", "core", "configmaps", ""), rule("get", "core", "configmaps", "a"), true),
                arguments("url prefix", urls("get", "/apis/*"), urls("get", "/apis/apps"), true),
                arguments("url not held", urls("get", "/api"), urls("get", "/metrics"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void coversAsUpstream(String name, PolicyRule owner, PolicyRule servant, boolean covered) {
        assertThat(Covers.uncovered(List.of(owner), List.of(servant)).isEmpty()).isEqualTo(covered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void uncoveredPiecesAreReportedOneVerbAtATime(String name, PolicyRule owner, PolicyRule servant, boolean covered) {
        List<PolicyRule> missing = Covers.uncovered(List.of(owner), List.of(servant));
        assertThat(missing).allSatisfy(m -> assertThat(m.verbs()).hasSize(1));
        assertThat(missing.isEmpty()).isEqualTo(covered);
    }
}
