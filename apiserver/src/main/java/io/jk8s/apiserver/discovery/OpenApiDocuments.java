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

    public OpenApiDocuments(ResourceRegistry registry) {
        for (KindStrategy s : registry.all()) {
            var t = s.type();
            gvPaths.add(t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version());
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
        o.putObject("paths");
        o.putObject("components").putObject("schemas");
        return Optional.of(o);
    }
}
