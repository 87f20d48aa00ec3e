package io.jk8s.store;

/**
 * Receives the events of one watch. Calls for one watch never overlap and arrive in revision order.
 * Implementations must not block for long: buffer and hand off instead.
 */
public interface WatchListener {

    /** The next change under the watched prefix. */
    void onEvent(WatchEvent event);

    /**
     * The watch ended abnormally and no further events follow. {@link CompactedException} means the
     * start revision is no longer available: relist, then watch again (the API's 410 Gone).
     */
    void onError(Throwable error);

    /** Optional progress signal: every change up to {@code revision} has been delivered (used for bookmarks). */
    default void onProgress(long revision) {}
}
