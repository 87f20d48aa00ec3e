package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.jk8s.apiserver.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds fields a kind does not define (for {@code fieldValidation=Strict|Warn}) by walking the
 * request body along the fabric8 model's Jackson properties. Only descends into fabric8 model
 * classes; free-form parts (maps of strings, IntOrString, Quantity, raw JSON) are not checked.
 */
public final class FieldValidator {

    private static final Map<Class<?>, Map<String, JavaType>> PROPERTIES = new ConcurrentHashMap<>();

    private FieldValidator() {}

    /** Paths of unknown fields, upstream-style ({@code spec.containers[0].foo}). */
    public static List<String> unknownFields(JsonNode body, Class<?> model) {
        List<String> out = new ArrayList<>();
        if (model != null) {
            walk(body, Json.MAPPER.constructType(model), "", out);
        }
        return out;
    }

    private static void walk(JsonNode node, JavaType type, String path, List<String> out) {
        if (node == null || node.isNull() || type == null) return;
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), type.getContentType(), path + "[" + i + "]", out);
                }
            }
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                node.fields().forEachRemaining(e -> walk(e.getValue(), type.getContentType(),
                        path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out));
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (!node.isObject() || !raw.getName().startsWith("io.fabric8.kubernetes.api.model")
                || raw.getSimpleName().equals("IntOrString") || raw.getSimpleName().equals("Quantity")) {
            return;
        }
        Map<String, JavaType> props = PROPERTIES.computeIfAbsent(raw, FieldValidator::properties);
        node.fields().forEachRemaining(e -> {
            String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JavaType child = props.get(e.getKey());
            if (child == null) {
                out.add(p);
            } else {
                walk(e.getValue(), child, p, out);
            }
        });
    }

    private static Map<String, JavaType> properties(Class<?> cls) {
        Map<String, JavaType> out = new ConcurrentHashMap<>();
        var desc = Json.MAPPER.getDeserializationConfig().introspect(Json.MAPPER.constructType(cls));
        for (BeanPropertyDefinition p : desc.findProperties()) {
            if (p.getName().equals("additionalProperties")) continue;
            out.put(p.getName(), p.getPrimaryType());
        }
        return out;
    }
}
