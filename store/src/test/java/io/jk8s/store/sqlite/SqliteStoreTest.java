package io.jk8s.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jk8s.store.KeyValue;
import io.jk8s.store.RecordingListener;
import io.jk8s.store.StoreException;
import io.jk8s.store.WriteResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite-specific behaviour: persistence, refusing bad files, and watch catch-up from the table. */
class SqliteStoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static KeyValue ok(WriteResult r) {
        return ((WriteResult.Ok) r).kv();
    }

    @Test
    void revisionsAndDataSurviveARestart() {
        Path db = dir.resolve("state.db");
        long last;
        try (SqliteStore s = SqliteStore.open(db)) {
            KeyValue a = ok(s.create("/registry/a", bytes("1")));
            ok(s.update("/registry/a", bytes("2"), a.modRevision()));
            KeyValue b = ok(s.create("/registry/b", bytes("b")));
            last = ok(s.delete("/registry/b", b.modRevision())).modRevision();
        }
        try (SqliteStore s = SqliteStore.open(db)) {
            assertThat(s.currentRevision()).isEqualTo(last);
            assertThat(s.get("/registry/a").orElseThrow().valueAsString()).isEqualTo("2");
            assertThat(s.get("/registry/b")).isEmpty();
            assertThat(ok(s.create("/registry/c", bytes("c"))).modRevision()).isEqualTo(last + 1);

            // After a restart the ring is empty: a watch from the start is served from the table.
            RecordingListener l = new RecordingListener();
            s.watch("/registry/", 0, l);
            await().atMost(Duration.ofSeconds(10)).until(() -> l.events().size() == 5);
            assertThat(l.revisions()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(l.events().get(1).prevKv().valueAsString()).isEqualTo("1");
            assertThat(l.events().get(3).prevKv().valueAsString()).isEqualTo("b");
            assertThat(s.checkIntegrity()).isEmpty();
        }
    }

    @Test
    void compactingAwayTheNewestTombstoneDoesNotReuseItsRevision() {
        Path db = dir.resolve("state.db");
        long deletedAt;
        try (SqliteStore s = SqliteStore.open(db)) {
            KeyValue a = ok(s.create("/registry/a", bytes("1")));
            deletedAt = ok(s.delete("/registry/a", a.modRevision())).modRevision();
            s.compact(deletedAt);
        }
        try (SqliteStore s = SqliteStore.open(db)) {
            assertThat(s.currentRevision()).isEqualTo(deletedAt);
            assertThat(s.compactRevision()).isEqualTo(deletedAt);
            assertThat(ok(s.create("/registry/a", bytes("again"))).modRevision()).isEqualTo(deletedAt + 1);
        }
    }

    @Test
    void aWatchFarBehindTheRingCatchesUpFromTheTable() {
        try (SqliteStore s = SqliteStore.open(dir.resolve("state.db"), 8)) {
            long start = s.currentRevision();
            for (int i = 0; i < 50; i++) {
                s.create("/registry/r/k" + i, bytes("v"));
                s.create("/registry/other/k" + i, bytes("v"));
            }
            RecordingListener l = new RecordingListener();
            s.watch("/registry/r/", start, l);
            for (int i = 50; i < 60; i++) {
                s.create("/registry/r/k" + i, bytes("v"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> l.events().size() == 60);
            List<Long> revs = l.revisions();
            assertThat(revs).isSorted().doesNotHaveDuplicates();
            assertThat(l.events()).allSatisfy(e -> assertThat(e.kv().key()).startsWith("/registry/r/"));
        }
    }

    @Test
    void compactionRemovesSupersededRowsFromTheFile() throws Exception {
        Path db = dir.resolve("state.db");
        try (SqliteStore s = SqliteStore.open(db)) {
            KeyValue kv = ok(s.create("/registry/a", bytes("0")));
            for (int i = 1; i <= 20; i++) {
                kv = ok(s.update("/registry/a", bytes(Integer.toString(i)), kv.modRevision()));
            }
            KeyValue gone = ok(s.create("/registry/gone", bytes("g")));
            ok(s.delete("/registry/gone", gone.modRevision()));
            assertThat(rows(db)).isEqualTo(23);

            s.compact(s.currentRevision());
            // Only the latest version of the live key is left: no history, no tombstones.
            assertThat(rows(db)).isEqualTo(1);
            assertThat(s.get("/registry/a").orElseThrow().valueAsString()).isEqualTo("20");
        }
    }

    private static long rows(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM kine")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aListenerThatFallsOutOfTheRingCatchesUpFromTheTable() throws Exception {
        try (SqliteStore s = SqliteStore.open(dir.resolve("state.db"), 8)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            RecordingListener recorded = new RecordingListener();
            io.jk8s.store.WatchListener slow = new io.jk8s.store.WatchListener() {
                @Override
                public void onEvent(io.jk8s.store.WatchEvent event) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    recorded.onEvent(event);
                }

                @Override
                public void onError(Throwable error) {
                    recorded.onError(error);
                }
            };
            long start = s.currentRevision();
            s.watch("/registry/", start, slow);
            s.create("/registry/first", bytes("v"));
            for (int i = 0; i < 100; i++) {
                s.create("/registry/k" + i, bytes("v"));
            }
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorded.events().size() == 101);
            assertThat(recorded.revisions()).isSorted().doesNotHaveDuplicates().startsWith(start + 1).endsWith(start + 101);
            assertThat(recorded.error()).isNull();
        }
    }

    @Test
    void aSecondOpenOfTheSameFileFails() {
        Path db = dir.resolve("state.db");
        try (SqliteStore first = SqliteStore.open(db)) {
            assertThatThrownBy(() -> SqliteStore.open(db))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already open");
        }
        SqliteStore.open(db).close();
    }

    @Test
    void aFileLockedByAnotherSqliteUserFailsOpenWithAClearMessage() throws Exception {
        Path db = dir.resolve("state.db");
        SqliteStore.open(db).close();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = other.createStatement()) {
            st.execute("PRAGMA locking_mode = EXCLUSIVE");
            st.execute("BEGIN EXCLUSIVE");
            st.execute("INSERT INTO jk8s_meta(key, value) VALUES ('other', 1)");
            assertThatThrownBy(() -> SqliteStore.open(db))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("locked");
            st.execute("ROLLBACK");
        }
    }

    @Test
    void aCorruptFileIsRefusedAndLeftUntouched() throws Exception {
        Path db = dir.resolve("state.db");
        byte[] garbage = new byte[8192];
        Arrays.fill(garbage, (byte) 0x5a);
        Files.write(db, garbage);
        assertThatThrownBy(() -> SqliteStore.open(db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("not an SQLite database")
                .hasMessageContaining(db.toString());
        assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
    }

    @Test
    void aDamagedDatabaseIsRefused() throws Exception {
        Path db = dir.resolve("state.db");
        try (SqliteStore s = SqliteStore.open(db)) {
            for (int i = 0; i < 200; i++) {
                s.create("/registry/k" + i, new byte[500]);
            }
        }
        // Keep the valid header but overwrite the schema page and the rest with garbage.
        byte[] content = Files.readAllBytes(db);
        byte[] damaged = content.clone();
        Arrays.fill(damaged, 100, damaged.length, (byte) 0xa5);
        Files.write(db, damaged);
        Files.deleteIfExists(Path.of(db + "-wal"));
        assertThatThrownBy(() -> SqliteStore.open(db))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("corrupt");
        assertThat(Files.readAllBytes(db)).isEqualTo(damaged);
    }

    /**
     * The writer commits with auto-checkpointing off; the background checkpointer must still move the
     * WAL into the database file (without it the data would only ever live in an ever-growing WAL).
     */
    @Test
    void backgroundCheckpointsMoveTheWalIntoTheDatabaseFile(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("state.db");
        try (SqliteStore store = SqliteStore.open(db)) {
            byte[] value = new byte[10_000];
            Arrays.fill(value, (byte) 'x');
            for (int i = 0; i < 1_500; i++) {
                assertThat(store.create("/registry/big/" + i, value).succeeded()).isTrue();
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(Files.size(db)).isGreaterThan(12_000_000L));
        }
    }
}
