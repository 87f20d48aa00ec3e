package io.jk8s.store;

import java.nio.charset.StandardCharsets;

/**
 * One version of one key, as etcd reports it.
 *
 * @param key            full key, e.g. {@code /registry/pods/default/web-1}
 * @param value          the stored bytes (for a delete event's {@code kv}: empty)
 * @param createRevision revision of the write that created this incarnation of the key
 * @param modRevision    revision of the write that produced this version
 * @param version        number of writes to this incarnation of the key (1 after create)
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version) {

    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
