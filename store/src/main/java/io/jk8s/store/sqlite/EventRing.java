package io.jk8s.store.sqlite;

import io.jk8s.store.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent committed events, by revision. Revisions are dense (every committed write is
 * exactly one revision), so an event's slot is its revision modulo the capacity. Watchers read live
 * changes from here; a watcher whose cursor has fallen out of the ring reads the log table instead.
 * So the ring only has to bridge the moment between a commit and its watchers' reads: besides its
 * count and byte bounds, events older than a few seconds can go ({@link #evictOlderThan}), which keeps
 * an idle server from holding the values of its last burst of writes.
 */
final class EventRing {

    /** What a watcher gets from one read: matching events and how far it has now seen. */
    record Slice(List<WatchEvent> events, long cursor) {}

    private final WatchEvent[] slots;
    private final long[] appendedAt; // System.nanoTime() of each slot's append
    private final long maxBytes;
    private long bytes;  // value bytes held, so a burst of large objects cannot exhaust the heap
    private long first;  // oldest revision held; first > last means empty
    private long last;   // newest revision held (= the last published revision)

    EventRing(int capacity, long maxBytes, long currentRevision) {
        this.slots = new WatchEvent[capacity];
        this.appendedAt = new long[capacity];
        this.maxBytes = maxBytes;
        this.first = currentRevision + 1;
        this.last = currentRevision;
    }

    private static long sizeOf(WatchEvent e) {
        return e.kv().value().length + (e.prevKv() == null ? 0 : e.prevKv().value().length);
    }

    /** Appends the events of one commit; their revisions must continue exactly after the last one. */
    void append(List<WatchEvent> events) {
        append(events, System.nanoTime());
    }

    synchronized void append(List<WatchEvent> events, long nowNanos) {
        for (WatchEvent e : events) {
            if (e.revision() != last + 1) {
                throw new IllegalStateException("revision gap: expected " + (last + 1) + ", got " + e.revision());
            }
            if (last - first + 1 == slots.length) {
                evictOldest();
            }
            last = e.revision();
            slots[(int) (last % slots.length)] = e;
            appendedAt[(int) (last % slots.length)] = nowNanos;
            bytes += sizeOf(e);
            while (bytes > maxBytes && first < last) {
                evictOldest();
            }
        }
    }

    private void evictOldest() {
        int slot = (int) (first % slots.length);
        bytes -= sizeOf(slots[slot]);
        slots[slot] = null;
        first++;
    }

    /** Forgets events appended before {@code cutoffNanos} (a {@link System#nanoTime()} value), the newest too. */
    synchronized void evictOlderThan(long cutoffNanos) {
        while (first <= last && appendedAt[(int) (first % slots.length)] - cutoffNanos < 0) {
            evictOldest();
        }
    }

    /** Lowest revision still held (the ring can serve cursors at or above {@code firstRevision() - 1}). */
    synchronized long firstRevision() {
        return first;
    }

    /**
     * Events under {@code prefix} with revisions after {@code cursor}, scanning at most
     * {@code maxScan} revisions; null when revisions right after the cursor are no longer held.
     */
    synchronized Slice after(long cursor, String prefix, int maxScan) {
        if (cursor < first - 1) {
            return null;
        }
        List<WatchEvent> out = new ArrayList<>();
        long end = Math.min(last, cursor + maxScan);
        for (long rev = cursor + 1; rev <= end; rev++) {
            WatchEvent e = slots[(int) (rev % slots.length)];
            if (e.kv().key().startsWith(prefix)) {
                out.add(e);
            }
        }
        return new Slice(out, Math.max(cursor, end));
    }
}
