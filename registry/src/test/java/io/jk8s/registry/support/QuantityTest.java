package io.jk8s.registry.support;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"1, 1", "100m, 0.1", "1.5, 1.5", "1Ki, 1024", "1Mi, 1048576", "2Gi, 2147483648", "1k, 1000",
            "1M, 1000000", "1e3, 1000", "5E-1, 0.5", "250u, 0.00025", "0, 0", "-1, -1"})
    void parses(String text, String value) {
        assertThat(Quantity.parse(text)).isEqualByComparingTo(new BigDecimal(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1Q", "1 Gi", "1.2.3", "Mi", "1e99999999999"})
    void rejectsGarbage(String text) {
        assertThat(Quantity.parse(text)).isNull();
    }
}
