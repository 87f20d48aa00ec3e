package io.jk8s.store.sqlite;

import io.jk8s.store.KeyValue;
import io.jk8s.store.StoreException;
import io.jk8s.store.WatchEvent;
import io.jk8s.store.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only writer of the log table. One thread drains a queue of writes and applies as many as are
 * waiting in one transaction (group commit): callers are acknowledged only after that transaction
 * has committed (and, with {@code synchronous=FULL}, reached the disk), so one fsync serves a whole
 * batch instead of one per write. Commit order is revision order.
 */
final class GroupCommitWriter implements AutoCloseable {

    /** A unit of work applied inside a batch transaction. */
    interface Step {
        Object apply(Batch batch) throws SQLException;
    }

    private record Pending(Step step, CompletableFuture<Object> result) {}

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final Pending STOP = new Pending(b -> null, new CompletableFuture<>());
    private static final int MAX_BATCH_OPS = 2000;
    private static final long MAX_BATCH_BYTES = 16L << 20;

    private final Connection conn;
    private final PreparedStatement latest;
    private final PreparedStatement insert;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<WatchEvent>> onCommit;
    private final Thread thread;
    private volatile long committedRevision;
    private volatile boolean closed;

    GroupCommitWriter(Connection conn, long currentRevision, Consumer<List<WatchEvent>> onCommit) throws SQLException {
        this.conn = conn;
        this.committedRevision = currentRevision;
        this.onCommit = onCommit;
        this.latest = conn.prepareStatement(
                "SELECT id, deleted, create_revision, version, value FROM kine WHERE name = ? ORDER BY id DESC LIMIT 1");
        this.insert = conn.prepareStatement(
                "INSERT INTO kine(id, name, deleted, create_revision, prev_revision, version, value) VALUES (?, ?, ?, ?, ?, ?, ?)");
        conn.setAutoCommit(false);
        this.thread = Thread.ofPlatform().name("sqlite-store-writer").daemon(true).start(this::run);
    }

    long committedRevision() {
        return committedRevision;
    }

    /** Runs {@code step} in the next batch and waits until that batch is committed. */
    Object submit(Step step) {
        if (closed) {
            throw new StoreException("store is closed");
        }
        Pending p = new Pending(step, new CompletableFuture<>());
        queue.add(p);
        if (closed) {
            p.result.completeExceptionally(new StoreException("store is closed"));
        }
        try {
            return p.result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException("write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the write to commit", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            drainMore(batch);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                try {
                    commit(batch);
                } catch (RuntimeException e) {
                    StoreException failure = SqliteErrors.translate("write failed", e);
                    batch.forEach(p -> p.result.completeExceptionally(failure));
                }
            }
            batch.clear();
            if (stop) {
                break;
            }
        }
        failAll(new StoreException("store is closed"));
    }

    private void drainMore(List<Pending> batch) {
        Pending next;
        while (batch.size() < MAX_BATCH_OPS && (next = queue.poll()) != null) {
            batch.add(next);
            if (next == STOP) {
                return;
            }
        }
    }

    private void commit(List<Pending> pendings) {
        Batch batch = new Batch(committedRevision);
        Object[] results = new Object[pendings.size()];
        try {
            for (int i = 0; i < pendings.size(); i++) {
                results[i] = pendings.get(i).step.apply(batch);
                if (batch.bytes > MAX_BATCH_BYTES && i + 1 < pendings.size()) {
                    // Very large batch: commit what we have and requeue the rest at the front, in order.
                    List<Pending> rest = new ArrayList<>(pendings.subList(i + 1, pendings.size()));
                    conn.commit();
                    finish(batch, pendings.subList(0, i + 1), results);
                    commit(rest);
                    return;
                }
            }
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            StoreException failure = SqliteErrors.translate("commit failed", e);
            for (Pending p : pendings) {
                p.result.completeExceptionally(failure);
            }
            return;
        }
        finish(batch, pendings, results);
    }

