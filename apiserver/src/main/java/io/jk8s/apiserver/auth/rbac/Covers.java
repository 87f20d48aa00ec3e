package io.jk8s.apiserver.auth.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's {@code validation.Covers}: whether the owner's rules grant everything the servant's
 * rules grant. Each servant rule is broken down to one verb, group, resource (and name or URL) at
 * a time; each piece must be covered by one owner rule. A {@code *} in the servant is covered only by
 * {@code *} in the owner.
 */
public final class Covers {

    private Covers() {
    }

    /** The servant rules' pieces that no owner rule covers (empty = covered). */
    public static List<PolicyRule> uncovered(List<PolicyRule> owner, List<PolicyRule> servant) {
        List<PolicyRule> missing = new ArrayList<>();
        for (PolicyRule s : servant) {
            for (PolicyRule piece : breakdown(s)) {
                if (owner.stream().noneMatch(o -> covers(o, piece))) missing.add(piece);
            }
        }
        return missing;
    }

    static List<PolicyRule> breakdown(PolicyRule rule) {
        List<PolicyRule> out = new ArrayList<>();
        for (String group : rule.apiGroups()) {
            for (String resource : rule.resources()) {
                for (String verb : rule.verbs()) {
                    if (rule.resourceNames().isEmpty()) {
                        out.add(PolicyRule.resource(List.of(verb), List.of(group), List.of(resource), List.of()));
                    } else {
                        for (String name : rule.resourceNames()) {
                            out.add(PolicyRule.resource(List.of(verb), List.of(group), List.of(resource), List.of(name)));
                        }
                    }
                }
            }
        }
        for (String url : rule.nonResourceURLs()) {
            for (String verb : rule.verbs()) out.add(PolicyRule.nonResource(List.of(verb), List.of(url)));
        }
        return out;
    }

    /** Upstream's {@code ruleCovers} for an owner rule and one broken-down servant rule. */
    static boolean covers(PolicyRule owner, PolicyRule piece) {
        if (!coversAll(owner.verbs(), piece.verbs())) return false;
        if (!piece.nonResourceURLs().isEmpty()) {
            return piece.nonResourceURLs().stream().allMatch(u -> urlCovered(owner.nonResourceURLs(), u));
        }
        if (!coversAll(owner.apiGroups(), piece.apiGroups())) return false;
        if (!resourcesCovered(owner.resources(), piece.resources())) return false;
        return owner.resourceNames().isEmpty()
                || (!piece.resourceNames().isEmpty() && owner.resourceNames().containsAll(piece.resourceNames()));
    }

    private static boolean coversAll(List<String> owner, List<String> wanted) {
        return owner.contains(PolicyRule.ALL) || owner.containsAll(wanted);
    }

    private static boolean resourcesCovered(List<String> owner, List<String> wanted) {
        if (coversAll(owner, wanted)) return true;
        for (String r : wanted) {
            if (owner.contains(r)) continue;
            int slash = r.indexOf('/');
            if (slash < 0 || !owner.contains("*/" + r.substring(slash + 1))) return false;
        }
        return true;
    }

    private static boolean urlCovered(List<String> owner, String url) {
        for (String o : owner) {
            if (o.equals(PolicyRule.ALL) || o.equals(url)) return true;
            if (o.endsWith("*") && url.startsWith(o.substring(0, o.length() - 1))) return true;
        }
        return false;
    }
}
