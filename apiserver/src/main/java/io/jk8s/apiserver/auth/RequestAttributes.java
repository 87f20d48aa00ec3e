package io.jk8s.apiserver.auth;

/**
 * What a request does, in RBAC's terms.
 *
 * @param verb        get, list, watch, create, update, patch, delete, deletecollection; or the HTTP verb
 *                    in lower case for non-resource requests
 * @param group       API group ("" for core), null for non-resource requests
 * @param resource    plural, null for non-resource requests
 * @param subresource e.g. "status", null if none
 * @param namespace   null for cluster-scoped requests
 * @param name        null for collection requests
 * @param path        the request path (for non-resource requests)
 */
public record RequestAttributes(String verb, String group, String resource, String subresource,
                                String namespace, String name, String path) {

    public boolean isResourceRequest() {
        return resource != null;
    }
}
