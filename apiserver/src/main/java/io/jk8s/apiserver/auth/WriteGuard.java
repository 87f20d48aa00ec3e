package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;

/**
 * Checks the object a user is about to write (after decoding, or after applying a patch) and throws
 * an {@code ApiException} to refuse it. Called by the REST handler on a request's virtual thread.
 */
@FunctionalInterface
public interface WriteGuard {

    void check(UserInfo user, ResourceType type, String namespace, ObjectNode next);

    WriteGuard NONE = (user, type, namespace, next) -> { };
}
