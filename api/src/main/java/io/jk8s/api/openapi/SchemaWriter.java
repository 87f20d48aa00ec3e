package io.jk8s.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.api.model.ModelIntrospector;
import io.jk8s.api.model.ModelProperty;
import io.jk8s.api.model.UpstreamFieldTags;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects schema definitions for fabric8 model classes and everything they reach. Not thread-safe:
 * one instance per generated document.
 */
final class SchemaWriter {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Short descriptions (our own words) for the fields every kind has, so that explain shows something. */
    private static final Map<String, String> COMMON_FIELDS = Map.of(
            "apiVersion", "The versioned schema of this object, e.g. v1 or apps/v1.",
            "kind", "The type of this object, in CamelCase, e.g. Pod.",
            "metadata", "Standard object metadata: name, namespace, labels, annotations, owners and more.",
            "spec", "The desired state of the object.",
            "status", "The most recently observed state of the object, maintained by the system.",
            "items", "The objects in this list.");

    private final Dialect dialect;
    private final Map<String, ObjectNode> definitions = new TreeMap<>();

    SchemaWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    /** A {@code $ref} to the definition of {@code model}, creating it (and its dependencies) if needed. */
    ObjectNode ref(Class<?> model) {
        String name = DefinitionNames.of(model);
        if (!definitions.containsKey(name)) {
            ObjectNode def = JSON.objectNode();
            definitions.put(name, def); // before recursing: types may be recursive
            fillDefinition(def, model);
        }
        return refTo(name);
    }

    ObjectNode refTo(String definitionName) {
        return JSON.objectNode().put("$ref", dialect.refPrefix + definitionName);
    }

    /** Defines a kind that has no model class (e.g. a custom resource): any object. */
    ObjectNode customKind(String group, String version, String kind) {
        String name = DefinitionNames.ofCustom(group, version, kind);
        definitions.computeIfAbsent(name, n -> JSON.objectNode().put("type", "object")
                .put("x-kubernetes-preserve-unknown-fields", true));
        return refTo(name);
    }

    /** Adds a group/version/kind to the {@code x-kubernetes-group-version-kind} list of a definition. */
    void addGroupVersionKind(String definitionName, String group, String version, String kind) {
        ObjectNode def = definitions.get(definitionName);
        if (def == null) {
            return;
        }
        ArrayNode gvks = def.withArray("x-kubernetes-group-version-kind");
        for (var existing : gvks) {
            if (existing.path("group").asText().equals(group) && existing.path("version").asText().equals(version)
                    && existing.path("kind").asText().equals(kind)) {
                return;
            }
        }
        gvks.addObject().put("group", group).put("kind", kind).put("version", version);
    }

    /** All definitions, sorted by name. */
    ObjectNode definitions() {
        ObjectNode out = JSON.objectNode();
        definitions.forEach(out::set);
        return out;
    }

    Map<String, ObjectNode> definitionMap() {
        return definitions;
    }

    private void fillDefinition(ObjectNode def, Class<?> model) {
        String simple = model.getSimpleName();
        switch (ModelIntrospector.shape(model)) {
            case INT_OR_STRING -> {
                def.put("description", "IntOrString is a type that can hold an int32 or a string.");
                def.put("type", "string").put("format", "int-or-string");
                return;
            }
            case QUANTITY -> {
                def.put("description", "Quantity is a fixed-point representation of a number, e.g. 100m or 1Gi.");
                def.put("type", "string");
                return;
            }
            default -> {
            }
        }
        def.put("description", "");
        def.put("type", "object");
        List<ModelProperty> props = ModelIntrospector.properties(model);
        if (props.isEmpty()) {
            if (!DefinitionNames.of(model).endsWith(".Patch")) {
                def.put("x-kubernetes-preserve-unknown-fields", true);
            }
            return;
        }
        ObjectNode properties = def.putObject("properties");
        for (ModelProperty p : props) {
            ObjectNode schema = schemaFor(p.type());
            UpstreamFieldTags.PatchTag tag = UpstreamFieldTags.patchTag(simple, p.name());
            if (tag != null) {
                if (tag.mergeKey() != null) {
                    schema.put("x-kubernetes-patch-merge-key", tag.mergeKey());
                }
                schema.put("x-kubernetes-patch-strategy", String.join(",", orderedStrategies(tag)));
            }
            String common = COMMON_FIELDS.get(p.name());
            if (common != null && !(p.name().equals("items") && !simple.endsWith("List"))) {
                schema.put("description", common);
            }
            properties.set(p.name(), schema);
        }
        List<String> required = UpstreamFieldTags.required(simple).stream()
                .filter(r -> props.stream().anyMatch(p -> p.name().equals(r))).toList();
        if (!required.isEmpty()) {
            ArrayNode req = def.putArray("required");
            required.forEach(req::add);
        }
    }

    /** "merge,retainKeys" as upstream writes it. */
    private static List<String> orderedStrategies(UpstreamFieldTags.PatchTag tag) {
        return tag.strategies().stream().sorted().toList();
    }

    /** The schema of a property type: inline for scalars, lists and maps, a reference for objects. */
    ObjectNode schemaFor(Type type) {
        return switch (ModelIntrospector.shape(type)) {
            case STRING -> JSON.objectNode().put("type", "string");
            case BOOLEAN -> JSON.objectNode().put("type", "boolean");
            case INTEGER -> JSON.objectNode().put("type", "integer")
                    .put("format", type == Long.class || type == long.class ? "int64" : "int32");
            case NUMBER -> JSON.objectNode().put("type", "number").put("format", "double");
            case INT_OR_STRING, QUANTITY, OBJECT -> referenceSchema(ref((Class<?>) type));
            case LIST -> {
                ObjectNode s = JSON.objectNode().put("type", "array");
                s.set("items", schemaFor(ModelIntrospector.elementType(type)));
                yield s;
            }
            case MAP -> {
                ObjectNode s = JSON.objectNode().put("type", "object");
                s.set("additionalProperties", schemaFor(ModelIntrospector.elementType(type)));
                yield s;
            }
            case ANY -> anySchema(type);
        };
    }

    private ObjectNode referenceSchema(ObjectNode ref) {
        if (dialect == Dialect.V3) {
            // OpenAPI 3 ignores siblings of $ref; upstream wraps references in allOf.
            ObjectNode wrapped = JSON.objectNode();
            wrapped.putArray("allOf").add(ref);
            return wrapped;
        }
        return ref;
    }

    private ObjectNode anySchema(Type type) {
        if (type instanceof Class<?> c && c.getName().startsWith("io.fabric8.") && !c.isInterface()
                && !ModelIntrospector.isModel(c)) {
            return ref(c); // e.g. FieldsV1: an object without declared properties
        }
        return JSON.objectNode().put("x-kubernetes-preserve-unknown-fields", true); // any JSON value
    }
}
