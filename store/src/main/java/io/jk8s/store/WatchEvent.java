package io.jk8s.store;

/**
 * One change to a watched key.
 *
 * @param type     PUT (create or update) or DELETE
 * @param kv       the new version; for DELETE its key, an empty value and modRevision = the delete's revision
 * @param prevKv   the version before this change; null for a create
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

    public enum Type { PUT, DELETE }

    public long revision() {
        return kv.modRevision();
    }

    public boolean isCreate() {
        return type == Type.PUT && prevKv == null;
    }
}
