package io.jk8s.scheduler.util;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} -> {1} milli, {2} units")
    @CsvSource({
            "100m, 100, 1",
            "1, 1000, 1",
            "1.5, 1500, 2",
            "2k, 2000000, 2000",
            "1Ki, 1024000, 1024",
            "128Mi, 134217728000, 134217728",
            "1Gi, 1073741824000, 1073741824",
            "1e3, 1000000, 1000",
            "1M, 1000000000, 1000000",
            "500u, 1, 1",
            "0, 0, 0",
    })
    void parsesLikeUpstream(String text, long milli, long units) {
        Quantity q = new Quantity(text);
        assertThat(Quantities.milliValue(q)).isEqualTo(milli);
        assertThat(Quantities.value(q)).isEqualTo(units);
    }
}
