package io.jk8s.store.sqlite;

import io.jk8s.store.CompactedException;
import io.jk8s.store.KeyRanges;
import io.jk8s.store.KeyValue;
import io.jk8s.store.RangeResult;
import io.jk8s.store.Store;
import io.jk8s.store.StoreException;
import io.jk8s.store.ValueTooLargeException;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WatchListener;
import io.jk8s.store.WriteResult;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The embedded store: an SQLite file holding a kine-style append-only log (see {@link LogSchema}).
 *
 * <p>Durability: WAL journal with {@code synchronous=FULL}, so a commit is fsynced to the WAL before
 * the writer acknowledges it; an acknowledged write survives {@code kill -9} and power loss. The
 * cost of the fsync is shared by every write in a group commit (see {@link GroupCommitWriter}).
 *
 * <p>Watches are pushed in-process: after each commit the writer appends the batch's events to an
 * in-memory {@link EventRing} and wakes the watchers; a watcher that starts before the ring (or
 * falls behind it) reads the log table until it catches up. One process owns the file at a time
 * (an OS lock on {@code <file>.lock}); a second {@code open} fails instead of corrupting state.
 */
public final class SqliteStore implements Store {

    private static final int READERS = 4;
    private static final int RING_CAPACITY = 4_096;
    /**
     * Bytes of values (new and previous) the ring may hold. Its reader that matters is the API server's one
     * cache watch, woken by each commit and never more than a commit batch or two behind; a watcher that is
     * further behind reads the log table. 4 MB is ~1,300 pod updates, over half a second of the benchmark's
     * 64-client writes. At 64 MB the ring was a third of an API server's live heap with 10,000 pods, at 16 MB
     * still a sixth of it.
     */
    private static final long RING_MAX_BYTES = 4L << 20;
    /** Events older than this leave the ring (checked every {@link #RING_SWEEP_MS}), so an idle store holds none. */
    private static final long RING_MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long RING_SWEEP_MS = 5_000;
    private static final int PAGE = 1000;

    private final SqliteFile file;
    private final Connection writerConnection;
    private final GroupCommitWriter writer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders;
    private final EventRing ring;
    private final List<SqliteWatch> watches = new CopyOnWriteArrayList<>();
    private volatile long compactRevision;
    private volatile boolean closed;
    private final WalCheckpointer checkpointer;
    private final Thread ringSweeper;

    private SqliteStore(SqliteFile file, Connection writerConnection, List<Connection> readerConnections,
                        long revision, long compactRevision, int ringCapacity, Connection checkpointConnection)
            throws SQLException {
        this.file = file;
        this.writerConnection = writerConnection;
        this.compactRevision = compactRevision;
        this.ring = new EventRing(ringCapacity, RING_MAX_BYTES, revision);
        this.allReaders = readerConnections;
        this.readers = new ArrayBlockingQueue<>(readerConnections.size(), false, readerConnections);
        this.writer = new GroupCommitWriter(writerConnection, revision, this::publish);
        this.checkpointer = new WalCheckpointer(checkpointConnection, file.path());
        this.ringSweeper = Thread.ofVirtual().name("sqlite-ring-sweeper").start(this::sweepRing);
    }

    /**
     * Opens (or creates) the store in {@code dbFile}. Fails with a {@link StoreException} naming the
     * problem if the file is in use, locked, corrupt or not an SQLite database; never resets it.
     */
    public static SqliteStore open(Path dbFile) {
        return open(dbFile, RING_CAPACITY);
    }

    /** As {@link #open(Path)}, with a given event ring size (tests use a small one to exercise catch-up). */
    static SqliteStore open(Path dbFile, int ringCapacity) {
        Path path = dbFile.toAbsolutePath();
        SqliteFile file = null;
        Connection writerConn = null;
        List<Connection> readerConns = new ArrayList<>();
        Connection checkpointConn = null;
        try {
            file = SqliteFile.acquire(path);
            writerConn = file.connect(false);
            LogSchema.create(writerConn);
            long schema = LogSchema.meta(writerConn, "schema_version");
            if (schema != LogSchema.VERSION) {
                throw new StoreException("cannot open " + path + ": unsupported schema version " + schema);
            }
            long compact = LogSchema.meta(writerConn, "compact_revision");
            // A compaction may remove the newest row (a tombstone), so the compact point also bounds the revision.
            long revision = Math.max(LogSchema.maxId(writerConn), compact);
            for (int i = 0; i < READERS; i++) {
                readerConns.add(file.connect(true));
            }
            WalCheckpointer.disableAutoCheckpoint(writerConn);
            checkpointConn = file.connect(false);
            return new SqliteStore(file, writerConn, readerConns, revision, compact, ringCapacity, checkpointConn);
        } catch (SQLException | IOException | RuntimeException e) {
            SqliteFile.closeQuietly(writerConn);
            SqliteFile.closeQuietly(checkpointConn);
            readerConns.forEach(SqliteFile::closeQuietly);
            if (file != null) {
                file.close();
            }
            if (e instanceof StoreException se) {
                throw se;
            }
            throw SqliteErrors.translate("cannot open " + path, e);
        }
    }

