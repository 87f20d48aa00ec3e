package io.jk8s.apiserver.http;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A chunked response being written. Writes never block: they queue in the connection's outbound
 * buffer. Callers watch {@link #backlogBytes()} to drop consumers that do not keep up.
 */
public interface ResponseStream {

    /** Queues one chunk; false when the stream is already closed. */
    boolean write(byte[] chunk);

    /** Ends the response (last chunk); idempotent. */
    void close();

    boolean isOpen();

    /** Runs once when the stream ends, whoever ends it (server, client disconnect). */
    void onClose(Runnable action);

    /** Bytes queued but not yet written to the socket. */
    long backlogBytes();

    /** Runs {@code task} after a delay on the connection's event loop (timeouts); cancelled on close by the caller. */
    ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);
}
