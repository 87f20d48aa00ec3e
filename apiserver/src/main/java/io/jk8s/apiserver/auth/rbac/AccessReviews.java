package io.jk8s.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ApiException;
import io.jk8s.api.FieldError;
import io.jk8s.api.ResourceType;
import io.jk8s.apiserver.auth.CreateResponder;
import io.jk8s.apiserver.auth.RequestAttributes;
import io.jk8s.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * authorization.k8s.io/v1 reviews, answered and never stored: SelfSubjectAccessReview (what
 * {@code kubectl auth can-i} asks), SubjectAccessReview and LocalSubjectAccessReview (for another
 * user), SelfSubjectRulesReview ({@code kubectl auth can-i --list}).
 */
public final class AccessReviews implements CreateResponder {

    static final String GROUP = "authorization.k8s.io";

    private final RbacAuthorizer authorizer;

    public AccessReviews(RbacAuthorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public Optional<ObjectNode> answer(UserInfo caller, ResourceType type, String namespace, ObjectNode body) {
        if (!type.group().equals(GROUP)) return Optional.empty();
        ObjectNode spec = body.has("spec") && body.get("spec").isObject() ? (ObjectNode) body.get("spec") : body.putObject("spec");
        ObjectNode status = switch (type.kind()) {
            case "SelfSubjectAccessReview" -> access(type, caller, spec, null);
            case "SubjectAccessReview" -> access(type, subjectOf(type, spec), spec, null);
            case "LocalSubjectAccessReview" -> access(type, subjectOf(type, spec), spec, namespace);
            case "SelfSubjectRulesReview" -> rules(caller, spec.path("namespace").asText(""));
            default -> null;
        };
        if (status == null) return Optional.empty();
        body.put("apiVersion", type.apiVersion()).put("kind", type.kind());
        ObjectNode meta = body.has("metadata") && body.get("metadata").isObject() ? (ObjectNode) body.get("metadata") : body.putObject("metadata");
        meta.putNull("creationTimestamp");
        body.set("status", status);
        return Optional.of(body);
    }

    private static UserInfo subjectOf(ResourceType type, ObjectNode spec) {
        List<String> groups = new ArrayList<>();
        for (JsonNode g : spec.path("groups")) groups.add(g.asText());
        String user = spec.path("user").asText("");
        if (user.isEmpty() && groups.isEmpty()) {
            throw invalid(type, FieldError.invalid("spec.user", "", "at least one of user or group must be specified"));
        }
        return new UserInfo(user, groups);
    }

    private ObjectNode access(ResourceType type, UserInfo user, ObjectNode spec, String requestNamespace) {
        JsonNode res = spec.get("resourceAttributes");
        JsonNode nonRes = spec.get("nonResourceAttributes");
        boolean hasRes = res != null && res.isObject();
        boolean hasNonRes = nonRes != null && nonRes.isObject();
        if (hasRes == hasNonRes) {
            throw invalid(type, FieldError.invalid("spec.resourceAttributes", hasRes ? "{...}" : "null",
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        RequestAttributes attrs;
        if (hasRes) {
            String ns = res.path("namespace").asText("");
            if (requestNamespace != null && ns.isEmpty()) {
                ns = requestNamespace; // upstream defaults a LocalSubjectAccessReview's namespace from the path
                ((ObjectNode) res).put("namespace", ns);
            }
            if (requestNamespace != null && !ns.equals(requestNamespace)) {
                throw invalid(type, FieldError.invalid("spec.resourceAttributes.namespace", ns,
                        "must match metadata.namespace"));
            }
            attrs = new RequestAttributes(res.path("verb").asText(""), res.path("group").asText(""), res.path("resource").asText(""),
                    emptyToNull(res.path("subresource").asText("")), emptyToNull(ns), emptyToNull(res.path("name").asText("")), null);
        } else {
            if (requestNamespace != null) {
                throw invalid(type, FieldError.invalid("spec.nonResourceAttributes", "{...}",
                        "disallowed on this kind of request"));
            }
            attrs = new RequestAttributes(nonRes.path("verb").asText(""), null, null, null, null, null, nonRes.path("path").asText(""));
        }
        RbacAuthorizer.Decision d = authorizer.decide(user, attrs);
        ObjectNode status = io.jk8s.apiserver.json.Json.object().put("allowed", d.allowed());
        if (!d.reason().isEmpty()) status.put("reason", d.reason());
        return status;
    }

    private ObjectNode rules(UserInfo user, String namespace) {
        ObjectNode status = io.jk8s.apiserver.json.Json.object();
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        List<PolicyRule> all = new ArrayList<>(authorizer.policy().current().rulesFor(user, namespace));
        if (user.isMaster() && all.isEmpty()) {
            // The privileged group is allowed everything even without bindings: say so.
            all.add(PolicyRule.resource(List.of("*"), List.of("*"), List.of("*"), List.of()));
            all.add(PolicyRule.nonResource(List.of("*"), List.of("*")));
        }
        for (PolicyRule r : all) {
            ObjectNode j = r.toJson();
            if (r.nonResourceURLs().isEmpty()) {
                j.remove("nonResourceURLs");
                resourceRules.add(j);
            } else {
                ObjectNode n = io.jk8s.apiserver.json.Json.object();
                n.set("verbs", j.get("verbs"));
                n.set("nonResourceURLs", j.get("nonResourceURLs"));
                nonResourceRules.add(n);
            }
        }
        status.put("incomplete", false);
        return status;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static ApiException invalid(ResourceType type, FieldError e) {
        return ApiException.invalid(type.group(), type.kind(), "", List.of(e));
    }
}
