package io.jk8s.store;

import java.util.Optional;

/**
 * The cluster's state: an MVCC key-value store with watch, modelled on etcd v3.
 *
 * <p>Every successful write is given the next global revision. Keys are compared as UTF-8 bytes.
 * The API server is the only user. Implementations are thread-safe; all methods may block on I/O
 * and should be called from virtual threads or worker threads, never from an event loop.
 *
 * <p>Errors: a failed precondition is a {@link WriteResult.Failed}; a revision older than the
 * compaction point throws {@link CompactedException}; a too-large value throws
 * {@link ValueTooLargeException}; anything else is a {@link StoreException}.
 */
public interface Store extends AutoCloseable {

    /** etcd's default request limit (1.5 MiB); larger values are refused. */
    int MAX_VALUE_BYTES = 1536 * 1024;

    /** Revision of the latest write (0 for an empty, new store). */
    long currentRevision();

    /** Latest version of {@code key}, if present. */
    Optional<KeyValue> get(String key);

    /**
     * Keys starting with {@code prefix}, at or after {@code fromKey} (inclusive; null for the
     * start of the prefix), at most {@code limit} of them (0 = no limit), as of {@code revision}
     * (0 = latest). Pages read with the returned revision form one consistent snapshot.
     * A revision below the compaction point throws {@link CompactedException}; one above the
     * current revision throws {@link StoreException} (etcd's "future revision").
     */
    RangeResult range(String prefix, String fromKey, int limit, long revision);

    /** Number of keys starting with {@code prefix} at the latest revision. */
    long count(String prefix);

    /** Creates {@code key} only if it is absent. */
    WriteResult create(String key, byte[] value);

    /** Replaces {@code key} only if its current modRevision is {@code expectedModRevision}. */
    WriteResult update(String key, byte[] value, long expectedModRevision);

    /**
     * Deletes {@code key} if present and, when {@code expectedModRevision > 0}, only if its
     * current modRevision matches. Deleting an absent key fails with an empty current.
     */
    WriteResult delete(String key, long expectedModRevision);

    /**
     * Delivers every change under {@code prefix} with a revision greater than {@code afterRevision},
     * in order, exactly once, then live changes until closed. If {@code afterRevision} is below the
     * compaction point, {@link WatchListener#onError} receives a {@link CompactedException}.
     * To watch only new changes, pass the revision of the list the caller just read (or
     * {@link #currentRevision()}); 0 replays all retained history.
     *
     * @return closing it stops delivery (idempotent)
     */
    AutoCloseable watch(String prefix, long afterRevision, WatchListener listener);

    /** Discards history at and below {@code revision}; the latest version of every key stays readable. */
    void compact(long revision);

    /** The revision up to which history has been discarded (0 if never). */
    long compactRevision();

    @Override
    void close();
}
