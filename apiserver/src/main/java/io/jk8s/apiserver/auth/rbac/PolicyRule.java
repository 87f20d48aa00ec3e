package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * One RBAC rule ({@code rbac.authorization.k8s.io/v1 PolicyRule}). Either a resource rule (apiGroups,
 * resources, optional resourceNames) or a non-resource rule (nonResourceURLs); verbs in both.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {

    public static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    public static PolicyRule resource(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> names) {
        return new PolicyRule(verbs, apiGroups, resources, names, List.of());
    }

    public static PolicyRule nonResource(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    /** The rules of a Role/ClusterRole object ({@code rules} may be null or absent). */
    public static List<PolicyRule> listOf(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        if (rules != null && rules.isArray()) {
            for (JsonNode r : rules) out.add(fromJson(r));
        }
        return out;
    }

    public static PolicyRule fromJson(JsonNode r) {
        return new PolicyRule(strings(r.get("verbs")), strings(r.get("apiGroups")), strings(r.get("resources")),
                strings(r.get("resourceNames")), strings(r.get("nonResourceURLs")));
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            for (JsonNode s : n) out.add(s.asText());
        }
        return out;
    }

    /** The JSON form, omitting empty lists as upstream's {@code omitempty}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        put(o, "verbs", verbs, true);
        put(o, "apiGroups", apiGroups, false);
        put(o, "resources", resources, false);
        put(o, "resourceNames", resourceNames, false);
        put(o, "nonResourceURLs", nonResourceURLs, false);
        return o;
    }

    private static void put(ObjectNode o, String field, List<String> values, boolean always) {
        if (values.isEmpty() && !always) return;
        ArrayNode a = o.putArray(field);
        values.forEach(a::add);
    }

    /** Upstream's compact form in escalation messages: {@code {APIGroups:[""], Resources:["pods"], Verbs:["get"]}}. */
    public String compact() {
        List<String> parts = new ArrayList<>();
        if (!apiGroups.isEmpty()) parts.add("APIGroups:" + quoted(apiGroups));
        if (!resources.isEmpty()) parts.add("Resources:" + quoted(resources));
        if (!resourceNames.isEmpty()) parts.add("ResourceNames:" + quoted(resourceNames));
        if (!nonResourceURLs.isEmpty()) parts.add("NonResourceURLs:" + quoted(nonResourceURLs));
        parts.add("Verbs:" + quoted(verbs));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String quoted(List<String> values) {
        return "[" + String.join(" ", values.stream().map(v -> "\"" + v + "\"").toList()) + "]";
    }
}
