package io.jk8s.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0.1, 100m",
            "100m, 100m",
            "1000m, 1",
            "1.5, 1500m",
            "1000, 1k",
            "1500000, 1500k",
            "1Gi, 1Gi",
            "1.5Gi, 1536Mi",
            "1024, 1024",
            "1024Ki, 1Mi",
            "0.5Ki, 512",
            "12e6, 12e6",
            "1e3, 1e3",
            "0, 0",
            "1n, 1n",
            "0.0000000001, 1n",
            "-100m, -100m",
            "128974848, 128974848",
            "129e6, 129e6",
            "123Mi, 123Mi",
            "5G, 5G",
    })
    void canonicalizesAsUpstream(String in, String expected) {
        assertThat(Quantities.canonicalize(in)).isEqualTo(expected);
    }

    @Test
    void comparesByValue() {
        assertThat(Quantities.compare("1", "1000m")).isZero();
        assertThat(Quantities.compare("1Gi", "1G")).isPositive();
        assertThat(Quantities.compare("500m", "0.6")).isNegative();
    }

    @Test
    void integerViewsRoundUp() {
        assertThat(Quantities.parse("100m").milliValue()).isEqualTo(100);
        assertThat(Quantities.parse("1.5").milliValue()).isEqualTo(1500);
        assertThat(Quantities.parse("0.5").longValue()).isEqualTo(1);
        assertThat(Quantities.parse("1Mi").longValue()).isEqualTo(1048576);
        assertThat(Quantities.parse("1n").milliValue()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "1KiB", "1 Gi", "--1", "1x", "e3"})
    void rejectsMalformedQuantities(String text) {
        assertThat(Quantities.isValid(text)).isFalse();
        assertThatThrownBy(() -> Quantities.parse(text)).hasMessage(Quantities.FORMAT_ERROR);
    }
}
