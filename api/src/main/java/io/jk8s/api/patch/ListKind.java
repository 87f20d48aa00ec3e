package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How server-side apply treats a list, from the type's strategic-merge metadata: an associative list
 * (objects merged by their merge key, e.g. containers by name), a set (scalars merged by value, e.g.
 * finalizers) or an atomic list (replaced and owned as a whole).
 */
enum ListKind {
    ASSOCIATIVE, SET, ATOMIC;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static ListKind of(PatchMeta meta, JsonNode list) {
        if (!meta.isList() || !meta.mergesList() || meta.replaces()) return ATOMIC;
        String key = meta.mergeKey();
        if (key != null) {
            for (JsonNode e : list) {
                if (!e.isObject() || !e.has(key) || e.get(key).isContainerNode()) return ATOMIC;
            }
            return ASSOCIATIVE;
        }
        for (JsonNode e : list) {
            if (e.isContainerNode()) return ATOMIC;
        }
        return SET;
    }

    /** {@code k:{"name":"web"}}: the path element of an associative list's element. */
    static String keyElement(JsonNode element, String mergeKey) {
        return "k:{" + quote(mergeKey) + ":" + element.get(mergeKey).toString() + "}";
    }

    /** {@code v:"example.com/finalizer"}: the path element of a set's value. */
    static String valueElement(JsonNode value) {
        return "v:" + value.toString();
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }
}
