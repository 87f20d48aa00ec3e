package io.jk8s.apiserver.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.storage.ObjectCodec;

import java.util.HashMap;
import java.util.Map;

/**
 * One object version in the watch cache: the tree (never mutated: copy before changing) and its
 * serialised JSON, so that lists and watch events are written without re-encoding.
 *
 * @param key      store key
 * @param object   the object with metadata.resourceVersion set
 * @param json     {@code object} as JSON bytes
 * @param revision the object's resourceVersion
 */
public record CachedObject(String key, ObjectNode object, byte[] json, long revision) {

    public static CachedObject of(String key, byte[] storedValue, long revision) {
        ObjectNode obj = ObjectCodec.decode(storedValue, revision);
        return new CachedObject(key, obj, Json.bytes(obj), revision);
    }

    /** The same object reported at another revision (a DELETED event carries the delete's revision). */
    public CachedObject atRevision(long rev) {
        ObjectNode obj = ObjectCodec.withRevision(object, rev);
        return new CachedObject(key, obj, Json.bytes(obj), rev);
    }

    public Map<String, String> labels() {
        JsonNode l = object.path("metadata").path("labels");
        if (!l.isObject() || l.isEmpty()) return Map.of();
        Map<String, String> out = new HashMap<>();
        l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText("");
    }
}
