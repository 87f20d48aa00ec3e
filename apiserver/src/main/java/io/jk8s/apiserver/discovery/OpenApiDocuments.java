package io.jk8s.apiserver.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.registry.KindStrategy;
import io.jk8s.registry.ResourceRegistry;

import java.util.Optional;
import java.util.TreeSet;

/**
 * OpenAPI documents. Until the api module's {@code OpenApiGenerator} lands, these are skeletons:
 * a v2 document without definitions (clients then skip client-side validation) and a v3 index
 * whose per-group-version documents have no schemas.
 */
public final class OpenApiDocuments {

    private final TreeSet<String> gvPaths = new TreeSet<>();
    private final java.util.Map<String, java.util.List<io.jk8s.api.ResourceType>> typesByGv = new java.util.HashMap<>();

    public OpenApiDocuments(ResourceRegistry registry) {
        for (KindStrategy s : registry.all()) {
            var t = s.type();
            String gv = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
            gvPaths.add(gv);
            typesByGv.computeIfAbsent(gv, k -> new java.util.ArrayList<>()).add(t);
        }
    }

    /**
     * One PATCH operation per kind that declares the fieldValidation and dryRun query parameters:
     * kubectl looks for exactly this to decide that the server validates fields (so it skips
     * client-side validation, which would need the protobuf v2 document).
     */
    private void addPatchOperations(ObjectNode paths, String gvPath) {
        for (io.jk8s.api.ResourceType t : typesByGv.getOrDefault(gvPath, java.util.List.of())) {
            String path = "/" + gvPath + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
            ObjectNode patch = paths.putObject(path).putObject("patch");
            patch.put("operationId", "patch" + t.kind());
            patch.putObject("x-kubernetes-group-version-kind").put("group", t.group()).put("version", t.version()).put("kind", t.kind());
            patch.put("x-kubernetes-action", "patch");
            var params = patch.putArray("parameters");
            for (String q : java.util.List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
                params.addObject().put("name", q).put("in", "query").putObject("schema").put("type", q.equals("force") ? "boolean" : "string");
            }
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
    }

    public ObjectNode v2() {
        ObjectNode o = Json.object();
        o.put("swagger", "2.0");
        o.putObject("info").put("title", "Kubernetes").put("version", "v1.32.3-jk8s");
        o.putObject("paths");
        o.putObject("definitions");
        return o;
    }

    public ObjectNode v3Index() {
        ObjectNode o = Json.object();
        ObjectNode paths = o.putObject("paths");
        for (String p : gvPaths) {
            paths.putObject(p).put("serverRelativeURL", "/openapi/v3/" + p + "?hash=0");
        }
        return o;
    }

    public Optional<ObjectNode> v3(String gvPath) {
        if (!gvPaths.contains(gvPath)) return Optional.empty();
        ObjectNode o = Json.object();
        o.put("openapi", "3.0.0");
        o.putObject("info").put("title", "Kubernetes").put("version", "v1.32.3-jk8s");
        addPatchOperations(o.putObject("paths"), gvPath);
        o.putObject("components").putObject("schemas");
        return Optional.of(o);
    }
}
