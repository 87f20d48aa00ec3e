package io.jk8s.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jk8s.store.KeyValue;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a writing process loses no acknowledged write and leaves a consistent database. */
class SqliteCrashTest {

    private static final int ACKS_BEFORE_KILL = 3000;

    @TempDir
    Path dir;

    @Test
    @Timeout(90)
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        Path db = dir.resolve("state.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-cp", classpath, SqliteCrashWriter.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Map<String, Long> acked = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acked.size() < ACKS_BEFORE_KILL && (line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                acked.put(parts[2], Long.parseLong(parts[1]));
            }
            // SIGKILL while the child is still writing at full speed (via the handle: Process.destroy would close our pipe).
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Acks the child printed before it died count too.
            while ((line = in.readLine()) != null) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    acked.put(parts[2], Long.parseLong(parts[1]));
                }
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
        long maxAcked = acked.values().stream().mapToLong(Long::longValue).max().orElseThrow();

        try (SqliteStore store = SqliteStore.open(db)) {
            assertThat(store.checkIntegrity()).isEmpty();
            assertThat(store.currentRevision()).isGreaterThanOrEqualTo(maxAcked);
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                KeyValue kv = store.get(e.getKey()).orElseThrow(() -> new AssertionError("lost acknowledged write " + e));
                assertThat(kv.modRevision()).isEqualTo(e.getValue());
                assertThat(kv.valueAsString()).isEqualTo("value of " + e.getKey());
            }
            // Revisions are dense: one row per revision, none lost in the middle.
            long rows = store.range("/registry/crash/", null, 0, 0).kvs().size();
            assertThat(rows).isEqualTo(store.currentRevision());
            long next = ((io.jk8s.store.WriteResult.Ok) store.create("/registry/after", new byte[0])).kv().modRevision();
            assertThat(next).isEqualTo(store.currentRevision()).isGreaterThan(maxAcked);
        }
    }
}
