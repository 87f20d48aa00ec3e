package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Inline parameter objects, in either dialect (kubectl looks parameters up by name, without resolving refs). */
final class Parameters {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Dialect dialect;

    Parameters(Dialect dialect) {
        this.dialect = dialect;
    }

    ObjectNode path(String name, String description) {
        return param(name, "path", "string", description).put("required", true);
    }

    ObjectNode query(String name, String type, String description) {
        return param(name, "query", type, description);
    }

    private ObjectNode param(String name, String in, String type, String description) {
        ObjectNode p = JSON.objectNode().put("name", name).put("in", in).put("description", description);
        if (dialect == Dialect.V2) {
            p.put("type", type).put("uniqueItems", true);
        } else {
            p.putObject("schema").put("type", type).put("uniqueItems", true);
        }
        return p;
    }

    ObjectNode pretty() {
        return query("pretty", "string", "If 'true', then the output is pretty printed.");
    }

    ObjectNode dryRun() {
        return query("dryRun", "string", "When present, indicates that modifications should not be persisted. "
                + "Valid values are: - All: all dry run stages will be processed");
    }

    ObjectNode fieldManager() {
        return query("fieldManager", "string", "fieldManager is a name associated with the actor or entity that is "
                + "making these changes.");
    }

    ObjectNode fieldValidation() {
        return query("fieldValidation", "string", "fieldValidation instructs the server on how to handle objects in "
                + "the request containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.");
    }

    ObjectNode force() {
        return query("force", "boolean", "Force is going to \"force\" Apply requests. It must be unset for "
                + "non-apply patch requests.");
    }

    ObjectNode[] list() {
        return new ObjectNode[] {
            query("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
            query("continue", "string", "The continue option should be set when retrieving more results from the server."),
            query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields."),
            query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
            query("limit", "integer", "limit is a maximum number of responses to return for a list call."),
            query("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request "
                    + "may be served from."),
            query("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied "
                    + "to list calls."),
            query("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`."),
            query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
            query("watch", "boolean", "Watch for changes to the described resources and return them as a stream of "
                    + "add, update, and remove notifications."),
        };
    }

    ObjectNode[] delete() {
        return new ObjectNode[] {
            dryRun(),
            query("gracePeriodSeconds", "integer", "The duration in seconds before the object should be deleted."),
            query("ignoreStoreReadErrorWithClusterBreakingPotential", "boolean",
                    "if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion "
                            + "flow fails with a corrupt object error."),
            query("orphanDependents", "boolean", "Deprecated: please use the PropagationPolicy."),
            query("propagationPolicy", "string", "Whether and how garbage collection will be performed: "
                    + "'Orphan', 'Background' or 'Foreground'."),
        };
    }
}
