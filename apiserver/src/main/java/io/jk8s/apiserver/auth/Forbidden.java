package io.jk8s.apiserver.auth;

import io.jk8s.api.ApiException;

import java.util.List;

/**
 * The 403 Status exactly as upstream writes it:
 * {@code deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "default"},
 * with details naming the group, resource (as kind) and name.
 */
public final class Forbidden {

    private Forbidden() {
    }

    public static ApiException of(UserInfo u, RequestAttributes a, String why) {
        String suffix = why == null || why.isEmpty() ? "" : ": " + why;
        if (!a.isResourceRequest()) {
            return ApiException.forbidden("forbidden: User \"" + u.name() + "\" cannot " + a.verb() + " path \"" + a.path() + "\"" + suffix);
        }
        String group = a.group() == null ? "" : a.group();
        String qualified = group.isEmpty() ? a.resource() : a.resource() + "." + group;
        String res = a.resource() + (a.subresource() == null ? "" : "/" + a.subresource());
        String message = qualified + (a.name() == null ? "" : " \"" + a.name() + "\"") + " is forbidden: User \"" + u.name()
                + "\" cannot " + a.verb() + " resource \"" + res + "\" in API group \"" + group + "\""
                + (a.namespace() == null ? " at the cluster scope" : " in the namespace \"" + a.namespace() + "\"") + suffix;
        return new ApiException(403, "Forbidden", message, group, a.resource(), a.name(), List.of(), null);
    }
}
