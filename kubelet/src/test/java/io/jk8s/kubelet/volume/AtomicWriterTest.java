package io.jk8s.kubelet.volume;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicWriterTest {

    @TempDir
    Path dir;

    private static FileProjection file(String content, int mode) {
        return new FileProjection(content.getBytes(StandardCharsets.UTF_8), mode);
    }

    @Test
    void laysOutVersionDirectoryDataSymlinkAndUserVisibleLinks() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, Clock.systemUTC());
        assertThat(writer.write(Map.of("a", file("1", 0644), "sub/b", file("2", 0400)))).isTrue();

        Path data = dir.resolve("..data");
        assertThat(Files.isSymbolicLink(data)).isTrue();
        assertThat(Files.readSymbolicLink(data).toString()).startsWith("..").isNotEqualTo("..data");
        assertThat(Files.readSymbolicLink(dir.resolve("a"))).isEqualTo(Path.of("..data/a"));
        assertThat(Files.readSymbolicLink(dir.resolve("sub"))).isEqualTo(Path.of("..data/sub"));
        assertThat(Files.readString(dir.resolve("sub/b"))).isEqualTo("2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub/b")))).isEqualTo("r--------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rw-r--r--");
    }

    @Test
    void updateSwapsDataLinkRemovesGoneKeysAndOldVersion() throws Exception {
        AtomicWriter writer = new AtomicWriter(dir, Clock.systemUTC());
        writer.write(Map.of("a", file("1", 0644), "gone", file("x", 0644)));
        Path first = Files.readSymbolicLink(dir.resolve("..data"));

        assertThat(writer.write(Map.of("a", file("1", 0644), "gone", file("x", 0644)))).as("unchanged payload").isFalse();
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(first);

        assertThat(writer.write(Map.of("a", file("2", 0644)))).isTrue();
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("2");
        assertThat(dir.resolve("gone")).doesNotExist();
        assertThat(dir.resolve(first)).doesNotExist();
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("..")).toList()).hasSize(2);
        }
    }

    @Test
    void rejectsPathsEscapingTheVolume() {
        AtomicWriter writer = new AtomicWriter(dir, Clock.systemUTC());
        assertThatThrownBy(() -> writer.write(Map.of("../etc/passwd", file("x", 0644)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(Map.of("a/../../b", file("x", 0644)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.write(Map.of("/abs", file("x", 0644)))).isInstanceOf(IllegalArgumentException.class);
    }
}
