package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;

import java.util.Optional;

/**
 * authentication.k8s.io/v1 SelfSubjectReview ({@code kubectl auth whoami}): answered with the caller's
 * user name and groups, never stored. Whatever the request's body says is ignored, as upstream.
 */
public final class SelfSubjectReviews implements CreateResponder {

    @Override
    public Optional<ObjectNode> answer(UserInfo user, ResourceType type, String namespace, ObjectNode body) {
        if (!type.group().equals("authentication.k8s.io") || !type.kind().equals("SelfSubjectReview")) return Optional.empty();
        ObjectNode out = io.jk8s.apiserver.json.Json.object().put("kind", "SelfSubjectReview").put("apiVersion", type.apiVersion());
        out.putObject("metadata").putNull("creationTimestamp");
        ObjectNode info = out.putObject("status").putObject("userInfo").put("username", user.name());
        var groups = info.putArray("groups");
        user.groups().forEach(groups::add);
        return Optional.of(out);
    }
}
