package io.jk8s.kubelet.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerLogCopierTest {

    private static final String LOG = """
            2026-11-23T10:00:00.000000001Z stdout F one
            2026-11-23T10:00:01.5Z stderr F two
            2026-11-23T10:00:02Z stdout P thr
            2026-11-23T10:00:02.1Z stdout F ee
            not a cri line
            2026-11-23T11:00:03+01:00 stdout F four
            """;

    @TempDir
    Path dir;

    private String copy(String content, LogOptions options) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ContainerLogCopier(options, out).copy(file, () -> false);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LogOptions options(Map<String, List<String>> query) {
        return LogOptions.parse(query, Clock.fixed(Instant.parse("2026-11-23T10:00:31Z"), ZoneOffset.UTC));
    }

    @Test
    void joinsPartialLinesAndSkipsLinesNotInCriFormat() throws Exception {
        assertThat(copy(LOG, LogOptions.DEFAULTS)).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void tailCountsRawFileLinesFromTheEnd() throws Exception {
        assertThat(copy(LOG, options(Map.of("tailLines", List.of("1"))))).isEqualTo("four\n");
        // raw lines count, including the partial "thr" and the malformed one
        assertThat(copy(LOG, options(Map.of("tailLines", List.of("4"))))).isEqualTo("three\nfour\n");
        assertThat(copy(LOG, options(Map.of("tailLines", List.of("3"))))).isEqualTo("ee\nfour\n");
        assertThat(copy(LOG, options(Map.of("tailLines", List.of("0"))))).isEmpty();
        assertThat(copy(LOG, options(Map.of("tailLines", List.of("100"))))).isEqualTo("one\ntwo\nthree\nfour\n");
    }

    @Test
    void tailWorksAcrossReadBlocks() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append("2026-11-23T10:00:00Z stdout F line-").append(i).append('\n');
        }
        assertThat(copy(big.toString(), options(Map.of("tailLines", List.of("2"))))).isEqualTo("line-4998\nline-4999\n");
    }

    @Test
    void sinceTimeAndSinceSecondsDropOlderLinesAcrossZones() throws Exception {
        assertThat(copy(LOG, options(Map.of("sinceTime", List.of("2026-11-23T10:00:01.5Z")))))
                .isEqualTo("two\nthree\nfour\n");
        // clock at 10:00:31, so 30 s back is 10:00:01: "four" at 10:00:03Z (written as 11:00:03+01:00) stays
        assertThat(copy(LOG, options(Map.of("sinceSeconds", List.of("29"))))).isEqualTo("three\nfour\n");
    }

    @Test
    void limitBytesCutsTheOutputExactly() throws Exception {
        assertThat(copy(LOG, options(Map.of("limitBytes", List.of("6"))))).isEqualTo("one\ntw");
    }

    @Test
    void timestampsPrefixEachLogicalLineWithNineFractionDigits() throws Exception {
        assertThat(copy(LOG, options(Map.of("timestamps", List.of("true"), "tailLines", List.of("4")))))
                .isEqualTo("2026-11-23T10:00:02.000000000Z three\n2026-11-23T11:00:03.000000000+01:00 four\n");
    }

    @Test
    void anUnfinishedLastLineWaitsForItsEnd() throws Exception {
        assertThat(copy("2026-11-23T10:00:00Z stdout F done\n2026-11-23T10:00:01Z stdout F hal", LogOptions.DEFAULTS))
                .isEqualTo("done\n");
    }

    @Test
    void followStopsOnceTheContainerHasStopped() throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogOptions follow = new LogOptions(true, false, OptionalLong.of(1), Optional.empty(), false, OptionalLong.empty());
        new ContainerLogCopier(follow, out).copy(file, () -> false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("four\n");
    }

    @Test
    void badParametersAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> options(Map.of("tailLines", List.of("-1"))))
                .isInstanceOf(RequestFailure.class).hasMessageContaining("tailLines");
        assertThatThrownBy(() -> options(Map.of("limitBytes", List.of("0"))))
                .isInstanceOf(RequestFailure.class).hasMessageContaining("limitBytes");
        assertThatThrownBy(() -> options(Map.of("sinceSeconds", List.of("5"), "sinceTime", List.of("2026-11-23T10:00:00Z"))))
                .isInstanceOf(RequestFailure.class).hasMessageContaining("at most one of sinceTime or sinceSeconds");
        assertThatThrownBy(() -> options(Map.of("sinceTime", List.of("yesterday"))))
                .isInstanceOf(RequestFailure.class).hasMessageContaining("sinceTime");
        assertThatThrownBy(() -> options(Map.of("follow", List.of("maybe"))))
                .isInstanceOf(RequestFailure.class).hasMessageContaining("follow");
    }
}
