package io.jk8s.registry.support;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class HumanDurationTest {

    @ParameterizedTest(name = "{0}s -> {1}")
    @CsvSource({
            "-5, <invalid>", "-1, 0s", "0, 0s", "59, 59s", "119, 119s", "120, 2m", "125, 2m5s", "599, 9m59s",
            "600, 10m", "10799, 179m", "10800, 3h", "11000, 3h3m", "28799, 7h59m", "28800, 8h", "172799, 47h",
            "172800, 2d", "180000, 2d2h", "691200, 8d", "63072000, 2y", "64000000, 2y10d", "252288000, 8y"})
    void rendersLikeKubectl(long seconds, String expected) {
        assertThat(HumanDuration.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"2026-01-01T00:00:00Z, 5m", "2026-01-01T00:00:00.123456Z, 4m59s", "'', <unknown>", "not-a-time, <unknown>"})
    void sinceParsesRfc3339(String ts, String expected) {
        assertThat(HumanDuration.since(ts, Instant.parse("2026-01-01T00:05:00Z"))).isEqualTo(expected);
    }
}
