package io.jk8s.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** Test listener that records every event and the first error, and checks that calls never overlap. */
public final class RecordingListener implements WatchListener {

    private final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final Object inCall = new Object();
    private volatile boolean busy;
    private volatile boolean overlapped;

    @Override
    public void onEvent(WatchEvent event) {
        enter();
        events.add(event);
        busy = false;
    }

    @Override
    public void onError(Throwable t) {
        enter();
        error.compareAndSet(null, t);
        busy = false;
    }

    private void enter() {
        synchronized (inCall) {
            if (busy) {
                overlapped = true;
            }
            busy = true;
        }
    }

    public List<WatchEvent> events() {
        return new ArrayList<>(events);
    }

    public List<Long> revisions() {
        return events().stream().map(WatchEvent::revision).toList();
    }

    public Throwable error() {
        return error.get();
    }

    /** True if two callbacks for this watch ever ran at the same time (a contract violation). */
    public boolean overlapped() {
        return overlapped;
    }
}
