package io.jk8s.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * RFC 7386 JSON Merge Patch: objects merge recursively, {@code null} removes a member, anything else
 * (arrays included) replaces. The input document is not modified.
 */
public final class MergePatch {

    private MergePatch() {
    }

    public static JsonNode apply(JsonNode doc, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? null : patch.deepCopy();
        }
        ObjectNode target = doc != null && doc.isObject() ? ((ObjectNode) doc).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        merge(target, (ObjectNode) patch);
        return target;
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(e.getKey());
                ObjectNode child = existing != null && existing.isObject() ? (ObjectNode) existing
                        : JsonNodeFactory.instance.objectNode();
                merge(child, (ObjectNode) value);
                target.set(e.getKey(), child);
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }
}
