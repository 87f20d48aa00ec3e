package io.jk8s.apiserver.watch;

/**
 * One change in a watch cache's ring.
 *
 * @param type     ADDED, MODIFIED or DELETED
 * @param object   new state (for DELETED: the last state at the delete's revision)
 * @param previous state before (null for ADDED)
 */
public record CacheEvent(Type type, CachedObject object, CachedObject previous, long revision) {
    public enum Type { ADDED, MODIFIED, DELETED }
}
