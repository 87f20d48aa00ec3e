package io.jk8s.apiserver.auth.rbac;

import io.jk8s.apiserver.auth.RequestAttributes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Upstream's matching rules, one row per corner case. */
class RuleMatcherTest {

    static PolicyRule rule(String verbs, String groups, String resources, String names) {
        return PolicyRule.resource(words(verbs), words(groups).stream().map(g -> g.equals("core") ? "" : g).toList(),
                words(resources), words(names));
    }

    static PolicyRule urls(String verbs, String urls) {
        return PolicyRule.nonResource(words(verbs), words(urls));
    }

    static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    static RequestAttributes req(String verb, String group, String resource, String sub, String ns, String name) {
        return new RequestAttributes(verb, group, resource, sub, ns, name, null);
    }

    static RequestAttributes path(String verb, String path) {
        return new RequestAttributes(verb, null, null, null, null, null, path);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("exact verb, group, resource", rule("list", "core", "pods", ""), req("list", "", "pods", null, "default", null), true),
                arguments("other verb", rule("get", "core", "pods", ""), req("list", "", "pods", null, "default", null), false),
                arguments("verb *", rule("*", "core", "pods", ""), req("deletecollection", "", "pods", null, "default", null), true),
                arguments("other group", rule("get", "apps", "pods", ""), req("get", "", "pods", null, "default", "p"), false),
                arguments("group *", rule("get", "*", "deployments", ""), req("get", "apps", "deployments", null, "d", "web"), true),
                arguments("resource *", rule("get", "apps", "*", ""), req("get", "apps", "statefulsets", null, "d", "x"), true),
                arguments("resource * covers subresources", rule("get", "core", "*", ""), req("get", "", "pods", "log", "d", "p"), true),
                arguments("pods does not cover pods/log", rule("get", "core", "pods", ""), req("get", "", "pods", "log", "d", "p"), false),
                arguments("pods/log is that subresource", rule("get", "core", "pods/log", ""), req("get", "", "pods", "log", "d", "p"), true),
                arguments("pods/log is not pods", rule("get", "core", "pods/log", ""), req("get", "", "pods", null, "d", "p"), false),
                arguments("*/scale matches any scale", rule("update", "apps", "*/scale", ""), req("update", "apps", "deployments", "scale", "d", "w"), true),
                arguments("*/scale is not the resource", rule("update", "apps", "*/scale", ""), req("update", "apps", "deployments", null, "d", "w"), false),
                arguments("*/scale is not status", rule("update", "apps", "*/scale", ""), req("update", "apps", "deployments", "status", "d", "w"), false),
                arguments("resourceNames: that name", rule("get", "core", "configmaps", "cluster-info"), req("get", "", "configmaps", null, "kube-public", "cluster-info"), true),
                arguments("resourceNames: another name", rule("get", "core", "configmaps", "cluster-info"), req("get", "", "configmaps", null, "kube-public", "other"), false),
                arguments("resourceNames: a list has no name", rule("list", "core", "configmaps", "cluster-info"), req("list", "", "configmaps", null, "kube-public", null), false),
                arguments("url exact", urls("get", "/version"), path("get", "/version"), true),
                arguments("url exact is not a prefix", urls("get", "/api"), path("get", "/api/v1"), false),
                arguments("url * suffix is a prefix", urls("get", "/apis/*"), path("get", "/apis/apps/v1"), true),
                arguments("url *", urls("*", "*"), path("post", "/anything"), true),
                arguments("url rule does not match resources", urls("*", "*"), req("get", "", "pods", null, "d", "p"), false),
                arguments("resource rule does not match urls", rule("*", "*", "*", ""), path("get", "/healthz"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void matchesAsUpstream(String name, PolicyRule rule, RequestAttributes request, boolean allowed) {
        assertThat(RuleMatcher.allows(rule, request)).isEqualTo(allowed);
    }
}
