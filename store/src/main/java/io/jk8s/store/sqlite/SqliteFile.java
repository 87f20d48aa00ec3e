package io.jk8s.store.sqlite;

import io.jk8s.store.StoreException;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.sqlite.SQLiteConfig;

/**
 * Exclusive use of one database file: an OS lock on {@code <file>.lock} held while the store is open,
 * a check that the file really is an SQLite database before SQLite touches it, and connections
 * configured for durability (WAL journal, {@code synchronous=FULL}: every commit is fsynced).
 */
final class SqliteFile implements AutoCloseable {

    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SqliteFile(Path file, FileChannel lockChannel, FileLock lock) {
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Locks {@code file} for this process and checks its header; never modifies an existing file. */
    static SqliteFile acquire(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(Path.of(file + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new StoreException("cannot open " + file + ": it is already open in this process");
        }
        if (lock == null) {
            channel.close();
            throw new StoreException("cannot open " + file + ": it is in use by another process (lock on " + file + ".lock)");
        }
        SqliteFile f = new SqliteFile(file, channel, lock);
        try {
            checkHeader(file);
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    Path path() {
        return file;
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

    /** A new connection; read-only ones refuse writes so that only the group-commit writer changes the file. */
    Connection connect(boolean readOnly) throws SQLException {
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


    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the descriptor anyway
        }
    }
}
