package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Encodes a Swagger 2.0 JSON document as gnostic's {@code openapi.v2.Document} protobuf, the form
 * kubectl up to 1.26 requests from {@code /openapi/v2}
 * ({@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}). Field numbers follow
 * gnostic's {@code OpenAPIv2.proto}. Vendor extensions are carried as YAML text (JSON is valid YAML), as
 * kube-openapi does. Only the constructs that {@link OpenApiGenerator} emits are encoded.
 */
final class GnosticEncoder {

    private GnosticEncoder() {
    }

    static byte[] encode(JsonNode doc) {
        ProtoWriter d = new ProtoWriter();
        d.string(1, doc.path("swagger").asText());
        d.message(2, new ProtoWriter().string(1, doc.at("/info/title").asText())
                .string(2, doc.at("/info/version").asText()));
        ProtoWriter paths = new ProtoWriter();
        forEach(doc.path("paths"), (name, item) -> paths.message(2, named(name, pathItem(item))));
        d.message(8, paths);
        ProtoWriter definitions = new ProtoWriter();
        forEach(doc.path("definitions"), (name, schema) -> definitions.message(1, named(name, schema(schema))));
        d.message(9, definitions);
        for (JsonNode requirement : doc.path("security")) {
            ProtoWriter req = new ProtoWriter();
            forEach(requirement, (name, scopes) -> {
                ProtoWriter array = new ProtoWriter();
                scopes.forEach(s -> array.string(1, s.asText()));
                req.message(1, named(name, array));
            });
            d.message(12, req);
        }
        ProtoWriter securityDefinitions = new ProtoWriter();
        forEach(doc.path("securityDefinitions"), (name, def) -> securityDefinitions.message(1, named(name,
                new ProtoWriter().message(2, new ProtoWriter().string(1, def.path("type").asText())
                        .string(2, def.path("name").asText()).string(3, def.path("in").asText())
                        .string(4, def.path("description").asText())))));
        d.message(13, securityDefinitions);
        return d.toByteArray();
    }

    private static ProtoWriter pathItem(JsonNode item) {
        ProtoWriter p = new ProtoWriter();
        for (Map.Entry<String, Integer> op : List.of(Map.entry("get", 2), Map.entry("put", 3), Map.entry("post", 4),
                Map.entry("delete", 5), Map.entry("patch", 8))) {
            if (item.has(op.getKey())) {
                p.message(op.getValue(), operation(item.get(op.getKey())));
            }
        }
        item.path("parameters").forEach(param -> p.message(9, parametersItem(param)));
        vendorExtensions(item, p, 10);
        return p;
    }

    private static ProtoWriter operation(JsonNode op) {
        ProtoWriter o = new ProtoWriter();
        op.path("tags").forEach(t -> o.string(1, t.asText()));
        o.string(3, op.path("description").asText());
        o.string(5, op.path("operationId").asText());
        op.path("produces").forEach(t -> o.string(6, t.asText()));
        op.path("consumes").forEach(t -> o.string(7, t.asText()));
        op.path("parameters").forEach(param -> o.message(8, parametersItem(param)));
        ProtoWriter responses = new ProtoWriter();
        forEach(op.path("responses"), (code, response) -> {
            ProtoWriter r = new ProtoWriter().string(1, response.path("description").asText());
            if (response.has("schema")) {
                r.message(2, new ProtoWriter().message(1, schema(response.get("schema"))));
            }
            responses.message(1, named(code, new ProtoWriter().message(1, r)));
        });
        o.message(9, responses);
        op.path("schemes").forEach(t -> o.string(10, t.asText()));
        vendorExtensions(op, o, 13);
        return o;
    }

    private static ProtoWriter parametersItem(JsonNode param) {
        ProtoWriter parameter = new ProtoWriter();
        String in = param.path("in").asText();
        if (in.equals("body")) {
            parameter.message(1, new ProtoWriter().string(1, param.path("description").asText())
                    .string(2, param.path("name").asText()).string(3, in).bool(4, param.path("required").asBoolean())
                    .message(5, schema(param.path("schema"))));
        } else {
            boolean path = in.equals("path");
            ProtoWriter sub = new ProtoWriter().bool(1, param.path("required").asBoolean()).string(2, in)
                    .string(3, param.path("description").asText()).string(4, param.path("name").asText());
            if (path) {
                sub.string(5, param.path("type").asText()).bool(19, param.path("uniqueItems").asBoolean());
            } else {
                sub.string(6, param.path("type").asText()).bool(20, param.path("uniqueItems").asBoolean());
            }
            parameter.message(2, new ProtoWriter().message(path ? 4 : 3, sub));
        }
        return new ProtoWriter().message(1, parameter);
    }

    private static ProtoWriter schema(JsonNode s) {
        ProtoWriter w = new ProtoWriter();
        w.string(1, s.path("$ref").asText());
        w.string(2, s.path("format").asText());
        w.string(4, s.path("description").asText());
        w.bool(16, s.path("uniqueItems").asBoolean());
        s.path("required").forEach(r -> w.string(19, r.asText()));
        if (s.has("additionalProperties")) {
            w.message(21, new ProtoWriter().message(1, schema(s.get("additionalProperties"))));
        }
        if (s.has("type")) {
            w.message(22, new ProtoWriter().string(1, s.get("type").asText()));
        }
        if (s.has("items")) {
            w.message(23, new ProtoWriter().message(1, schema(s.get("items"))));
        }
        s.path("allOf").forEach(a -> w.message(24, schema(a)));
        if (s.has("properties")) {
            ProtoWriter props = new ProtoWriter();
            forEach(s.get("properties"), (name, p) -> props.message(1, named(name, schema(p))));
            w.message(25, props);
        }
        vendorExtensions(s, w, 31);
        return w;
    }

    private static void vendorExtensions(JsonNode node, ProtoWriter w, int field) {
        forEach(node, (name, value) -> {
            if (name.startsWith("x-")) {
                // Any.yaml (field 2): JSON text is valid YAML.
                w.message(field, named(name, new ProtoWriter().string(2, value.toString() + "\n")));
            }
        });
    }

    private static ProtoWriter named(String name, ProtoWriter value) {
        return new ProtoWriter().string(1, name).message(2, value);
    }

    private interface FieldVisitor {
        void visit(String name, JsonNode value);
    }

    private static void forEach(JsonNode node, FieldVisitor visitor) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            visitor.visit(e.getKey(), e.getValue());
        }
    }
}
