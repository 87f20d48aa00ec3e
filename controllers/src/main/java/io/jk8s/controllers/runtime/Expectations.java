package io.jk8s.controllers.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creations and deletions a controller has issued but not yet seen in its informer cache
 * (client-go ControllerExpectations). While any are outstanding the controller must not
 * compute a new diff, or it would create twice. Entries expire after 5 minutes so that a lost
 * watch event cannot wedge a controller.
 */
public final class Expectations {

    private static final Duration TTL = Duration.ofMinutes(5);

    private record Entry(AtomicInteger adds, AtomicInteger deletes, Instant at) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    public void expect(String key, int adds, int deletes) {
        entries.put(key, new Entry(new AtomicInteger(adds), new AtomicInteger(deletes), clock.instant()));
    }

    public void creationObserved(String key) {
        Entry e = entries.get(key);
        if (e != null) e.adds.decrementAndGet();
    }

    public void deletionObserved(String key) {
        Entry e = entries.get(key);
        if (e != null) e.deletes.decrementAndGet();
    }

    /** Lowers the expected creations (a create call failed, so its event will never come). */
    public void lowerAdds(String key, int n) {
        Entry e = entries.get(key);
        if (e != null) e.adds.addAndGet(-n);
    }

    public void lowerDeletes(String key, int n) {
        Entry e = entries.get(key);
        if (e != null) e.deletes.addAndGet(-n);
    }

    public boolean satisfied(String key) {
        Entry e = entries.get(key);
        if (e == null) return true;
        if (e.adds.get() <= 0 && e.deletes.get() <= 0) return true;
        return clock.instant().isAfter(e.at.plus(TTL));
    }

    public void forget(String key) {
        entries.remove(key);
    }
}
