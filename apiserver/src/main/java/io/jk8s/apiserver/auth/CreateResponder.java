package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;

import java.util.Optional;

/**
 * Answers a create of a kind that is never stored (access reviews): the response body, or empty when
 * this responder does not handle the kind and the generic storage should.
 */
@FunctionalInterface
public interface CreateResponder {

    Optional<ObjectNode> answer(UserInfo user, ResourceType type, String namespace, ObjectNode body);

    CreateResponder NONE = (user, type, namespace, body) -> Optional.empty();

    /** This responder, then {@code next} for kinds this one does not answer. */
    default CreateResponder or(CreateResponder next) {
        return (user, type, namespace, body) -> {
            Optional<ObjectNode> mine = answer(user, type, namespace, body);
            return mine.isPresent() ? mine : next.answer(user, type, namespace, body);
        };
    }
}
