package io.jk8s.controllers.runtime;

import java.time.Duration;

/** What a {@link Controller#sync} asks of the queue: nothing more, or another look after a delay. */
public sealed interface SyncResult {

    record Done() implements SyncResult {}

    record RequeueAfter(Duration delay) implements SyncResult {}

    static SyncResult done() {
        return new Done();
    }

    static SyncResult requeueAfter(Duration delay) {
        return new RequeueAfter(delay);
    }

    /** The earlier of two requeue requests ({@code done} when neither asks). */
    static SyncResult sooner(SyncResult a, SyncResult b) {
        if (a instanceof RequeueAfter ra && b instanceof RequeueAfter rb) {
            return ra.delay().compareTo(rb.delay()) <= 0 ? a : b;
        }
        return a instanceof RequeueAfter ? a : b;
    }
}