    private void finish(Batch batch, List<Pending> pendings, Object[] results) {
        committedRevision = batch.revision;
        if (!batch.events.isEmpty()) {
            try {
                onCommit.accept(batch.events);
            } catch (RuntimeException e) {
                // The writes are durable; a failure to publish must not leave their writers waiting forever.
                LOG.error("publishing committed events up to revision {} failed", batch.revision, e);
            }
        }
        for (int i = 0; i < pendings.size(); i++) {
            pendings.get(i).result.complete(results[i]);
        }
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // The connection is unusable; the next batch will report the real error.
        }
    }

    private void failAll(StoreException e) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new StoreException("store is closed"));
    }

    /** The latest row of one key as seen inside the batch. */
    record Row(long id, boolean deleted, long createRevision, long version, byte[] value) {
        KeyValue toKeyValue(String key) {
            return new KeyValue(key, value, createRevision, id, version);
        }
    }

    /** The open transaction: allocates revisions and collects the events it will publish. */
    final class Batch {
        private long revision;
        private long bytes;
        private final Map<String, Optional<Row>> latestRows = new HashMap<>();
        private final List<WatchEvent> events = new ArrayList<>();

        Batch(long revision) {
            this.revision = revision;
        }

        Connection connection() {
            return conn;
        }

        /** The key's latest live version, including writes earlier in this batch. */
        Optional<KeyValue> current(String key) throws SQLException {
            Optional<Row> row = latestRow(key);
            return row.filter(r -> !r.deleted()).map(r -> r.toKeyValue(key));
        }

        private Optional<Row> latestRow(String key) throws SQLException {
            Optional<Row> cached = latestRows.get(key);
            if (cached != null) {
                return cached;
            }
            latest.setString(1, key);
            Optional<Row> row;
            try (ResultSet rs = latest.executeQuery()) {
                row = rs.next()
                        ? Optional.of(new Row(rs.getLong(1), rs.getInt(2) != 0, rs.getLong(3), rs.getLong(4), rs.getBytes(5)))
                        : Optional.empty();
            }
            latestRows.put(key, row);
            return row;
        }

        WriteResult create(String key, byte[] value) throws SQLException {
            Optional<Row> prev = latestRow(key);
            if (prev.isPresent() && !prev.get().deleted()) {
                return new WriteResult.Failed(Optional.of(prev.get().toKeyValue(key)));
            }
            long rev = append(key, false, revision + 1, prev.map(Row::id).orElse(0L), 1, value);
            KeyValue kv = new KeyValue(key, value, rev, rev, 1);
            events.add(new WatchEvent(WatchEvent.Type.PUT, kv, null));
            return new WriteResult.Ok(kv);
        }

        WriteResult update(String key, byte[] value, long expectedModRevision) throws SQLException {
            Optional<KeyValue> cur = current(key);
            if (cur.isEmpty() || cur.get().modRevision() != expectedModRevision) {
                return new WriteResult.Failed(cur);
            }
            KeyValue old = cur.get();
            long rev = append(key, false, old.createRevision(), old.modRevision(), old.version() + 1, value);
            KeyValue kv = new KeyValue(key, value, old.createRevision(), rev, old.version() + 1);
            events.add(new WatchEvent(WatchEvent.Type.PUT, kv, old));
            return new WriteResult.Ok(kv);
        }

        WriteResult delete(String key, long expectedModRevision) throws SQLException {
            Optional<KeyValue> cur = current(key);
            if (cur.isEmpty() || (expectedModRevision > 0 && cur.get().modRevision() != expectedModRevision)) {
                return new WriteResult.Failed(cur);
            }
            KeyValue old = cur.get();
            long rev = append(key, true, old.createRevision(), old.modRevision(), old.version(), old.value());
            events.add(new WatchEvent(WatchEvent.Type.DELETE,
                    new KeyValue(key, new byte[0], old.createRevision(), rev, 0), old));
            return new WriteResult.Ok(new KeyValue(key, old.value(), old.createRevision(), rev, old.version()));
        }

        private long append(String key, boolean deleted, long createRevision, long prevRevision, long version, byte[] value)
                throws SQLException {
            long rev = revision + 1;
            insert.setLong(1, rev);
            insert.setString(2, key);
            insert.setInt(3, deleted ? 1 : 0);
            insert.setLong(4, createRevision);
            insert.setLong(5, prevRevision);
            insert.setLong(6, version);
            insert.setBytes(7, value);
            insert.executeUpdate();
            revision = rev;
            bytes += value.length + key.length();
            latestRows.put(key, Optional.of(new Row(rev, deleted, createRevision, version, value)));
            return rev;
        }
    }
}
