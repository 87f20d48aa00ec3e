package io.jk8s.apiserver.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.ResourceType;

/**
 * Changes an object about to be created (upstream's mutating admission plugins that need the server's
 * state, e.g. the ServiceAccount plugin's token volume). Called by the REST handler on the request's
 * virtual thread, after decoding and before the generic storage's defaulting and validation; may throw
 * an {@code ApiException} to refuse the create.
 */
@FunctionalInterface
public interface MutatingAdmission {

    void admitCreate(UserInfo user, ResourceType type, String namespace, ObjectNode object);

    MutatingAdmission NONE = (user, type, namespace, object) -> { };
}