    // --- reads ----------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        return writer.committedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return read(c -> LogQueries.latest(c, key));
    }

    @Override
    public RangeResult range(String prefix, String fromKey, int limit, long revision) {
        long current = currentRevision();
        long rev = revision == 0 ? current : revision;
        if (rev > current) {
            throw new StoreException("revision " + revision + " is newer than the store's current revision " + current);
        }
        checkNotCompacted(revision, rev);
        String start = KeyRanges.rangeStart(prefix, fromKey);
        String end = KeyRanges.prefixEnd(prefix);
        List<KeyValue> kvs = read(c -> LogQueries.scanLatest(c, prefix, start, end, rev, limit > 0 ? limit + 1 : 0));
        // Compaction may have run during the read; if it passed our revision the result may be incomplete.
        checkNotCompacted(revision, rev);
        boolean more = limit > 0 && kvs.size() > limit;
        return new RangeResult(more ? List.copyOf(kvs.subList(0, limit)) : kvs, more, rev);
    }

    private void checkNotCompacted(long requested, long rev) {
        long compacted = compactRevision;
        if (requested != 0 && rev < compacted) {
            throw new CompactedException(requested, compacted);
        }
    }

    @Override
    public long count(String prefix) {
        String end = KeyRanges.prefixEnd(prefix);
        if (end == null) {
            return range(prefix, null, 0, 0).kvs().size();
        }
        return read(c -> LogQueries.count(c, prefix, end));
    }

    /** Reads the events under {@code prefix} with revisions in (after, upTo], at most {@link #PAGE}. */
    EventRing.Slice readEvents(String prefix, long after, long upTo) {
        String end = KeyRanges.prefixEnd(prefix);
        List<WatchEvent> events = read(c -> LogQueries.events(c, prefix, end, after, upTo, PAGE));
        if (after < compactRevision) {
            throw new CompactedException(after, compactRevision);
        }
        long cursor = events.size() < PAGE ? upTo : events.getLast().revision();
        return new EventRing.Slice(events, cursor);
    }

    private interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T read(SqlFunction<T> query) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        try {
            return query.apply(c);
        } catch (SQLException e) {
            throw SqliteErrors.translate("read from " + file.path() + " failed", e);
        } finally {
            readers.add(c);
        }
    }

    // --- writes ---------------------------------------------------------------------------------

    @Override
    public WriteResult create(String key, byte[] value) {
        checkSize(key, value);
        byte[] copy = value.clone();
        return (WriteResult) writer.submit(b -> b.create(key, copy));
    }

    @Override
    public WriteResult update(String key, byte[] value, long expectedModRevision) {
        checkSize(key, value);
        byte[] copy = value.clone();
        return (WriteResult) writer.submit(b -> b.update(key, copy, expectedModRevision));
    }

    @Override
    public WriteResult delete(String key, long expectedModRevision) {
        return (WriteResult) writer.submit(b -> b.delete(key, expectedModRevision));
    }

    private static void checkSize(String key, byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new ValueTooLargeException(key, value.length);
        }
    }

    private void sweepRing() {
        while (!closed) {
            try {
                Thread.sleep(RING_SWEEP_MS);
            } catch (InterruptedException e) {
                return;
            }
            ring.evictOlderThan(System.nanoTime() - RING_MAX_AGE_NANOS);
        }
    }

    private void publish(List<WatchEvent> events) {
        ring.append(events);
        for (SqliteWatch w : watches) {
            w.wake();
        }
    }

    // --- watch ----------------------------------------------------------------------------------

    @Override
    public AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        SqliteWatch w = new SqliteWatch(this, prefix, afterRevision, listener);
        watches.add(w);
        w.start();
        return w;
    }

    void removeWatch(SqliteWatch w) {
        watches.remove(w);
    }

    EventRing ring() {
        return ring;
    }

    // --- compaction -----------------------------------------------------------------------------

    @Override
    public synchronized void compact(long revision) {
        if (revision <= compactRevision) {
            return;
        }
        long current = currentRevision();
        if (revision > current) {
            throw new StoreException("cannot compact to " + revision + ": beyond current revision " + current);
        }
        // Publish the new compaction point before removing rows, so that readers of older revisions
        // fail instead of seeing a partially compacted past.
        writer.submit(b -> {
            LogSchema.setMeta(b.connection(), "compact_revision", revision);
            return null;
        });
        compactRevision = revision;
        long lowest = read(LogQueries::lowestRevision);
        // Small chunks keep each compaction transaction short, so writes are never stalled for long.
        long chunk = 5000;
        for (long from = lowest - 1; from < revision; from += chunk) {
            long lo = from;
            long hi = Math.min(revision, from + chunk);
            writer.submit(b -> LogQueries.deleteSuperseded(b.connection(), lo, hi, revision));
        }
    }

    @Override
    public long compactRevision() {
        return compactRevision;
    }

    /** Runs SQLite's integrity check; returns the problems found (empty when the file is sound). */
    public List<String> checkIntegrity() {
        return read(LogQueries::integrityProblems);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ringSweeper.interrupt();
        for (SqliteWatch w : watches) {
            w.close();
        }
        writer.close();
        checkpointer.close();
        SqliteFile.closeQuietly(writerConnection);
        for (Connection c : allReaders) {
            SqliteFile.closeQuietly(c);
        }
        file.close();
    }
}
