package io.jk8s.apiserver.auth.rbac;

import io.jk8s.apiserver.auth.RequestAttributes;

import java.util.List;

/**
 * Whether one rule allows one request, with upstream's matching rules: {@code *} matches every verb,
 * group, resource or URL; a resource rule entry {@code pods/log} matches that subresource and
 * {@code *}{@code /scale} the scale subresource of any resource; resourceNames (when present) require a
 * named request; a non-resource URL ending in {@code *} matches by prefix.
 */
public final class RuleMatcher {

    private RuleMatcher() {
    }

    public static boolean allows(PolicyRule rule, RequestAttributes a) {
        if (!verbMatches(rule, a.verb())) return false;
        if (!a.isResourceRequest()) return urlMatches(rule.nonResourceURLs(), a.path());
        return groupMatches(rule, a.group())
                && resourceMatches(rule, a.resource(), a.subresource())
                && nameMatches(rule, a.name());
    }

    static boolean verbMatches(PolicyRule rule, String verb) {
        return contains(rule.verbs(), verb);
    }

    static boolean groupMatches(PolicyRule rule, String group) {
        return contains(rule.apiGroups(), group == null ? "" : group);
    }

    static boolean resourceMatches(PolicyRule rule, String resource, String subresource) {
        boolean hasSub = subresource != null && !subresource.isEmpty();
        String combined = hasSub ? resource + "/" + subresource : resource;
        for (String r : rule.resources()) {
            if (r.equals(PolicyRule.ALL) || r.equals(combined)) return true;
            if (hasSub && r.equals("*/" + subresource)) return true;
        }
        return false;
    }

    static boolean nameMatches(PolicyRule rule, String name) {
        if (rule.resourceNames().isEmpty()) return true;
        return name != null && rule.resourceNames().contains(name);
    }

    static boolean urlMatches(List<String> ruleUrls, String path) {
        for (String u : ruleUrls) {
            if (u.equals(PolicyRule.ALL) || u.equals(path)) return true;
            if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) return true;
        }
        return false;
    }

    private static boolean contains(List<String> values, String wanted) {
        for (String v : values) {
            if (v.equals(PolicyRule.ALL) || v.equals(wanted)) return true;
        }
        return false;
    }
}
