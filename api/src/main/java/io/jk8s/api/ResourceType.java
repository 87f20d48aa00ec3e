package io.jk8s.api;

import java.util.List;
import java.util.Set;

/**
 * Everything the server and its documents (discovery, OpenAPI, Table) need to know about one
 * resource type served at one group/version.
 *
 * @param group        API group, "" for the core group
 * @param version      e.g. "v1"
 * @param kind         e.g. "Deployment"
 * @param plural       resource name in URLs, e.g. "deployments"
 * @param singular     e.g. "deployment"
 * @param namespaced   true when objects live in a namespace
 * @param shortNames   e.g. ["deploy"]
 * @param categories   e.g. ["all"]
 * @param verbs        e.g. create, delete, deletecollection, get, list, patch, update, watch
 * @param subresources e.g. "status", "scale", "binding", "eviction", "log", "exec"
 * @param model        the fabric8 model class for the kind (typed access, OpenAPI schema source)
 */
public record ResourceType(
        String group,
        String version,
        String kind,
        String plural,
        String singular,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> verbs,
        Set<String> subresources,
        Class<?> model) {

    /** "apps/v1", or "v1" for the core group, as in an object's apiVersion. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** "deployments.apps", or "pods" for the core group. */
    public String groupResource() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public String listKind() {
        return kind + "List";
    }
}
