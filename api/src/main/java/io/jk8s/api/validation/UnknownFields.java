package io.jk8s.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.jk8s.api.model.ModelIntrospector;
import io.jk8s.api.model.ModelProperty;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds fields that the type does not declare, for {@code fieldValidation=Strict|Warn}. Paths are written as
 * upstream's strict decoding errors write them: {@code spec.template.spec.containers[0].imag}.
 * Positions without type information (custom resources, embedded raw JSON) are not checked.
 */
public final class UnknownFields {

    private UnknownFields() {
    }

    /**
     * The unknown field paths of {@code object} for the fabric8 model class {@code model}, in document
     * order; empty when the model is null or not a model class.
     */
    public static List<String> find(JsonNode object, Class<?> model) {
        List<String> unknown = new ArrayList<>();
        if (model == null || object == null || !ModelIntrospector.isModel(model)) {
            return unknown;
        }
        if (model == io.fabric8.kubernetes.api.model.GenericKubernetesResource.class) {
            // custom resources: only the metadata has a known schema here
            walk(object.path("metadata"), io.fabric8.kubernetes.api.model.ObjectMeta.class, "metadata", unknown);
        } else {
            walk(object, model, "", unknown);
        }
        return unknown;
    }

    /** Upstream's message: {@code strict decoding error: unknown field "a", unknown field "b"}. */
    public static String strictDecodingError(List<String> unknown) {
        return "strict decoding error: " + unknown.stream().map(f -> "unknown field \"" + f + "\"")
                .collect(Collectors.joining(", "));
    }

    private static void walk(JsonNode node, Type type, String path, List<String> unknown) {
        switch (ModelIntrospector.shape(type)) {
            case OBJECT -> {
                if (!node.isObject()) {
                    return;
                }
                List<ModelProperty> props = ModelIntrospector.properties((Class<?>) type);
                Set<String> names = props.stream().map(ModelProperty::name).collect(Collectors.toSet());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                    if (!names.contains(e.getKey())) {
                        unknown.add(child);
                        continue;
                    }
                    for (ModelProperty p : props) {
                        if (p.name().equals(e.getKey())) {
                            walk(e.getValue(), p.type(), child, unknown);
                            break;
                        }
                    }
                }
            }
            case LIST -> {
                if (node.isArray()) {
                    Type element = ModelIntrospector.elementType(type);
                    for (int i = 0; i < node.size(); i++) {
                        walk(node.get(i), element, path + "[" + i + "]", unknown);
                    }
                }
            }
            case MAP -> {
                if (node.isObject()) {
                    Type value = ModelIntrospector.elementType(type);
                    node.fields().forEachRemaining(e -> walk(e.getValue(), value, path + "." + e.getKey(), unknown));
                }
            }
            default -> {
                // scalars and untyped positions hold no fields to check
            }
        }
    }
}
