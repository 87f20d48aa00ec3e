package io.jk8s.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jk8s.apiserver.json.Json;
import io.jk8s.store.KeyValue;

/**
 * Stored form of objects: JSON without {@code metadata.resourceVersion}, which is always the key's
 * modRevision and is filled in on every read (as upstream does with etcd).
 */
public final class ObjectCodec {

    private ObjectCodec() {}

    public static ObjectNode decode(KeyValue kv) {
        return decode(kv.value(), kv.modRevision());
    }

    public static ObjectNode decode(byte[] value, long revision) {
        ObjectNode obj = Json.parseStored(value);
        Json.meta(obj).put("resourceVersion", Long.toString(revision));
        return obj;
    }

    public static byte[] encode(ObjectNode obj) {
        ObjectNode copy = obj.deepCopy();
        Json.meta(copy).remove("resourceVersion");
        return Json.bytes(copy);
    }

    public static ObjectNode withRevision(ObjectNode obj, long revision) {
        ObjectNode copy = obj.deepCopy();
        Json.meta(copy).put("resourceVersion", Long.toString(revision));
        return copy;
    }
}
