package io.jk8s.apiserver.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.apiserver.storage.ObjectCodec;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One object version in the watch cache, kept as its serialised JSON plus what selectors need
 * (name, namespace, labels, and the kind's selectable fields once asked for).
 *
 * <p>Only the bytes are kept, not the parsed tree: a Jackson tree of a pod costs about 6 KB of heap
 * against 1.1 KB of JSON, which at 10,000 pods was the difference between the server fitting in
 * 300 MB or not. Lists and watch events are written from the bytes; {@link #object()} parses a fresh
 * copy for the few paths that need a tree (Table output, YAML, RBAC policy).
 */
public final class CachedObject {

    private final String key;
    private final byte[] json;
    private final long revision;
    private final String name;
    private final String namespace;
    private final Map<String, String> labels;
    /** The kind's selectable fields, computed on the first field-selector match (one kind per object). */
    private volatile Map<String, String> fields;

    /**
     * @param previous the key's previous version, if cached: its key, name, namespace and labels are
     *                 reused when equal, so that the versions kept in the history ring share them
     *                 (~400 bytes of a pod's ~2 KB) instead of each holding copies
     */
    private CachedObject(String key, ObjectNode object, long revision, CachedObject previous) {
        this.json = Json.bytes(object);
        this.revision = revision;
        JsonNode meta = object.path("metadata");
        String n = meta.path("name").asText("");
        String ns = meta.path("namespace").asText("");
        Map<String, String> l = labelsOf(meta.path("labels"));
        if (previous != null) {
            key = previous.key.equals(key) ? previous.key : key;
            n = previous.name.equals(n) ? previous.name : n;
            ns = previous.namespace.equals(ns) ? previous.namespace : ns;
            l = previous.labels.equals(l) ? previous.labels : l;
        }
        this.key = key;
        this.name = n;
        // Few distinct namespaces, many objects: one String each.
        this.namespace = ns.intern();
        this.labels = l;
    }

    public static CachedObject of(String key, byte[] storedValue, long revision) {
        return of(key, storedValue, revision, null);
    }

    /** As {@link #of(String, byte[], long)}, sharing what did not change with {@code previous} (may be null). */
    public static CachedObject of(String key, byte[] storedValue, long revision, CachedObject previous) {
        return new CachedObject(key, ObjectCodec.decode(storedValue, revision), revision, previous);
    }

    /** The same object reported at another revision (a DELETED event carries the delete's revision). */
    public CachedObject atRevision(long rev) {
        return new CachedObject(key, ObjectCodec.withRevision(object(), rev), rev, this);
    }

    public String key() {
        return key;
    }

    /** The object as JSON, metadata.resourceVersion set. Shared: never modify the array. */
    public byte[] json() {
        return json;
    }

    public long revision() {
        return revision;
    }

    /** A freshly parsed tree of the object: the caller owns it and may change it. */
    public ObjectNode object() {
        return Json.parseStored(json);
    }

    public Map<String, String> labels() {
        return labels;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** The selectable fields as {@code extractor} (the kind's strategy) computes them, memoised. */
    public Map<String, String> fields(Function<ObjectNode, Map<String, String>> extractor) {
        Map<String, String> f = fields;
        if (f == null) {
            f = Map.copyOf(extractor.apply(object()));
            fields = f;
        }
        return f;
    }

    private static Map<String, String> labelsOf(JsonNode l) {
        if (!l.isObject() || l.isEmpty()) return Map.of();
        Map<String, String> out = new HashMap<>();
        l.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return Map.copyOf(out);
    }
}
