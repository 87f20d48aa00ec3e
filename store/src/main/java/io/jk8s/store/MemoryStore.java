package io.jk8s.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link Store} held in memory: for unit tests of the layers above, and as the simplest
 * reference for the conformance suite. Not durable.
 */
public final class MemoryStore implements Store {

    /** Marker for "deleted at this revision" in a key's history. */
    private static final KeyValue TOMBSTONE = new KeyValue("", new byte[0], 0, 0, 0);

    private final TreeMap<String, TreeMap<Long, KeyValue>> history = new TreeMap<>();
    private final List<WatchEvent> log = new ArrayList<>();
    private final List<MemoryWatch> watches = new CopyOnWriteArrayList<>();
    private long revision;
    private long compacted;

    @Override
    public synchronized long currentRevision() {
        return revision;
    }

    @Override
    public synchronized Optional<KeyValue> get(String key) {
        return Optional.ofNullable(latest(key, revision));
    }

    private KeyValue latest(String key, long atRevision) {
        TreeMap<Long, KeyValue> versions = history.get(key);
        if (versions == null) {
            return null;
        }
        Map.Entry<Long, KeyValue> e = versions.floorEntry(atRevision);
        return e == null || e.getValue() == TOMBSTONE ? null : e.getValue();
    }

    @Override
    public synchronized RangeResult range(String prefix, String fromKey, int limit, long atRevision) {
        long rev = atRevision == 0 ? revision : atRevision;
        if (rev > revision) {
            throw new StoreException("revision " + atRevision + " is newer than the store's current revision " + revision);
        }
        if (rev < compacted && atRevision != 0) {
            throw new CompactedException(atRevision, compacted);
        }
        String start = fromKey == null || fromKey.compareTo(prefix) < 0 ? prefix : fromKey;
        List<KeyValue> out = new ArrayList<>();
        boolean more = false;
        for (Map.Entry<String, TreeMap<Long, KeyValue>> e : history.tailMap(start, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            KeyValue kv = latest(e.getKey(), rev);
            if (kv == null) {
                continue;
            }
            if (limit > 0 && out.size() == limit) {
                more = true;
                break;
            }
            out.add(kv);
        }
        return new RangeResult(out, more, rev);
    }

    @Override
    public synchronized long count(String prefix) {
        return range(prefix, null, 0, 0).kvs().size();
    }

    @Override
    public WriteResult create(String key, byte[] value) {
        checkSize(key, value);
        synchronized (this) {
            KeyValue cur = latest(key, revision);
            if (cur != null) {
                return new WriteResult.Failed(Optional.of(cur));
            }
            long rev = ++revision;
            return write(new KeyValue(key, value.clone(), rev, rev, 1), null);
        }
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        checkSize(key, value);
        synchronized (this) {
            KeyValue cur = latest(key, revision);
            if (cur == null || cur.modRevision() != expectedModRevision) {
                return new WriteResult.Failed(Optional.ofNullable(cur));
            }
            long rev = ++revision;
            return write(new KeyValue(key, value.clone(), cur.createRevision(), rev, cur.version() + 1), cur);
        }
    }

    @Override
    public synchronized WriteResult delete(String key, long expectedModRevision) {
        KeyValue cur = latest(key, revision);
        if (cur == null || (expectedModRevision > 0 && cur.modRevision() != expectedModRevision)) {
            return new WriteResult.Failed(Optional.ofNullable(cur));
        }
        long rev = ++revision;
        history.get(key).put(rev, TOMBSTONE);
        KeyValue deleted = new KeyValue(key, new byte[0], cur.createRevision(), rev, 0);
        publish(new WatchEvent(WatchEvent.Type.DELETE, deleted, cur));
        return new WriteResult.Ok(new KeyValue(key, cur.value(), cur.createRevision(), rev, cur.version()));
    }

    private WriteResult write(KeyValue kv, KeyValue prev) {
        history.computeIfAbsent(kv.key(), k -> new TreeMap<>()).put(kv.modRevision(), kv);
        publish(new WatchEvent(WatchEvent.Type.PUT, kv, prev));
        return new WriteResult.Ok(kv);
    }

    private void publish(WatchEvent event) {
        log.add(event);
        for (MemoryWatch w : watches) {
            w.offer(event);
        }
    }

    private static void checkSize(String key, byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new ValueTooLargeException(key, value.length);
        }
    }

    @Override
    public synchronized AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        MemoryWatch w = new MemoryWatch(prefix, listener);
        if (afterRevision < compacted) {
            w.fail(new CompactedException(afterRevision, compacted));
            return w;
        }
        for (WatchEvent e : log) {
            if (e.revision() > afterRevision) {
                w.offer(e);
            }
        }
        watches.add(w);
        return w;
    }

    @Override
    public synchronized void compact(long rev) {
        if (rev <= compacted) {
            return;
        }
        if (rev > revision) {
            throw new StoreException("cannot compact to " + rev + ": beyond current revision " + revision);
        }
        compacted = rev;
        log.removeIf(e -> e.revision() <= rev);
        for (var it = history.entrySet().iterator(); it.hasNext(); ) {
            NavigableMap<Long, KeyValue> versions = it.next().getValue();
            Long keep = versions.floorKey(rev);
            if (keep != null) {
                versions.headMap(keep, false).clear();
                if (versions.get(keep) == TOMBSTONE) {
                    versions.remove(keep);
                }
            }
            if (versions.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public synchronized long compactRevision() {
        return compacted;
    }

    @Override
    public void close() {
        for (MemoryWatch w : watches) {
            w.close();
        }
    }

    /** One watcher: a queue drained by its own virtual thread, so a slow listener never blocks writers. */
    private final class MemoryWatch implements AutoCloseable {
        private final String prefix;
        private final WatchListener listener;
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        private volatile boolean closed;

        MemoryWatch(String prefix, WatchListener listener) {
            this.prefix = prefix;
            this.listener = listener;
            this.thread = Thread.ofVirtual().name("memstore-watch " + prefix).start(this::drain);
        }

        void offer(WatchEvent e) {
            if (e.kv().key().startsWith(prefix)) {
                queue.add(e);
            }
        }

        void fail(Throwable t) {
            queue.add(t);
        }

        private void drain() {
            try {
                while (!closed) {
                    Object next = queue.take();
                    if (next instanceof WatchEvent e) {
                        listener.onEvent(e);
                    } else {
                        listener.onError((Throwable) next);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
            watches.remove(this);
            thread.interrupt();
        }
    }
}
