package io.jk8s.cli.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a composition root has started so far, closed in reverse start order. A part that fails to
 * close is logged and the others are still closed, so a half-started server or agent cleans up.
 */
final class StartedParts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("jk8s");

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    /** Remembers {@code part} to be closed before everything pushed earlier; returns it. */
    synchronized <T extends AutoCloseable> T push(T part) {
        parts.push(part);
        return part;
    }

    @Override
    public void close() {
        AutoCloseable next;
        while ((next = pop()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", next.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private synchronized AutoCloseable pop() {
        return parts.poll();
    }
}
