package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.selector.LabelSelector;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, indexed view of all Roles, ClusterRoles and bindings, built once per change of any
 * of them and then shared by every request. ClusterRoles with an {@code aggregationRule} get the
 * union of the rules of the ClusterRoles their selectors match (transitively), computed here on
 * read rather than written back by a controller.
 */
public final class PolicySnapshot {

    public static final PolicySnapshot EMPTY = new PolicySnapshot(List.of(), List.of(), List.of(), List.of());

    private final Map<String, List<PolicyRule>> clusterRoles;
    private final Map<String, List<PolicyRule>> roles;
    private final List<Binding> clusterBindings;
    private final Map<String, List<Binding>> bindingsByNamespace;

    /** A request that one binding allowed: the binding and the subject that matched. */
    public record Grant(Binding binding, Subject subject) {
        public String reason() {
            return "RBAC: allowed by " + binding.describe(subject);
        }
    }

    public PolicySnapshot(List<? extends JsonNode> clusterRoleObjects, List<? extends JsonNode> roleObjects,
                          List<? extends JsonNode> clusterBindingObjects, List<? extends JsonNode> bindingObjects) {
        this.clusterRoles = resolveAggregation(clusterRoleObjects);
        Map<String, List<PolicyRule>> r = new HashMap<>();
        for (JsonNode o : roleObjects) {
            r.put(o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText(),
                    List.copyOf(PolicyRule.listOf(o.get("rules"))));
        }
        this.roles = r;
        List<Binding> cb = new ArrayList<>();
        for (JsonNode o : clusterBindingObjects) cb.add(Binding.fromJson(o));
        this.clusterBindings = List.copyOf(cb);
        Map<String, List<Binding>> byNs = new HashMap<>();
        for (JsonNode o : bindingObjects) {
            Binding b = Binding.fromJson(o);
            byNs.computeIfAbsent(b.namespace(), k -> new ArrayList<>()).add(b);
        }
        this.bindingsByNamespace = byNs;
    }

    private static Map<String, List<PolicyRule>> resolveAggregation(List<? extends JsonNode> objects) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode o : objects) byName.put(o.path("metadata").path("name").asText(), o);
        Map<String, List<PolicyRule>> resolved = new HashMap<>();
        for (String name : byName.keySet()) resolve(name, byName, resolved, new HashSet<>());
        return resolved;
    }

    private static List<PolicyRule> resolve(String name, Map<String, JsonNode> byName, Map<String, List<PolicyRule>> done,
                                            Set<String> visiting) {
        List<PolicyRule> known = done.get(name);
        if (known != null) return known;
        JsonNode role = byName.get(name);
        if (role == null || !visiting.add(name)) return List.of();
        JsonNode selectors = role.path("aggregationRule").path("clusterRoleSelectors");
        List<PolicyRule> rules;
        if (selectors.isArray() && !selectors.isEmpty()) {
            Set<PolicyRule> union = new LinkedHashSet<>();
            for (JsonNode sel : selectors) {
                LabelSelector selector = LabelSelector.fromJson(sel);
                for (Map.Entry<String, JsonNode> e : byName.entrySet()) {
                    if (e.getKey().equals(name) || !selector.matches(labels(e.getValue()))) continue;
                    union.addAll(resolve(e.getKey(), byName, done, visiting));
                }
            }
            rules = List.copyOf(union);
        } else {
            rules = List.copyOf(PolicyRule.listOf(role.get("rules")));
        }
        visiting.remove(name);
        done.put(name, rules);
        return rules;
    }

    private static Map<String, String> labels(JsonNode o) {
        Map<String, String> out = new HashMap<>();
        o.path("metadata").path("labels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The binding that allows this request, if any (cluster-wide bindings first, as upstream). */
    public Optional<Grant> allows(UserInfo user, RequestAttributes a) {
        Optional<Grant> g = firstGrant(clusterBindings, user, a);
        if (g.isPresent() || !a.isResourceRequest() || a.namespace() == null || a.namespace().isEmpty()) return g;
        return firstGrant(bindingsByNamespace.getOrDefault(a.namespace(), List.of()), user, a);
    }

    private Optional<Grant> firstGrant(List<Binding> bindings, UserInfo user, RequestAttributes a) {
        for (Binding b : bindings) {
            Subject who = b.subjectFor(user);
            if (who == null) continue;
            for (PolicyRule rule : roleRules(b.roleKind(), b.namespace(), b.roleName())) {
                if (RuleMatcher.allows(rule, a)) return Optional.of(new Grant(b, who));
            }
        }
        return Optional.empty();
    }

    /** Every rule that applies to {@code user} in {@code namespace} ("" or null: cluster-wide only). */
    public List<PolicyRule> rulesFor(UserInfo user, String namespace) {
        List<PolicyRule> out = new ArrayList<>();
        collect(clusterBindings, user, out);
        if (namespace != null && !namespace.isEmpty()) {
            collect(bindingsByNamespace.getOrDefault(namespace, List.of()), user, out);
        }
        return out;
    }

    private void collect(List<Binding> bindings, UserInfo user, List<PolicyRule> out) {
        for (Binding b : bindings) {
            if (b.subjectFor(user) != null) out.addAll(roleRules(b.roleKind(), b.namespace(), b.roleName()));
        }
    }

    /** The rules of a referenced role; empty when it does not exist (as upstream: the binding grants nothing). */
    public List<PolicyRule> roleRules(String roleKind, String namespace, String name) {
        if ("ClusterRole".equals(roleKind)) return clusterRoles.getOrDefault(name, List.of());
        if ("Role".equals(roleKind) && namespace != null) return roles.getOrDefault(namespace + "/" + name, List.of());
        return List.of();
    }

    public Optional<List<PolicyRule>> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }
}
