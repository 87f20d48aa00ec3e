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
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.sqlite.SQLiteConfig;

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
    private static final int RING_CAPACITY = 16_384;
    private static final long RING_MAX_BYTES = 64L << 20;
    private static final int PAGE = 1000;
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection writerConnection;
    private final GroupCommitWriter writer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders;
    private final EventRing ring;
    private final List<SqliteWatch> watches = new CopyOnWriteArrayList<>();
    private volatile long compactRevision;
    private volatile boolean closed;

    private SqliteStore(Path file, FileChannel lockChannel, FileLock lock, Connection writerConnection,
                        List<Connection> readerConnections, long revision, long compactRevision, int ringCapacity)
            throws SQLException {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writerConnection = writerConnection;
        this.compactRevision = compactRevision;
        this.ring = new EventRing(ringCapacity, RING_MAX_BYTES, revision);
        this.allReaders = readerConnections;
        this.readers = new ArrayBlockingQueue<>(readerConnections.size(), false, readerConnections);
        this.writer = new GroupCommitWriter(writerConnection, revision, this::publish);
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
        Path file = dbFile.toAbsolutePath();
        FileChannel lockChannel = null;
        FileLock lock = null;
        Connection writerConn = null;
        List<Connection> readerConns = new ArrayList<>();
        try {
            Files.createDirectories(file.getParent());
            lockChannel = FileChannel.open(Path.of(file + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new StoreException("cannot open " + file + ": it is already open in this process");
            }
            if (lock == null) {
                throw new StoreException("cannot open " + file + ": it is in use by another process (lock on " + file + ".lock)");
            }
            checkHeader(file);
            writerConn = connect(file, false);
            LogSchema.create(writerConn);
            long schema = LogSchema.meta(writerConn, "schema_version");
            if (schema != LogSchema.VERSION) {
                throw new StoreException("cannot open " + file + ": unsupported schema version " + schema);
            }
            long compact = LogSchema.meta(writerConn, "compact_revision");
            // A compaction may remove the newest row (a tombstone), so the compact point also bounds the revision.
            long revision = Math.max(LogSchema.maxId(writerConn), compact);
            for (int i = 0; i < READERS; i++) {
                readerConns.add(connect(file, true));
            }
            return new SqliteStore(file, lockChannel, lock, writerConn, readerConns, revision, compact, ringCapacity);
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(writerConn);
            readerConns.forEach(SqliteStore::closeQuietly);
            releaseQuietly(lock, lockChannel);
            if (e instanceof StoreException se) {
                throw se;
            }
            throw SqliteErrors.translate("cannot open " + file, e);
        }
    }

    private static void checkHeader(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return;
        }
        byte[] header = new byte[SQLITE_MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(header, 0, header.length);
        }
        if (n < header.length || !Arrays.equals(header, SQLITE_MAGIC)) {
            throw new StoreException("cannot open " + file + ": the file is not an SQLite database (corrupt or foreign file);"
                    + " it was left untouched: restore it from a backup or move it away");
        }
    }

    private static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(2000);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setSharedCache(false);
        Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            if (readOnly) {
                s.execute("PRAGMA query_only = 1");
            }
            // Forces the file to be read now, so a corrupt or locked file fails open() rather than a later call.
            s.executeQuery("SELECT count(*) FROM sqlite_master").close();
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    // --- reads ----------------------------------------------------------------------------------

    @Override
    public long currentRevision() {
        return writer.committedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT deleted, value, create_revision, id, version FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getInt(1) != 0) {
                        return Optional.<KeyValue>empty();
                    }
                    return Optional.of(new KeyValue(key, rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        });
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
        List<KeyValue> kvs = read(c -> scanLatest(c, prefix, start, end, rev, limit > 0 ? limit + 1 : 0));
        // Compaction may have run during the read; if it passed our revision the result may be incomplete.
        checkNotCompacted(revision, rev);
        boolean more = limit > 0 && kvs.size() > limit;
        return new RangeResult(more ? List.copyOf(kvs.subList(0, limit)) : kvs, more, rev);
    }

    /**
     * The live keys under {@code prefix} from {@code start}, as of {@code rev}, at most {@code max}
     * (0 = all). With a limit, keys are visited in chunks of the index (name, id) so that a page costs
     * in proportion to its size rather than to the rest of the prefix; deleted keys only widen a chunk.
     */
    private static List<KeyValue> scanLatest(Connection c, String prefix, String start, String end, long rev, int max)
            throws SQLException {
        String sql = "SELECT k.name, k.value, k.create_revision, k.id, k.version, k.deleted FROM kine k JOIN "
                + "(SELECT MAX(id) AS id FROM kine WHERE name >= ?" + (end == null ? "" : " AND name < ?")
                + " AND id <= ? GROUP BY name ORDER BY name" + (max > 0 ? " LIMIT ?" : "") + ") m ON k.id = m.id ORDER BY k.name";
        List<KeyValue> out = new ArrayList<>();
        String from = start;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                int chunk = max > 0 ? Math.max(max - out.size(), 64) : 0;
                int i = 1;
                ps.setString(i++, from);
                if (end != null) {
                    ps.setString(i++, end);
                }
                ps.setLong(i++, rev);
                if (max > 0) {
                    ps.setInt(i, chunk);
                }
                int scanned = 0;
                String last = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        scanned++;
                        last = rs.getString(1);
                        if (rs.getInt(6) == 0 && last.startsWith(prefix) && (max == 0 || out.size() < max)) {
                            out.add(new KeyValue(last, rs.getBytes(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
                        }
                    }
                }
                if (max == 0 || scanned < chunk || out.size() >= max) {
                    return out;
                }
                from = last + "\0"; // the smallest key after the last one visited
            }
        }
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
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM kine k WHERE k.id IN "
                    + "(SELECT MAX(id) FROM kine WHERE name >= ? AND name < ? GROUP BY name) AND k.deleted = 0")) {
                ps.setString(1, prefix);
                ps.setString(2, end);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Reads the events under {@code prefix} with revisions in (after, upTo], at most {@link #PAGE}. */
    EventRing.Slice readEvents(String prefix, long after, long upTo) {
        String end = KeyRanges.prefixEnd(prefix);
        List<WatchEvent> events = read(c -> {
            String sql = "SELECT k.id, k.name, k.deleted, k.create_revision, k.version, k.value,"
                    + " p.id, p.deleted, p.create_revision, p.version, p.value"
                    + " FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision"
                    + " WHERE k.id > ? AND k.id <= ? AND k.name >= ?" + (end == null ? "" : " AND k.name < ?")
                    + " ORDER BY k.id LIMIT " + PAGE;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, after);
                ps.setLong(2, upTo);
                ps.setString(3, prefix);
                if (end != null) {
                    ps.setString(4, end);
                }
                List<WatchEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(2);
                        if (name.startsWith(prefix)) {
                            out.add(toEvent(rs, name));
                        }
                    }
                }
                return out;
            }
        });
        if (after < compactRevision) {
            throw new CompactedException(after, compactRevision);
        }
        long cursor = events.size() < PAGE ? upTo : events.getLast().revision();
        return new EventRing.Slice(events, cursor);
    }

    private static WatchEvent toEvent(ResultSet rs, String name) throws SQLException {
        long id = rs.getLong(1);
        boolean deleted = rs.getInt(3) != 0;
        long createRevision = rs.getLong(4);
        KeyValue prev = null;
        rs.getLong(7);
        if (!rs.wasNull() && rs.getInt(8) == 0) {
            prev = new KeyValue(name, rs.getBytes(11), rs.getLong(9), rs.getLong(7), rs.getLong(10));
        }
        if (deleted) {
            return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(name, new byte[0], createRevision, id, 0), prev);
        }
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(name, rs.getBytes(6), createRevision, id, rs.getLong(5)), prev);
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
            throw SqliteErrors.translate("read from " + file + " failed", e);
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
    public void compact(long revision) {
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
        long lowest = read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COALESCE(MIN(id), 0) FROM kine")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        // Small chunks keep each compaction transaction short, so writes are never stalled for long.
        long chunk = 5000;
        for (long from = lowest - 1; from < revision; from += chunk) {
            long lo = from;
            long hi = Math.min(revision, from + chunk);
            writer.submit(b -> {
                try (PreparedStatement ps = b.connection().prepareStatement(
                        "DELETE FROM kine WHERE id > ? AND id <= ? AND (deleted = 1 OR EXISTS "
                                + "(SELECT 1 FROM kine n WHERE n.name = kine.name AND n.id > kine.id AND n.id <= ?))")) {
                    ps.setLong(1, lo);
                    ps.setLong(2, hi);
                    ps.setLong(3, revision);
                    return ps.executeUpdate();
                }
            });
        }
    }

    @Override
    public long compactRevision() {
        return compactRevision;
    }

    /** Runs SQLite's integrity check; returns the problems found (empty when the file is sound). */
    public List<String> checkIntegrity() {
        return read(c -> {
            List<String> problems = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    if (!"ok".equals(rs.getString(1))) {
                        problems.add(rs.getString(1));
                    }
                }
            }
            return problems;
        });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SqliteWatch w : watches) {
            w.close();
        }
        writer.close();
        closeQuietly(writerConnection);
        for (Connection c : allReaders) {
            closeQuietly(c);
        }
        releaseQuietly(lock, lockChannel);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // the OS drops the lock with the descriptor anyway
        }
    }
}
